"""`{% card article %}`, `{% cards articles %}` and `{% article_list page %}`: story cards, drawn by articles.cards."""

from django import template
from django.utils.safestring import SafeString

from articles import cards as markup
from articles import story as story_markup
from articles.models import Article
from newsroom.paging import KeysetPage

register = template.Library()


@register.simple_tag
def card(article: Article) -> SafeString:
    """One story's card; see articles/cards.py for why this is Python, not a template."""
    return markup.card_html(article)


@register.simple_tag
def cards(articles: list[Article]) -> SafeString:
    """A list's cards, one after another."""
    return markup.cards_html(articles)


@register.simple_tag(takes_context=True)
def article_list(context: template.Context, page: KeysetPage, *, empty_message: str = "") -> SafeString:
    """A listing's page of cards with its older and newer links, or `empty_message` when it has no stories."""
    return markup.article_list_html(page, context.request, empty_message)


@register.simple_tag
def byline(authors: list) -> SafeString:
    """ "By A, B and C", each a link to the author's page (nothing for a story without a byline)."""
    return markup.byline_html(authors)


@register.simple_tag
def story(article: Article) -> SafeString:
    """The story's `<article>` on its page; see articles/story.py for why this is Python, not a template."""
    return story_markup.story_html(article)


@register.simple_tag
def related_stories(articles: list[Article]) -> SafeString:
    """The related stories' section under a story, or nothing."""
    return story_markup.related_html(articles)
