"""Writes with rules on articles, shared by the admin and commands: the editorial workflow.

An article moves draft → in review (its writer submits it) → published (an editor), and back to draft
(unpublished, or sent back from review). Each step goes through `_move`, which checks who may take it,
refuses a step from a status the article has already left, and records the step as a StatusChange.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, StatusChange

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"

# Where an article may go from each status. Any step to or from published also needs PUBLISH_PERMISSION.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.IN_REVIEW, Status.PUBLISHED}),
    Status.IN_REVIEW: frozenset({Status.DRAFT, Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.DRAFT}),
}


def may_publish(user: AbstractBaseUser) -> bool:
    """Editors may publish, schedule and unpublish, and edit any article; writers only their own drafts."""
    return user.has_perm(PUBLISH_PERMISSION)


def allowed_statuses(current: str, user: AbstractBaseUser) -> list[str]:
    """The statuses `user` may leave an article in, starting from `current` (which is always one of them)."""
    targets = {current} | TRANSITIONS[current]
    if not may_publish(user):
        targets = {current} | {t for t in targets if Status.PUBLISHED not in (current, t)}
    return [status for status in Status.values if status in targets]


def submit_for_review(article: Article, *, by: AbstractBaseUser) -> Article:
    """A writer hands a draft to the editors."""
    return _move(article, to=Status.IN_REVIEW, expected=Status.DRAFT, by=by)


def return_to_draft(article: Article, *, by: AbstractBaseUser) -> Article:
    """Back from review to its writer: sent back by an editor, or taken back by the writer."""
    return _move(article, to=Status.DRAFT, expected=Status.IN_REVIEW, by=by)


def publish_article(article: Article, *, by: AbstractBaseUser) -> Article:
    """Publish a draft or an article in review, refusing one that fails the checks before publishing.

    An article without a publication time gets now; one with a future time is scheduled and reaches readers
    at that time through `published()`, with no job to run.
    """
    return _move(article, to=Status.PUBLISHED, expected=None, by=by)


def unpublish_article(article: Article, *, by: AbstractBaseUser) -> Article:
    """Take a published article off the site, back to draft, keeping its publication time for its return."""
    return _move(article, to=Status.DRAFT, expected=Status.PUBLISHED, by=by)


def move_article(article: Article, *, to: str, by: AbstractBaseUser) -> Article:
    """Take whichever step leads from the article's status to `to`; the admin form's status field uses this."""
    step: dict[tuple[str, str], Callable[..., Article]] = {
        (Status.DRAFT, Status.IN_REVIEW): submit_for_review,
        (Status.IN_REVIEW, Status.DRAFT): return_to_draft,
        (Status.DRAFT, Status.PUBLISHED): publish_article,
        (Status.IN_REVIEW, Status.PUBLISHED): publish_article,
        (Status.PUBLISHED, Status.DRAFT): unpublish_article,
    }
    service = step.get((article.status, to))
    if service is None:
        raise ValidationError(
            f"An article that is {article.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    return service(article, by=by)


@transaction.atomic
def _move(article: Article, *, to: str, expected: str | None, by: AbstractBaseUser) -> Article:
    current = article.status
    if expected is not None and current != expected:
        raise ValidationError(
            f"“{article}” is {article.get_status_display().lower()}, not {Status(expected).label.lower()}."
        )
    if to not in TRANSITIONS[current]:
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
    changed = Article.objects.filter(pk=article.pk, status=current).update(
        status=to, published_at=published_at, lock_version=F("lock_version") + 1
    )
    if not changed:
        raise ValidationError(f"“{article}” was changed by someone else meanwhile; reload it and try again.")
    StatusChange.objects.create(article=article, from_status=current, to_status=to, by=by)
    article.status, article.published_at = to, published_at
    article.lock_version += 1
    return article
