"""Emails about comments, sent through Django's email API (the console in development, SMTP in production).

Called after the comment's transaction commits, so a post that rolls back sends nothing; a failure to
send is logged by on_commit(robust=True) rather than turning a stored comment into an error page.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from comments.models import Comment
from roles.groups import MODERATOR

UNSUBSCRIBE_SALT = "comments.unsubscribe"
# Enough of the comment to judge it from the inbox without opening the admin.
EXCERPT_CHARS = 600


def moderator_emails() -> list[str]:
    """Active users in the Moderator group with an address, then MODERATOR_EMAILS, each once."""
    users = get_user_model().objects.filter(groups__name=MODERATOR, is_active=True).exclude(email="")
    addresses = [*users.values_list("email", flat=True).order_by("email"), *settings.MODERATOR_EMAILS]
    return list(dict.fromkeys(address.strip() for address in addresses if address.strip()))


def _one_line(text: str) -> str:
    # A subject is a mail header: a line break in a headline must not start a new header.
    return " ".join(text.split())


def comment_held(comment: Comment, *, site_url: str) -> None:
    """Tell the moderators a comment waits for them, with the rule that held it and a link to it."""
    recipients = moderator_emails()
    if not recipients:
        return
    context = {
        "comment": comment,
        "excerpt": Truncator(comment.body).chars(EXCERPT_CHARS),
        "admin_url": urljoin(site_url, reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": urljoin(site_url, reverse("admin:comments_comment_changelist") + "?status__exact=pending"),
    }
    EmailMessage(
        subject=_one_line(f"Comment to moderate on “{comment.article.headline}”"),
        body=render_to_string("comments/email/held.txt", context),
        to=recipients,
    ).send()


def unsubscribe_token(email: str) -> str:
    """A signed token naming the address; it does not expire, since an old email's link must still work."""
    return signing.dumps(email, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> str | None:
    try:
        email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) else None


def reply_approved(reply: Comment, *, site_url: str) -> None:
    """Tell a parent comment's author, who asked for it, that a reply to them is on the site."""
    parent = reply.parent
    unsubscribe_url = urljoin(site_url, reverse("comments:unsubscribe", args=[unsubscribe_token(parent.email)]))
    context = {
        "reply": reply,
        "parent": parent,
        "excerpt": Truncator(reply.body).chars(EXCERPT_CHARS),
        "reply_url": urljoin(site_url, reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    EmailMessage(
        subject=_one_line(f"{reply.name} replied to your comment on “{reply.article.headline}”"),
        body=render_to_string("comments/email/reply.txt", context),
        to=[parent.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    ).send()
