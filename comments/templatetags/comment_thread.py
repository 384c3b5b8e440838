"""`{% comment_list page article_url is_open %}`: a page of comments, drawn by comments.render."""

from django import template
from django.utils.safestring import SafeString

from comments import render
from comments.threads import CommentPage

register = template.Library()


@register.simple_tag
def comment_list(page: CommentPage, article_url: str, is_open: bool) -> SafeString:
    """The page's threads as nested lists; see comments/render.py for why this is Python, not a template."""
    return render.comment_list(page, article_url, is_open)


@register.simple_tag
def comment_section(**parts) -> SafeString:
    """The article page's comment section with its form; see comments/render.py for why this is Python."""
    return render.comment_section(**parts)
