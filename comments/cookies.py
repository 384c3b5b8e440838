"""Remember me: the commenter's name and email in a signed cookie, filled into the form next time.

A cookie of its own rather than a session: a reader who comments creates no row on the server.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

REMEMBER_SALT = "comments.remember"


def remember_author(response: HttpResponse, request: HttpRequest, *, name: str, email: str, remember: bool) -> None:
    """Keep the name and email in a signed cookie when asked, and forget them when not."""
    cookie = settings.COMMENTS_REMEMBER_COOKIE
    if remember:
        response.set_cookie(
            cookie,
            signing.dumps({"name": name, "email": email}, salt=REMEMBER_SALT),
            max_age=settings.COMMENTS_REMEMBER_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    elif cookie in request.COOKIES:
        response.delete_cookie(cookie, samesite="Lax")


def remembered_author(request: HttpRequest) -> dict[str, str]:
    """The name and email from the "remember me" cookie, or nothing when it is absent or tampered with."""
    raw = request.COOKIES.get(settings.COMMENTS_REMEMBER_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=REMEMBER_SALT, max_age=settings.COMMENTS_REMEMBER_MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in ("name", "email") if isinstance(data.get(key), str)}
