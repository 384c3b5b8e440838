"""Drafts, scheduled stories and withdrawn stories never reach readers, through any door: no feed (the site's,
a section's, a tag's, an author's, the corrections feed), no sitemap (any section of sitemap.xml, the news
sitemap), no search result, related list, lead slot or count, and not the corrections page.

Each state is made once, as an editor makes it, with everything that could carry it through a door: a tag,
section and author of its own and ones it shares with published stories, a correction note, a comment, and
an editor's choice to lead the home page with it. Each door is then walked and must show a published story
(so a broken or empty door cannot pass) and nothing of the hidden one.
"""

import html
import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, LeadStory
from articles.services import unpublish_article, withdraw_articles
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_HEADLINE = "Zebra hidden story"
HIDDEN_SLUG = "hidden-story"
HIDDEN_NOTE = "Hidden note text"
# What the hidden story alone could put in a door: its address, headline, note, and its own tag and author,
# which no published story has. Its own section too, except on pages: the section bar lists every section.
HIDDEN_MARKS = [HIDDEN_HEADLINE, HIDDEN_SLUG, HIDDEN_NOTE, "hiddentag", "hidden-author"]
NOT_ON_PAGES = ["hidden-section"]


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def never_published(**kwargs) -> Article:
    return ArticleFactory(**kwargs)


def back_to_draft(**kwargs) -> Article:
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=hours_ago(1), **kwargs)
    unpublish_article(story, by=UserFactory(username="editor", is_superuser=True))
    return story


def scheduled(**kwargs) -> Article:
    return ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1), **kwargs)


def withdrawn(**kwargs) -> Article:
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=hours_ago(1), **kwargs)
    withdraw_articles(Article.objects.filter(pk=story.pk), notice="Withdrawn on legal advice.")
    return story


STATES = {"draft": never_published, "unpublished": back_to_draft, "scheduled": scheduled, "withdrawn": withdrawn}


@pytest.fixture
def site(request):
    """Two published stories, and the hidden one in the state the test names, sharing a tag and an author."""
    world, ana = SectionFactory(name="World", slug="world"), AuthorFactory(name="Ana Ruiz", slug="ana")
    control = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=hours_ago(2),
        headline="Zebra crossing opens",
        slug="control-story",
        section=world,
        authors=[ana],
        tags=["Mali"],
    )
    CorrectionFactory(article=control, text="Visible note text", created_at=timezone.now() - timedelta(days=3))
    neighbour = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=hours_ago(3),
        headline="Neighbour story",
        slug="neighbour-story",
        section=world,
        authors=[ana],
        tags=["Mali"],
    )
    hidden = STATES[request.param](
        headline=HIDDEN_HEADLINE,
        slug=HIDDEN_SLUG,
        section=SectionFactory(name="Hidden section", slug="hidden-section"),
        authors=[ana, AuthorFactory(name="Hidden Author", slug="hidden-author")],
        tags=["Mali", "Hiddentag"],
    )
    # Written straight to the tables: whatever the forms allow, what is stored must not leak.
    CorrectionFactory(article=hidden, text=HIDDEN_NOTE)
    CommentFactory(article=hidden, status="approved")
    LeadStory.objects.create(article=hidden)
    assert not Article.objects.published().filter(pk=hidden.pk).exists()
    return {"control": control, "neighbour": neighbour, "hidden": hidden}


