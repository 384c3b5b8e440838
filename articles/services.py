"""Writes with rules on articles, shared by the admin and commands.

Every write that changes an article keeps a revision of it (django-reversion): the history then shows
who did what and when, and nothing an editor saved is lost. Writes made with `QuerySet.update()` send
no signals, so these services add the articles to the revision themselves.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Revision

from articles.models import Article, Byline, Correction, Section
from articles.revisions import saved_in, with_followed_rows
from authors.models import Author

# What restoring a revision brings back: the story as written and filed. Publishing state (status,
# times, withdrawal) stays as it is, so bringing back older words never publishes or unpublishes.
RESTORED_FIELDS = (
    "headline",
    "slug",
    "summary",
    "body",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "source_name",
    "source_url",
    "section_id",
)


class RestoreRefused(Exception):
    """A revision that cannot be brought back as it was; the message says why, for the editor."""


def keep_revisions(article_ids: Iterable[int], *, comment: str, user: AbstractBaseUser | None = None) -> None:
    """Keep a revision of each article as it is now. Inside an admin request's revision block this
    joins that revision, which already knows the user; a command passes none."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        for article in with_followed_rows(Article.objects.filter(pk__in=list(article_ids))):
            reversion.add_to_revision(article)


@transaction.atomic
def publish_articles(articles: QuerySet[Article]) -> int:
    """Publish the given articles and return how many changed status.

    Follows Article.save(): an article without a publication time gets now, one with a future time stays
    scheduled, and a withdrawn one answers again. updated_at is left alone: readers' "updated" note is
    about the words, not the status. Later steps go by primary key, because the caller's queryset may
    be filtered on the status this changes (the admin's "draft" filter).
    """
    changing = list(articles.exclude(status=Article.Status.PUBLISHED).values_list("pk", flat=True))
    selected = Article.objects.filter(pk__in=changing)
    changed = selected.update(status=Article.Status.PUBLISHED, withdrawn_at=None, withdrawal_note="")
    selected.filter(published_at__isnull=True).update(published_at=timezone.now())
    keep_revisions(changing, comment="Published.")
    return changed


@transaction.atomic
def unpublish_articles(articles: QuerySet[Article]) -> int:
    """Turn the given articles back into drafts, keeping their publication time for when they return."""
    changing = list(articles.filter(status=Article.Status.PUBLISHED).values_list("pk", flat=True))
    changed = Article.objects.filter(pk__in=changing).update(status=Article.Status.DRAFT)
    keep_revisions(changing, comment="Unpublished (back to draft).")
    return changed


@transaction.atomic
def withdraw_articles(articles: QuerySet[Article], *, notice: str) -> int:
    """Take live articles down with a notice for readers; return how many were withdrawn.

    The article becomes a draft again and its address answers 410 Gone with the notice. Only live
    articles are withdrawn: a draft nobody has seen has nothing to withdraw, and a 410 at its address
    would reveal that it exists.
    """
    notice = notice.strip()
    if not notice:
        raise ValidationError("Write the notice readers will see at the article's address.")
    changing = list(articles.published().values_list("pk", flat=True))
    changed = Article.objects.filter(pk__in=changing).update(
        status=Article.Status.DRAFT, withdrawn_at=timezone.now(), withdrawal_note=notice
    )
    keep_revisions(changing, comment=f"Withdrawn: {notice}")
    return changed


@transaction.atomic
def append_correction(*, article: Article, kind: str, text: str, user: AbstractBaseUser | None = None) -> Correction:
    """Add a correction or update note to a published article and move its "updated" time to the note's.

    Notes are never edited or deleted afterwards; the article's revision keeps the note with the text.
    """
    note = Correction(article=article, kind=kind, text=text.strip(), created_by=user)
    note.full_clean()
    note.save()
    # auto_now would stamp its own time; the note's time is the one readers should see.
    Article.objects.filter(pk=article.pk).update(updated_at=note.created_at)
    article.updated_at = note.created_at
    keep_revisions([article.pk], comment=f"Added {note.get_kind_display().lower()}: {note.text}", user=user)
    return note


@transaction.atomic
def restore_revision(*, article: Article, revision: Revision, user: AbstractBaseUser | None = None) -> Article:
    """Bring back the words, image, source, section, byline and tags an earlier revision held.

    The restore is itself a new revision, so the state it replaced stays in the history. Status,
    publication and withdrawal are left as they are, and correction notes stay: they are a public
    record. What the revision needs and no longer exists (a deleted author or section, an image file
    gone from storage, a slug another article now uses) refuses the restore with RestoreRefused.
    """
    saved = saved_in(revision, article.pk)
    if not saved.fields:
        raise RestoreRefused("That revision does not hold this article.")
    existing_authors = set(Author.objects.filter(pk__in=saved.author_ids).values_list("pk", flat=True))
    if set(saved.author_ids) - existing_authors:
        raise RestoreRefused("An author on that revision's byline has been deleted since, so it cannot be restored.")
    section_id = saved.fields.get("section_id")
    if section_id is not None and not Section.objects.filter(pk=section_id).exists():
        raise RestoreRefused("That revision's section has been deleted since, so it cannot be restored.")
    image = saved.fields.get("hero_image")
    image_name = getattr(image, "name", None) or ""
    if image_name and not article.hero_image.storage.exists(image_name):
        raise RestoreRefused(f"That revision's image file, {image_name}, is no longer in storage.")

    for attname in RESTORED_FIELDS:
        value = image_name if attname == "hero_image" else saved.fields.get(attname)
        setattr(article, attname, value)
    try:
        article.full_clean()
    except ValidationError as exc:
        raise RestoreRefused(" ".join(exc.messages)) from exc
    article.save()
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position) for position, _, author_id in saved.bylines
    )
    article.tags.set(saved.tag_names)
    when = date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")
    keep_revisions([article.pk], comment=f"Restored the version saved on {when}.", user=user)
    return article
