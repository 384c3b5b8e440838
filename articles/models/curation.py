"""The home page's lead: the story an editor puts on top, for as long as they choose.

Each choice is a row, so the list in the admin is also the record of what led the home page, who chose it
and when. Only the latest choice counts: choosing a story replaces the lead before it, and when that choice
ends (its end time passes, or its story is unpublished or withdrawn) the newest published story leads
again, never an older choice, which the editor has already replaced once.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone

from articles.models.article import Article


class LeadStoryQuerySet(models.QuerySet):
    def latest_choice(self) -> "LeadStoryQuerySet":
        """The editor's most recent choice (at most one row), whether or not it still leads."""
        newest = LeadStory.objects.order_by("-chosen_at", "-pk").values("pk")[:1]
        return self.filter(pk=Subquery(newest))

    def running(self, at: datetime | None = None) -> "LeadStoryQuerySet":
        """Choices whose end time, if any, has not come (by `at`, now unless given: a prepared query passes it)."""
        return self.filter(Q(until__isnull=True) | Q(until__gt=timezone.now() if at is None else at))


class LeadStory(models.Model):
    """One editor's choice of the home page's lead story, from the moment it is made until `until`."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="lead_choices",
        verbose_name="story",
        help_text="A published or scheduled story. A scheduled one leads from its publication time.",
    )
    until = models.DateTimeField(
        "lead until",
        null=True,
        blank=True,
        help_text="Empty: until you choose another lead. Afterwards the newest story leads the home page.",
    )
    chosen_at = models.DateTimeField(default=timezone.now, editable=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LeadStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        indexes = [models.Index(fields=["-chosen_at", "-id"], name="leadstory_latest_idx")]
        verbose_name = "home page lead"
        verbose_name_plural = "home page leads"

    def __str__(self) -> str:
        return f"{self.article} leads the home page"

    def clean(self) -> None:
        super().clean()
        # A draft would lead nothing and the editor would wonder why; a scheduled story is a real plan.
        if (
            self.article_id is not None
            and not Article.objects.filter(pk=self.article_id, status=Article.Status.PUBLISHED).exists()
        ):
            raise ValidationError({"article": "Publish or schedule this story before it can lead the home page."})
        # A new choice ending in the past would never lead. Editing a choice to end it now is fine.
        if self._state.adding and self.until is not None and self.until <= timezone.now():
            raise ValidationError({"until": "This time has passed: choose a time to come, or leave it empty."})
