"""Who may preview an unpublished article, and the signed links that let a colleague without a login see one."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

# A salt of its own, so no other signed value of the site (a cookie, a reset token) can pass as a preview link.
PREVIEW_SALT = "articles.preview-link"


class PreviewLinkExpired(Exception):
    """The link was made by this site but is older than PREVIEW_LINK_MAX_AGE."""


def may_preview(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff who may see articles in the admin may preview them; which ones is Article.objects.for_staff()."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.change_article") or user.has_perm("articles.view_article"))
    )


def preview_link_path(article: Article) -> str:
    """A path that shows this article, whatever its state, to anyone holding it, until it expires."""
    token = signing.TimestampSigner(salt=PREVIEW_SALT).sign_object({"article": article.pk})
    return reverse("articles:shared_preview", kwargs={"token": token})


def preview_link_expiry(made_at: datetime | None = None) -> datetime:
    return (made_at or timezone.now()) + timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE)


def article_id_from_link(token: str) -> int | None:
    """The article a link was made for; None for a link this site did not make (or made with another key).

    Raises PreviewLinkExpired for a genuine link past its time, so the holder can be told to ask for a new one.
    """
    try:
        value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign_object(token, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PreviewLinkExpired from exc
    except signing.BadSignature:
        return None
    article_id = value.get("article") if isinstance(value, dict) else None
    return article_id if isinstance(article_id, int) else None
