"""Which cached pages a change of comments purges (newsroom/surrogate.py): the story's own page and every card
and feed entry of it, all named `article-<id>`, since each shows the story's comment count.

A comment held for moderation or sent to spam changes no public page, so the flood of posts a viral story
draws purges nothing until a moderator approves one.
"""

from collections.abc import Iterable

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from comments.models import Comment
from newsroom import surrogate


def purge_pages_of(comment_ids: Iterable[int]) -> None:
    """Purge the pages of the stories these comments are on, once the transaction commits (for writes made with
    QuerySet.update(), which sends no signal: moderation's approve, spam and remove)."""
    ids = sorted(set(comment_ids))
    if ids:
        surrogate.purge(lambda: _article_keys(ids))


def _article_keys(ids: list[int]) -> list[str]:
    articles = Comment.objects.filter(pk__in=ids).values_list("article_id", flat=True).distinct()
    return [surrogate.article(pk) for pk in articles]


def _comment_saved(sender: type[Model], instance: Comment, created: bool, **kwargs: object) -> None:
    if created and instance.status != Comment.Status.APPROVED:
        return
    surrogate.purge([surrogate.article(instance.article_id)])


def _comment_deleted(sender: type[Model], instance: Comment, **kwargs: object) -> None:
    surrogate.purge([surrogate.article(instance.article_id)])


def connect() -> None:
    """Called from CommentsConfig.ready()."""
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="pagecache-comment-saved")
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="pagecache-comment-deleted")
