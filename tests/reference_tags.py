"""`{% article_head %}` as it was before articles/story.py drew it: the inclusion tag over articles/_head.html, for
the reference templates in tests/reference_templates/ (tests/newsroom/test_markup_as_before.py)."""

from django import template

from articles import structured_data
from articles.models import Article

register = template.Library()


@register.inclusion_tag("articles/_head.html", takes_context=True)
def article_head(context: template.Context, article: Article, *, preview: bool = False) -> dict:
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
