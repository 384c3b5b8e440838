"""Template helpers for images: `{% picture %}` draws the <picture> element (images/markup.py), `|absolute_uri`."""

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from images.markup import picture_html
from images.renditions import Picture

register = template.Library()


@register.filter
def absolute_uri(url: str, request: HttpRequest) -> str:
    """A media URL as a full address, for link previews (og:image); one that already is stays as it is,
    as object storage gives."""
    return request.build_absolute_uri(url)


@register.simple_tag
def picture(picture: Picture, *, alt: str, sizes: str, css_class: str = "", eager: bool = False) -> SafeString:
    """`{% picture picture alt=... sizes=... css_class=... eager=True %}`: one image in every size and format it
    was rendered in; `eager` for the one image at the top of a page (fetched first, never lazily)."""
    return mark_safe(picture_html(picture, alt=alt, sizes=sizes, css_class=css_class, eager=eager))  # noqa: S308 (escaped there)
