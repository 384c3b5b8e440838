"""Error pages that need more than a template: a post too large to read is told so in words."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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
