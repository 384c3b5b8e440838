"""Writes with rules on articles, shared by the admin and commands: saving an article, the editorial
workflow, withdrawals, correction notes, restoring revisions and deleting articles.

Every save of an article's row from the admin's form, a revision restore or the importer goes through
`save_article`, which applies the publishing defaults and keeps old addresses; Article.save() only
derives the row's own columns.

An article moves draft → in review (its writer submits it) → published (an editor), and back to draft
(unpublished, or sent back from review), as the WORKFLOW table lists. Each step goes through `_move`,
which checks who may take it, refuses a step from a status the article has already left, records the
step as a StatusChange and, once it commits, emails whoever acts next (articles/notifications.py). The
steps take the site's address (`site_url`, from the request) so those emails can link to the story.

Every write that changes an article keeps a revision of it (django-reversion): the history then shows
who did what and when, and nothing an editor saved is lost. Writes made with `QuerySet.update()` send
no signals, so these services add the articles to the revision themselves.
"""

from collections.abc import Iterable
from datetime import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Revision, Version

from articles import notifications
from articles.caching import purge_articles
from articles.models import (
    PUBLISH_PERMISSION,
    Article,
    Byline,
    Correction,
    Section,
    SlugRedirect,
    StatusChange,
    TaggedArticle,
)
from articles.revisions import RESTORED_FIELDS, saved_in, with_followed_rows
from authors.models import Author

Status = Article.Status


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
def save_article(article: Article, *, by: AbstractBaseUser | None = None) -> Article:
    """Write an article's row: the one path for the admin's form, a revision restore and the importer.

    A published article gets a publication time if it has none and stops being withdrawn; a changed
    slug leaves its old address behind as a SlugRedirect. `by` is recorded as the creator of a new article.
    """
    if article.status == Status.PUBLISHED:
        if article.published_at is None:
            article.published_at = timezone.now()
        # Publishing again ends a withdrawal: the address answers with the story, not 410.
        article.withdrawn_at, article.withdrawal_note = None, ""
    before = None
    if article._state.adding:
        if by is not None and article.created_by_id is None:
            article.created_by = by
    elif article.pk is not None:
        before = Article.objects.filter(pk=article.pk).values("slug", "published_at").first()
    article.save()
    if before is not None and before["slug"] != article.slug:
        _keep_old_address(article, before["slug"], before["published_at"])
    return article


def _keep_old_address(article: Article, old_slug: str, published_at: datetime | None) -> None:
    """Make the old slug answer 301 to the article, forever, if readers may have seen it.

    "May have seen" is a publication time in the past: a story unpublished or withdrawn keeps its
    time, and links to it are out there. Each old slug points at the article, not at the next slug,
    so a chain of renames (A to B to C) sends A straight to C.
    """
    if published_at is None or published_at > timezone.now():
        return
    # Back at an address it had before: that slug now answers directly.
    SlugRedirect.objects.filter(old_slug=article.slug).delete()
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


# The workflow in one table: every move an article may make, from status to status, and how the move
# reads in the revision history. Any move to or from published also needs PUBLISH_PERMISSION.
WORKFLOW: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.IN_REVIEW): "Submitted for review.",
    (Status.IN_REVIEW, Status.DRAFT): "Returned to draft from review.",
    (Status.DRAFT, Status.PUBLISHED): "Published.",
    (Status.IN_REVIEW, Status.PUBLISHED): "Published.",
    (Status.PUBLISHED, Status.DRAFT): "Unpublished (back to draft).",
}


def may_publish(user: AbstractBaseUser) -> bool:
    """Editors may publish, schedule and unpublish, and edit any article; writers only their own drafts."""
    return user.has_perm(PUBLISH_PERMISSION)


def allowed_statuses(current: str, user: AbstractBaseUser) -> list[str]:
    """The statuses `user` may leave an article in, starting from `current` (which is always one of them)."""
    targets = {current} | {to for start, to in WORKFLOW if start == current}
    if not may_publish(user):
        targets = {current} | {t for t in targets if Status.PUBLISHED not in (current, t)}
    return [status for status in Status.values if status in targets]


def submit_for_review(article: Article, *, by: AbstractBaseUser, site_url: str = "") -> Article:
    """A writer hands a draft to the editors."""
    return _move(article, to=Status.IN_REVIEW, expected=Status.DRAFT, by=by, site_url=site_url)


def return_to_draft(article: Article, *, by: AbstractBaseUser, site_url: str = "") -> Article:
    """Back from review to its writer: sent back by an editor, or taken back by the writer."""
    return _move(article, to=Status.DRAFT, expected=Status.IN_REVIEW, by=by, site_url=site_url)


def publish_article(article: Article, *, by: AbstractBaseUser, site_url: str = "") -> Article:
    """Publish a draft or an article in review, refusing one that fails the checks before publishing.

    An article without a publication time gets now; one with a future time is scheduled and reaches readers
    at that time through `published()`, with no job to run.
    """
    return _move(article, to=Status.PUBLISHED, expected=None, by=by, site_url=site_url)


def unpublish_article(article: Article, *, by: AbstractBaseUser, site_url: str = "") -> Article:
    """Take a published article off the site, back to draft, keeping its publication time for its return."""
    return _move(article, to=Status.DRAFT, expected=Status.PUBLISHED, by=by, site_url=site_url)


