"""Template helpers for images: the <picture> markup itself is images/_picture.html, included with its context."""

from django import template
from django.http import HttpRequest

register = template.Library()


@register.filter
def absolute_uri(url: str, request: HttpRequest) -> str:
    """A media URL as a full address, for link previews (og:image); one that already is stays as it is,
    as object storage gives."""
    return request.build_absolute_uri(url)
