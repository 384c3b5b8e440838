"""The <head> of an article page for search engines and link previews: canonical address, Open Graph, Twitter
and JSON-LD, from articles/structured_data.py; and the home page's organization."""

from django import template
from django.utils.safestring import SafeString

from articles import structured_data
from articles.models import Article
from newsroom.structured_data import organization_script

register = template.Library()


@register.inclusion_tag("articles/_head.html", takes_context=True)
def article_head(context: template.Context, article: Article, *, preview: bool = False) -> dict:
    """Everything about the story a crawler or a link preview reads. A preview (of a draft, perhaps) gets the
    canonical address and the preview basics but no publication times and no JSON-LD: it is no page to index,
    and a draft's data must never reach structured data."""
    request = context["request"]
    publication = context["publication"]
    public = article.is_published and not preview
    return {
        "article": article,
        "request": request,
        "publication": publication,
        "canonical_url": structured_data.canonical_url(article, request),
        "open_graph": structured_data.open_graph_article(article, request) if public else None,
        "json_ld": structured_data.article_script(article, publication, request) if public else "",
    }


@register.simple_tag(takes_context=True)
def publication_json_ld(context: template.Context) -> SafeString:
    """The publication as a NewsMediaOrganization, for the home page."""
    return organization_script(context["publication"], context["request"])
