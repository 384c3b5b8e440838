"""The <head> of an article page for search engines and link previews: canonical address, Open Graph, Twitter
and JSON-LD, from articles/structured_data.py, drawn by articles/story.py; and the home page's organization."""

from django import template
from django.utils.safestring import SafeString

from articles.models import Article
from articles.story import head_html
from newsroom.structured_data import organization_script

register = template.Library()


@register.simple_tag(takes_context=True)
def article_head(context: template.Context, article: Article, *, preview: bool = False) -> SafeString:
    """Everything about the story a crawler or a link preview reads (articles/story.py draws it). A preview (of a
    draft, perhaps) gets the canonical address and the preview basics but no publication times and no JSON-LD: it
    is no page to index, and a draft's data must never reach structured data."""
    return head_html(article, context["publication"], context["request"], preview=preview)


@register.simple_tag(takes_context=True)
def publication_json_ld(context: template.Context) -> SafeString:
    """The publication as a NewsMediaOrganization, for the home page."""
    return organization_script(context["publication"], context["request"])
