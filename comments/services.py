"""Writes with rules: storing a reader's comment, and moderating it."""

from articles.models import Article
from comments.models import Comment


def post_comment(
    *, article: Article, name: str, email: str, body: str, ip_address: str | None, user_agent: str = ""
) -> Comment:
    """Store a reader's comment as pending: nothing a reader writes appears before a moderator saw it."""
    comment = Comment(
        article=article,
        name=name,
        email=email,
        body=body,
        ip_address=ip_address,
        user_agent=user_agent[:400],
        status=Comment.Status.PENDING,
    )
    # The article was just loaded by the caller, so checking that it exists would be a wasted query.
    comment.full_clean(exclude=["article"])
    comment.save()
    return comment


def moderate_comments(comments, *, status: str) -> int:
    """Set the moderation status of many comments at once; nothing is deleted, so a mistake can be undone."""
    return comments.exclude(status=status).update(status=status)
