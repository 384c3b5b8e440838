"""Emails about the editorial workflow: editors hear when a story is submitted for review, its writers
when it is published or sent back to draft.

Sent through Django's email API (the console in development, SMTP in production) after the step's
transaction commits, as comments/notifications.py does: a step that rolls back sends nothing, and a
failure to send is logged by on_commit(robust=True) instead of undoing the step.
"""

from urllib.parse import urljoin

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import PUBLISH_PERMISSION, Article

Status = Article.Status


def _addresses(users) -> list[str]:
    """Each address once, in a stable order, from active staff logins that have one."""
    rows = users.filter(is_active=True, is_staff=True).exclude(email="").values_list("email", flat=True)
    return list(dict.fromkeys(email.strip() for email in rows.order_by("email") if email.strip()))


def editor_emails(*, excluding: AbstractBaseUser | None = None) -> list[str]:
    """Everyone who may publish: the Editor role (through its group), the permission given directly, and
    superusers."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    may_publish = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
        | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    )
    users = get_user_model().objects.filter(may_publish)
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return _addresses(users)


def writer_emails(article: Article, *, excluding: AbstractBaseUser | None = None) -> list[str]:
    """The story's writers: whoever created it and the bylined authors with a staff login."""
    users = get_user_model().objects.filter(Q(pk=article.created_by_id) | Q(author__bylines__article=article))
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return _addresses(users)


def _one_line(text: str) -> str:
    # A subject is a mail header: a line break in a headline must not start a new header.
    return " ".join(text.split())


def _send(template: str, subject: str, recipients: list[str], context: dict) -> None:
    if recipients:
        EmailMessage(subject=_one_line(subject), body=render_to_string(template, context), to=recipients).send()


def announce_step(article: Article, *, from_status: str, to_status: str, by: AbstractBaseUser, site_url: str) -> None:
    """Tell whoever acts next about a workflow step `by` just took; other steps need no email."""
    context = {
        "article": article,
        "by": by.get_full_name() or by.get_username(),
        "admin_url": urljoin(site_url, reverse("admin:articles_article_change", args=[article.pk])),
    }
    if to_status == Status.IN_REVIEW:
        queue = reverse("admin:articles_article_changelist") + f"?status__exact={Status.IN_REVIEW}"
        context["review_url"] = urljoin(site_url, queue)
        recipients = editor_emails(excluding=by)
        _send("articles/email/submitted.txt", f"For review: “{article.headline}”", recipients, context)
    elif to_status == Status.PUBLISHED:
        context["when"] = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        context["is_scheduled"] = article.is_scheduled
        context["public_url"] = urljoin(site_url, article.get_absolute_url())
        recipients = writer_emails(article, excluding=by)
        step = "Scheduled" if article.is_scheduled else "Published"
        _send("articles/email/published.txt", f"{step}: “{article.headline}”", recipients, context)
    elif (from_status, to_status) == (Status.IN_REVIEW, Status.DRAFT):
        recipients = writer_emails(article, excluding=by)
        _send("articles/email/returned.txt", f"Sent back to draft: “{article.headline}”", recipients, context)
