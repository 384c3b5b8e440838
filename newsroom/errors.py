"""Error pages that need more than a template: a post too large to read is told so in words, and a
database that cannot be reached is a 503 the reader can wait out, not a 500."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400. Django answers a form larger than DATA_UPLOAD_MAX_MEMORY_SIZE as a bad request, before any
    view (the CSRF check is the first to read it), so the page saying what happened is made here: how large
    the post was and what the site reads, with status 413. Every other bad request keeps 400.html."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    try:
        sent = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        sent = 0
    context = {
        "sent_mb": _megabytes(sent) if sent else "",
        "limit_mb": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    }
    # Rendered without the request, as Django's own error views are: context processors would read it again.
    return HttpResponse(loader.render_to_string("413.html", context), status=413)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


# How long a reader (or a crawler) is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside the `except` that caught the view's exception, so the exception
    is at hand: a lost or refused database connection is the service being unavailable for a while (503
    with Retry-After, so crawlers come back rather than drop the page), anything else a 500 as before.
    Both pages are static templates: the database and the cache may be what failed."""
    exception = sys.exc_info()[1]
    if _database_unreachable(exception):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


def _database_unreachable(exception: BaseException | None) -> bool:
    # OperationalError covers a refused or dropped connection on both backends; InterfaceError a
    # connection already closed under Django. Another database error (an IntegrityError, a bad query) stays
    # a 500: a bug. An exception raised while handling one is followed back to its cause.
    while exception is not None:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        if isinstance(exception, DatabaseError):
            return False
        exception = exception.__cause__ or exception.__context__
    return False
