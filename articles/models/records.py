"""What stays on record about a story once readers have seen it: correction and update notes, the
addresses it used to have, and the steps of its workflow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from articles.models.article import Article
from newsroom.text import clean_lines


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> "CorrectionQuerySet":
        """Notes on stories readers may see now. A story unpublished or withdrawn keeps its notes on record,
        but they leave the corrections page and feed with it: a note must never lead to a story that is gone."""
        return self.filter(article__in=Article.objects.published())


class Correction(models.Model):
    """A correction or update note appended to a published story, shown at its foot in order, and on the
    site's corrections page (/corrections/) with every other note, newest first.

    Append-only: a note readers have seen is part of the record, so it is never edited or deleted
    in the admin; a mistaken note is answered by another note.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=2000,
        help_text=(
            "Plain text, shown at the foot of the story with the time it was added. For example: An earlier "
            "version of this article gave the wrong date for the election. It is 12 May."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        # The corrections page and feed read every story's notes newest first, one page at a time.
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_recent_idx")]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.article}"

    def clean(self) -> None:
        super().clean()
        typed, self.text = self.text, clean_lines(self.text)
        if typed and not self.text:
            raise ValidationError({"text": "Write the note: this one is made only of invisible characters."})
        # A note tells readers what changed in a story they may have read; a story nobody has seen
        # yet is simply edited. The stored state counts, not the form's, so publishing and noting
        # in the same save is refused rather than half-done.
        if not Article.objects.published().filter(pk=self.article_id).exists():
            raise ValidationError("Corrections and updates are for published stories. Publish this one first.")


class SlugRedirect(models.Model):
    """An address a published article had before an editor changed its slug; it answers 301 forever."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article.slug}"


class StatusChange(models.Model):
    """One step of an article's workflow (draft, review, published and back): who took it, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Article.Status)
    to_status = models.CharField(max_length=16, choices=Article.Status)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["article", "at"], name="statuschange_article_idx")]

    def __str__(self) -> str:
        return f"{self.article}: {self.get_from_status_display()} → {self.get_to_status_display()}"
