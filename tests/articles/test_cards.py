"""Story cards, drawn in Python (articles/cards.py): what a reader sees of each story in a list, escaped."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.cards import byline_html, card_html
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">&"\''


def home_card(article) -> str:
    page = Client().get(reverse("articles:home")).content.decode()
    start = page.index(f'href="{article.get_absolute_url()}"')
    return page[page.rindex('<article class="card">', 0, start) : page.index("</article>", start)]


def test_hostile_text_in_every_part_of_a_card_is_shown_as_text(client):
    section = SectionFactory(name=HOSTILE)
    article = ArticleFactory(
        published=True, headline=HOSTILE, summary=HOSTILE, section=section, authors=[AuthorFactory(name=HOSTILE)]
    )
    page = client.get(reverse("articles:home")).content.decode()

    assert "<img src=x" not in page
    assert page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;&#x27;") >= 4
    assert f'<a href="{article.get_absolute_url()}">' in page


def test_a_card_links_the_story_its_section_its_authors_and_its_comments(client):
    authors = [AuthorFactory(name=name) for name in ("Ada", "Bea", "Cy")]
    article = ArticleFactory(published=True, authors=authors, summary="A standfirst.")
    CommentFactory.create_batch(2, article=article, status=Comment.Status.APPROVED)
    card = home_card(article)

    assert f'<a href="{article.section.get_absolute_url()}" dir="auto">{article.section.name}</a>' in card
    assert ">Ada</a>, <a" in card and ">Bea</a> and <a" in card and card.count('rel="author"') == 3
    assert f'<a class="card__comments" href="{article.get_absolute_url()}#comments">2 comments</a>' in card
    assert '<p class="card__summary" dir="auto">A standfirst.</p>' in card
    assert f'<time datetime="{article.published_at.replace(microsecond=0).isoformat()}">' in card


def test_one_comment_is_not_plural_and_none_is_not_shown(client):
    one = ArticleFactory(published=True)
    CommentFactory(article=one, status=Comment.Status.APPROVED)
    none = ArticleFactory(published=True)

    assert ">1 comment</a>" in home_card(one)
    assert "card__comments" not in card_html(type(none).objects.published().for_listing().get(pk=none.pk))


def test_a_story_without_a_byline_has_no_by(client):
    assert byline_html([]) == ""
    article = ArticleFactory(published=True, authors=[], headline="Port reopens", summary="Ships are back.")
    card = home_card(article)
    assert 'class="byline"' not in card
