"""Writes with rules: storing a reader's comment, moderating comments, blocking senders, purging, unsubscribing."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import Article
from comments import notifications
from comments.caching import purge_pages_of
from comments.models import Comment, ModerationSettings, lines
from comments.spam import Candidate, FormToken, screen


class CommentRefused(Exception):
    """The comment cannot be stored; `message` tells the reader why, in words fit for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


DUPLICATE_MESSAGE = "You have already posted this comment on this story."
# Said of a form whose token was used for another comment: the same words as for an expired form,
# so a program replaying one form learns nothing it could adjust.
STALE_FORM_MESSAGE = "This form is out of date. Please check your comment and send it again."


@dataclass(frozen=True)
class Posted:
    comment: Comment
    # True when this request sent the same form again (a double click, a resent page): nothing new
    # was stored, and the reader gets the answer the first request got.
    was_repeat: bool = False


def post_comment(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    ip_address: str | None,
    form_token: FormToken,
    parent: Comment | None = None,
    notify_replies: bool = False,
    trap_filled: bool = False,
    user_agent: str = "",
    site_url: str = "",
) -> Posted:
    """Screen and store a reader's comment, once per form and once per text.

    The caller has checked the article is published and open, and that `parent` is a visible comment
    of the same article. A duplicate is refused by the database's unique constraints, not by a
    read-then-write, so two identical requests at the same moment still store one comment.
    Moderators are emailed about a held comment, and a parent's author about an approved reply,
    once the comment is committed.
    """
    candidate = Candidate(
        name=name,
        email=email,
        body=body,
        ip_address=ip_address,
        trap_filled=trap_filled,
        seconds_to_submit=timezone.now().timestamp() - form_token.issued_at,
    )
    rules = ModerationSettings.load()
    known = Comment.objects.filter(email=email, status=Comment.Status.APPROVED)
    status, rule = screen(candidate, rules, is_known_author=known.exists)
    comment = Comment(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        status=status,
        held_by_rule=rule[:200],
        notify_replies=notify_replies,
        ip_address=ip_address,
        user_agent=user_agent[:400],
        form_nonce=form_token.nonce,
    )
    # The article and parent were just loaded by the caller, so checking they exist would be wasted
    # queries; the unique fields are left to the database (see above).
    comment.full_clean(exclude=["article", "parent", "root"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            comment.save()
            if status == Comment.Status.PENDING:
                transaction.on_commit(lambda: notifications.comment_held(comment, site_url=site_url), robust=True)
            elif status == Comment.Status.APPROVED and parent is not None:
                transaction.on_commit(lambda: notify_parents([comment.pk], site_url=site_url), robust=True)
    except IntegrityError:
        return Posted(comment=_earlier_post(article, comment), was_repeat=True)
    return Posted(comment=comment)


def _earlier_post(article: Article, comment: Comment) -> Comment:
    """The stored comment this one repeats: the same form sent twice; otherwise CommentRefused."""
    same_text = Q(article=article, fingerprint=comment.fingerprint)
    same_form = Q(form_nonce=comment.form_nonce, email=comment.email)
    earlier = list(Comment.objects.filter(same_text | same_form))
    for stored in earlier:
        if stored.form_nonce == comment.form_nonce and stored.fingerprint == comment.fingerprint:
            return stored
    if any(stored.fingerprint == comment.fingerprint for stored in earlier):
        raise CommentRefused(DUPLICATE_MESSAGE)
    raise CommentRefused(STALE_FORM_MESSAGE)


@transaction.atomic
def moderate_comments(comments: QuerySet[Comment], *, status: str, site_url: str = "") -> int:
    """Set the moderation status of many comments at once and return how many changed.

    Nothing is deleted, so a mistake can be undone. Readers who asked to hear about replies are
    emailed, after commit, about replies approved here for the first time.
    """
    changed = list(comments.exclude(status=status).values_list("pk", flat=True))
    Comment.objects.filter(pk__in=changed).update(status=status)
    # update() sends no signal: the stories' cached pages are purged here (comments/caching.py).
    purge_pages_of(changed)
    if status == Comment.Status.APPROVED and changed:
        transaction.on_commit(lambda: notify_parents(changed, site_url=site_url), robust=True)
    return len(changed)


BLOCKABLE = {"email", "ip_address"}


@transaction.atomic
def mark_spam_and_block(comments: QuerySet[Comment], *, field: str, site_url: str = "") -> tuple[int, list[str]]:
    """Mark the comments as spam and add their senders' addresses (email or IP) to the blocklist.

    Returns how many comments changed status and which addresses were newly blocked.
    """
    if field not in BLOCKABLE:
        raise ValueError(f"Can block by {sorted(BLOCKABLE)}, not {field!r}.")
    values = {value for value in comments.values_list(field, flat=True) if value}
    changed = moderate_comments(comments, status=Comment.Status.SPAM, site_url=site_url)
    rules = ModerationSettings.objects.select_for_update().get_or_create(pk=1)[0]
    list_field = "blocked_emails" if field == "email" else "blocked_ips"
    present = {line.casefold() for line in lines(getattr(rules, list_field))}
    added = sorted(value for value in values if value.casefold() not in present)
    if added:
        setattr(rules, list_field, "\n".join([*lines(getattr(rules, list_field)), *added]))
        rules.save(update_fields=[list_field, "updated_at"])
    return changed, added


def notify_parents(reply_pks: list[int], *, site_url: str) -> int:
    """Email the authors who asked to hear about replies, for each approved reply not announced before.

    Marks each reply first, in one UPDATE per reply that only one caller can win, so two moderators
    approving the same reply at once send one email.
    """
    replies = (
        Comment.objects.filter(
            pk__in=reply_pks,
            status=Comment.Status.APPROVED,
            parent_notified_at__isnull=True,
            parent__notify_replies=True,
            parent__status=Comment.Status.APPROVED,
        )
        # Nobody needs an email about answering themselves.
        .exclude(parent__email=F("email"))
        .select_related("parent", "article")
    )
    sent = 0
    for reply in replies:
        claimed = Comment.objects.filter(pk=reply.pk, parent_notified_at__isnull=True).update(
            parent_notified_at=timezone.now()
        )
        if claimed:
            notifications.reply_approved(reply, site_url=site_url)
            sent += 1
    return sent


def unsubscribe_replies(email: str) -> int:
    """Stop reply emails to this address, for every comment it wrote; returns how many comments changed."""
    return Comment.objects.filter(email=email, notify_replies=True).update(notify_replies=False)


@dataclass(frozen=True)
class Purged:
    spam: int
    removed: int
    kept_for_replies: int


def purge_comments(*, older_than_days: int, dry_run: bool = False) -> Purged:
    """Delete spam and removed comments older than the given number of days; nothing else is ever deleted.

    A comment that still has replies staying in the database is kept, so no thread loses its parent.
    Replies go first, a level per round, so a whole removed thread goes in one call. A dry run does
    the same work in a transaction it rolls back, so its counts are exactly what a real run deletes.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    purgeable = Comment.objects.filter(status__in=[Comment.Status.SPAM, Comment.Status.REMOVED], created_at__lt=cutoff)
    deleted = {Comment.Status.SPAM: 0, Comment.Status.REMOVED: 0}
    with transaction.atomic():
        while True:
            # RESTRICT refuses to delete a comment that replies point at, as parent or as thread root.
            leaves = purgeable.filter(replies__isnull=True, descendants__isnull=True)
            rounds = {status: leaves.filter(status=status).delete()[0] for status in deleted}
            if not any(rounds.values()):
                break
            for status, count in rounds.items():
                deleted[status] += count
        result = Purged(
            spam=deleted[Comment.Status.SPAM],
            removed=deleted[Comment.Status.REMOVED],
            kept_for_replies=purgeable.count(),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
