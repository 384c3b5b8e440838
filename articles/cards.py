"""Story cards (the home, section, tag and author pages' lists, the related stories) drawn in Python.

Why not a template: a card was five template renders (the card, its byline, its picture, and their
includes) with some forty variable lookups and five `reverse()` calls, about 2 ms of processor time each;
the home page draws eleven and the article page four (docs/performance.md has the profile). Here a card is
one f-string over values looked up once: the template's markup, which it replaced byte for byte, at about
a third of the cost. Everything from the database is escaped as the template escaped it (`html.escape`,
which Django's `escape` calls); tests/articles/test_cards.py checks what a reader would notice if it were not.
"""

from html import escape

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from images.markup import picture_html
from newsroom.paging import KeysetPage, older_newer_html

CARD_SIZES = "(min-width: 59rem) 23rem, (min-width: 39.5rem) calc(50vw - 2rem), calc(100vw - 2rem)"


def card_html(article: Article) -> SafeString:
    """One story's card. `article` comes from for_listing() or with_card_columns() plus listing_prefetches():
    its section, comment count and bylines are read without a query."""
    return mark_safe(_card(article))  # noqa: S308 (every value from the database is escaped below)


def cards_html(articles: list[Article]) -> SafeString:
    """The cards of a list, one after another."""
    return mark_safe("".join(_card(article) for article in articles))  # noqa: S308 (as card_html)


def byline_html(authors: list) -> SafeString:
    """ "By A, B and C", each name a link to the author's page; "" when the story has no byline."""
    if not authors:
        return mark_safe("")
    last = len(authors) - 1
    parts = []
    for index, author in enumerate(authors):
        if index:
            parts.append(" and " if index == last else ", ")
        parts.append(f'<a href="{escape(author.get_absolute_url())}" rel="author" dir="auto">{escape(author.name)}</a>')
    return mark_safe('<span class="byline">By ' + "".join(parts) + "</span>")  # noqa: S308 (escaped above)


def _card(article: Article) -> str:
    url = escape(article.get_absolute_url())
    picture = article.card_picture
    image = (
        f'\n  <a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">\n    \n'
        f"{picture_html(picture, alt=article.hero_alt, sizes=CARD_SIZES)}\n\n  </a>\n  "
        if picture
        else ""
    )
    section = article.section
    kicker = (
        f'<span class="type-label type-label--{escape(article.article_type)}">'
        f"{escape(article.get_article_type_display())}</span>"
    )
    if section:
        kicker += f' <a href="{escape(section.get_absolute_url())}" dir="auto">{escape(section.name)}</a>'
    summary = f'<p class="card__summary" dir="auto">{escape(article.card_standfirst)}</p>' if article.summary else ""
    count = article.comment_count
    comments = (
        f' &middot; <a class="card__comments" href="{url}#comments">{count} comment{"" if count == 1 else "s"}</a>'
        if count
        else ""
    )
    return (
        f'\n<article class="card">\n  {image}\n  <div class="card__text">\n'
        f'    <p class="kicker">{kicker}</p>\n'
        f'    <h2 class="card__headline" dir="auto"><a href="{url}">{escape(article.headline)}</a></h2>\n'
        f"    {summary}\n"
        f'    <p class="meta">{byline_html(article.byline_authors)}\n &middot; {_time(article)}{comments}</p>\n'
        "  </div>\n</article>\n"
    )


def _time(article: Article) -> str:
    """`<time>` of the publication day, as `|machine_datetime` and `|date:"j F Y"` wrote it; empty text for a
    story without a publication time, as those filters give."""
    moment = article.published_at
    if moment is None:
        return '<time datetime=""></time>'
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    shown = f"{local.day} {MONTHS[local.month]} {local.year:04d}"
    return f'<time datetime="{local.replace(microsecond=0).isoformat()}">{escape(shown)}</time>'


def article_list_html(page: KeysetPage, request: HttpRequest, empty_message: str = "") -> SafeString:
    """A listing's page of cards with its links to newer and older stories, or `empty_message` when it has none:
    the markup of the include it replaced (articles/_article_list.html), drawn on every listing page."""
    if not page.object_list:
        return mark_safe(f'\n<p class="empty">{conditional_escape(empty_message or "No stories yet.")}</p>\n\n')  # noqa: S308 (escaped)
    return mark_safe(  # noqa: S308 (the cards escape what they show; the links are escaped there)
        f'\n<div class="card-list">\n  {cards_html(page.object_list)}\n</div>\n{older_newer_html(page, request)}\n\n'
    )