def get(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def feeds(client, *routes: tuple[str, dict]) -> str:
    """The entries of each feed, RSS and Atom, as text: a narrowed feed's own title and link name what it
    follows (the hidden story's own tag, say), which is no leak."""
    parsed = [
        feedparser.parse(get(client, reverse(name + suffix, kwargs=kwargs)))
        for name, kwargs in routes
        for suffix in ("", "_atom")
    ]
    return "\n".join(
        " ".join([entry.title, entry.link, entry.get("summary", ""), *(tag.term for tag in entry.get("tags", []))])
        for feed in parsed
        for entry in feed.entries
    )


def sitemap(client, section: str) -> str:
    return get(client, reverse("sitemap_section", kwargs={"section": section}))


def related_list(client, site) -> str:
    html = get(client, site["neighbour"].get_absolute_url())
    return html[
        html.index('<section class="related"') : html.index("</section>", html.index('<section class="related"'))
    ]


def lead_slot(client, site) -> str:
    html = get(client, reverse("articles:home"))
    # The lead, and the rest of the page, which the hidden story must not reach either.
    assert re.search(r'<div class="lead-story">.*?Zebra crossing opens', html, re.S), "the published story leads"
    return html


def counts(client, site, settings) -> str:
    settings.ARTICLES_PER_PAGE = 1
    search = get(client, reverse("articles:search"), q="zebra")
    assert "1 result for “zebra”" in search
    for url in (reverse("articles:tag", kwargs={"slug": "mali"}), site["control"].byline_authors[0].get_absolute_url()):
        # Two published stories on the tag and by the author: two pages of one, not three.
        first = get(client, url)
        older = re.search(r'rel="next" href="([^"]+)">Older stories', first)
        assert older, url
        second = get(client, url, **dict(parse_qsl(html.unescape(older[1]).removeprefix("?"))))
        assert 'rel="next"' not in second, url
    return search


# Each door: what it shows (the hidden story must be absent), and what it must show of the published ones.
DOORS: dict[str, tuple[Callable, str]] = {
    "site feed": (lambda client, site, settings: feeds(client, ("articles:feed", {})), "Zebra crossing opens"),
    "section feed": (
        lambda client, site, settings: feeds(
            client,
            ("articles:section_feed", {"slug": "world"}),
            ("articles:section_feed", {"slug": "hidden-section"}),
        ),
        "Zebra crossing opens",
    ),
    "tag feed": (
        lambda client, site, settings: feeds(
            client, ("articles:tag_feed", {"slug": "mali"}), ("articles:tag_feed", {"slug": "hiddentag"})
        ),
        "Zebra crossing opens",
    ),
    "author feed": (
        lambda client, site, settings: feeds(
            client, ("articles:author_feed", {"slug": "ana"}), ("articles:author_feed", {"slug": "hidden-author"})
        ),
        "Zebra crossing opens",
    ),
    "corrections feed": (
        lambda client, site, settings: feeds(client, ("articles:corrections_feed", {})),
        "Visible note text",
    ),
    "corrections page": (
        lambda client, site, settings: get(client, reverse("articles:corrections")),
        "Visible note text",
    ),
    "article sitemap": (lambda client, site, settings: sitemap(client, "articles"), "/articles/control-story/"),
    "section sitemap": (lambda client, site, settings: sitemap(client, "sections"), "/sections/world/"),
    "tag sitemap": (lambda client, site, settings: sitemap(client, "tags"), "/tags/mali/"),
    "author sitemap": (lambda client, site, settings: sitemap(client, "authors"), "/authors/ana/"),
    # Dated by the published story's note, three days old, not by the hidden story's note of today.
    "corrections sitemap": (
        lambda client, site, settings: sitemap(client, "corrections"),
        f"<lastmod>{timezone.localdate() - timedelta(days=3):%Y-%m-%d}</lastmod>",
    ),
    "news sitemap": (lambda client, site, settings: get(client, reverse("news_sitemap")), "/articles/control-story/"),
    "search": (
        lambda client, site, settings: get(client, reverse("articles:search"), q="zebra"),
        "/articles/control-story/",  # the headline is there with its match marked
    ),
    "related list": (lambda client, site, settings: related_list(client, site), "Zebra crossing opens"),
    "lead slot": (lambda client, site, settings: lead_slot(client, site), "Zebra crossing opens"),
    "counts": (counts, "/articles/control-story/"),
}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("site", STATES, indirect=True)
def test_a_story_readers_may_not_see_never_comes_through_a_door(client, settings, site, door):
    walk, published_mark = DOORS[door]

    shown = walk(client, site, settings)

    assert published_mark in shown, f"{door} shows no published story: the door itself is broken"
    marks = HIDDEN_MARKS if shown.lstrip().startswith("<!doctype html>") else HIDDEN_MARKS + NOT_ON_PAGES
    leaked = [mark for mark in marks if mark.lower() in shown.lower()]
    assert not leaked, f"{door} shows the {site['hidden'].headline!r} story: {leaked}"
