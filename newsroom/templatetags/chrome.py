"""`{% site_header %}` and `{% site_footer %}`: the chrome of every public page, drawn by newsroom/chrome.py."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from newsroom.chrome import footer_html, header_html

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The header with the section bar, from the context processors' `publication` and `nav_sections`."""
    return mark_safe(header_html(context.get("publication"), context.get("nav_sections")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    """The footer, from the context processors' `publication` and `footer_pages`."""
    return mark_safe(footer_html(context.get("publication"), context.get("footer_pages")))  # noqa: S308 (escaped there)
