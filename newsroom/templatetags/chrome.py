"""The chrome of every public page, drawn by newsroom/chrome.py: `{% site_header %}`, `{% site_footer %}`,
`{% site_head %}` and `{% site_messages %}` in templates/base.html, and the `<head>`'s `{% open_graph %}` and
`{% feed_links %}` that each page fills in."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from newsroom.chrome import (
    feed_links_html,
    footer_html,
    header_html,
    messages_html,
    open_graph_html,
    site_head_html,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The header with the section bar, from the context processors' `publication` and `nav_sections`."""
    return mark_safe(header_html(context.get("publication"), context.get("nav_sections")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    """The footer, from the context processors' `publication` and `footer_pages`."""
    return mark_safe(footer_html(context.get("publication"), context.get("footer_pages")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def site_head(context: template.Context) -> SafeString:
    """The site's part of every `<head>`: name, locale, icon, stylesheet, feeds."""
    return mark_safe(site_head_html(context.get("publication")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def site_messages(context: template.Context) -> SafeString:
    """The reader's one-time messages, from the context processor's `messages`."""
    return mark_safe(messages_html(context.get("messages")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def open_graph(
    context: template.Context,
    *,
    title: object,
    description: object = "",
    url: str = "",
    share: object = None,
    alt: object = "",
) -> SafeString:
    """`{% open_graph title=... description=... url=request.path share=... alt=... %}`: a page's link preview."""
    html = open_graph_html(context.get("request"), title=title, description=description, url=url, share=share, alt=alt)
    return mark_safe(html)  # noqa: S308 (escaped there)


@register.simple_tag
def feed_links(*, title: object, rss: str, atom: str) -> SafeString:
    """`{% feed_links title=... rss=... atom=... %}`: a page's RSS and Atom feeds, by address."""
    return mark_safe(feed_links_html(title, rss, atom))  # noqa: S308 (escaped there)