def move_article(article: Article, *, to: str, by: AbstractBaseUser, site_url: str = "") -> Article:
    """Take whichever step leads from the article's status to `to`; the admin form's status field uses this."""
    if (article.status, to) not in WORKFLOW:
        raise ValidationError(
            f"An article that is {article.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    return _move(article, to=to, expected=None, by=by, site_url=site_url)


@transaction.atomic
def _move(article: Article, *, to: str, expected: str | None, by: AbstractBaseUser, site_url: str) -> Article:
    current = article.status
    if expected is not None and current != expected:
        raise ValidationError(
            f"“{article}” is {article.get_status_display().lower()}, not {Status(expected).label.lower()}."
        )
    if (current, to) not in WORKFLOW:
        raise ValidationError(f"“{article}” is already {article.get_status_display().lower()}.")
    if Status.PUBLISHED in (current, to) and not may_publish(by):
        raise PermissionDenied("Only editors publish and unpublish articles.")
    if to == Status.PUBLISHED and (problems := article.publish_problems()):
        raise ValidationError(problems)
    published_at = article.published_at
    if to == Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    # Compare-and-set on the status read above: if someone else moved the article meanwhile, nothing is
    # written and the step is refused rather than recorded twice. updated_at is left alone: readers'
    # "updated" note is about the words, not the status. lock_version moves, so a form opened before this
    # step cannot save the old status back over it.
    # Publishing again ends a withdrawal: the address answers with the story, not 410.
    withdrawal = {"withdrawn_at": None, "withdrawal_note": ""} if to == Status.PUBLISHED else {}
    changed = Article.objects.filter(pk=article.pk, status=current).update(
        status=to, published_at=published_at, lock_version=F("lock_version") + 1, **withdrawal
    )
    if not changed:
        raise ValidationError(f"“{article}” was changed by someone else meanwhile; reload it and try again.")
    StatusChange.objects.create(article=article, from_status=current, to_status=to, by=by)
    article.status, article.published_at = to, published_at
    article.lock_version += 1
    if to == Status.PUBLISHED:
        article.withdrawn_at, article.withdrawal_note = None, ""
    keep_revisions([article.pk], comment=WORKFLOW[(current, to)], user=by)
    transaction.on_commit(
        lambda: notifications.announce_step(article, from_status=current, to_status=to, by=by, site_url=site_url),
        robust=True,
    )
    if Status.PUBLISHED in (current, to):
        # update() sends no signal: the cached pages showing the story, and its listings, are purged here.
        purge_articles([article.pk])
    return article


@transaction.atomic
def withdraw_articles(articles: QuerySet[Article], *, notice: str, by: AbstractBaseUser | None = None) -> int:
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
        status=Status.DRAFT,
        withdrawn_at=timezone.now(),
        withdrawal_note=notice,
        lock_version=F("lock_version") + 1,
    )
    # A withdrawal is a workflow step too (published → draft), so the article's history shows it.
    StatusChange.objects.bulk_create(
        StatusChange(article_id=pk, from_status=Status.PUBLISHED, to_status=Status.DRAFT, by=by) for pk in changing
    )
    keep_revisions(changing, comment=f"Withdrawn: {notice}", user=by)
    purge_articles(changing)
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
    save_article(article, by=user)
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position) for position, _, author_id in saved.bylines
    )
    article.tags.set(saved.tag_names)
    # The byline was bulk-created, without signals: the story's pages and listings, old and new, are purged here.
    purge_articles([article.pk])
    when = date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")
    # The time does not end the sentence: a format ending in "a.m." would get a second full stop.
    keep_revisions([article.pk], comment=f"Restored the version saved on {when} as the current one.", user=user)
    return article


@transaction.atomic
def delete_articles(articles: QuerySet[Article]) -> int:
    """Delete articles with every row that is part of them, and the revisions that kept them.

    Comments, bylines, tags, corrections, old addresses and status changes go by their CASCADE foreign keys.
    Revisions name their rows by id, not by a foreign key, so they are deleted here: an article taken down
    (a duplicate, a legal takedown) leaves no copy of its words in the history. Returns how many articles went.
    """
    ids = list(articles.values_list("pk", flat=True))
    _forget_revisions(ids)
    deleted = Article.objects.filter(pk__in=ids).delete()[1]
    return deleted.get(Article._meta.label, 0)


def _forget_revisions(article_ids: list[int]) -> None:
    """Delete the revisions of these articles. A revision from a bulk action also holds other articles;
    only these articles' rows leave it, so the others' history stays whole."""
    keys = [str(pk) for pk in article_ids]
    article_type = ContentType.objects.get_for_model(Article)
    holding = set(
        Version.objects.filter(content_type=article_type, object_id__in=keys).values_list("revision_id", flat=True)
    )
    shared = set(
        Version.objects.filter(content_type=article_type, revision_id__in=holding)
        .exclude(object_id__in=keys)
        .values_list("revision_id", flat=True)
    )
    Revision.objects.filter(pk__in=holding - shared).delete()
    # Which article a followed row belonged to is in its stored fields (as articles.revisions.saved_in reads it).
    owner_field = {Article: "id", Byline: "article_id", Correction: "article_id", TaggedArticle: "content_object_id"}
    doomed = set(article_ids)
    leaving = [
        version.pk
        for version in Version.objects.filter(revision_id__in=shared).select_related("content_type")
        if (field := owner_field.get(version.content_type.model_class())) and version.field_dict[field] in doomed
    ]
    Version.objects.filter(pk__in=leaving).delete()
