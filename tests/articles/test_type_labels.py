"""Article types as readers see them: a label on the story and wherever it is listed.

Opinion and sponsored content must never pass for news, so the walk below follows every link of the public site
from the home page (plus the search results, which nothing links to) and checks each place a story appears.
"""

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Where a listing's entry ends: a story card, a search result, a list item of some future list.
ENTRY = "ancestor::*[self::article or self::li][1]"
# Doors that list no stories as HTML for readers, or are not the reader's site.
NOT_WALKED = ("/admin/", "/static/", "/media/", "/feed", "/sitemap", "/robots.txt", "/preview/")


def walk(client, start: list[str], limit: int = 60) -> dict[str, lxml.html.HtmlElement]:
    """Every public HTML page reachable from `start` by links, parsed, by path (query strings kept)."""
    pages: dict[str, lxml.html.HtmlElement] = {}
    queue = list(start)
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        tree = lxml.html.fromstring(response.content)
        pages[url] = tree
        for href in tree.xpath("//body//a/@href"):
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_WALKED):
                continue
            if link not in pages:
                queue.append(link)
    return pages


def labels_of(element: lxml.html.HtmlElement) -> list[str]:
    return [label.text_content().strip() for label in element.xpath(".//*[contains(@class, 'type-label')]")]


@pytest.fixture
def stories() -> dict[str, Article]:
    author = AuthorFactory(name="Amara Okafor")
    section = SectionFactory(name="World", slug="world")
    return {
        label: ArticleFactory(
            published=True,
            headline=f"Sahel {label.lower()} piece",
            summary="Sahel",
            article_type=article_type,
            section=section,
            authors=[author],
            tags=["Sahel"],
        )
        for label, article_type in (
            ("Opinion", Article.Type.OPINION),
            ("Sponsored", Article.Type.SPONSORED),
            ("Analysis", Article.Type.ANALYSIS),
            ("News", Article.Type.NEWS),
        )
    }


def test_every_listing_and_story_page_labels_the_type_of_work(client, stories):
    pages = walk(client, [reverse("articles:home"), f"{reverse('articles:search')}?q=sahel"])

    seen: dict[str, set[str]] = {label: set() for label in stories}
    for url, tree in pages.items():
        for label, story in stories.items():
            address = story.get_absolute_url()
            if urlsplit(url).path == address:
                (header,) = tree.xpath("//header[contains(@class, 'story__header')]")
                assert labels_of(header) == [label], url
                seen[label].add("its own page")
                continue
            for link in tree.xpath("//body//a[@href]"):
                if urldefrag(link.get("href"))[0] != address:
                    continue
                (entry,) = link.xpath(ENTRY)
                assert labels_of(entry) == [label], f"{url}: a link to the {label} story without its label"
                seen[label].add(urlsplit(url).path)

    listings = {
        reverse("articles:home"),
        reverse("articles:search"),
        reverse("articles:section", args=["world"]),
        reverse("articles:tag", args=["sahel"]),
        stories["Opinion"].byline_authors[0].get_absolute_url(),
        "its own page",
    }
    for label in ("Opinion", "Sponsored"):
        assert seen[label] >= listings, f"the walk did not meet the {label} story everywhere it is listed"


def test_opinion_and_sponsored_labels_stand_out_from_news(client, stories):
    html = client.get(reverse("articles:home")).content.decode()
    assert '<span class="type-label type-label--opinion">Opinion</span>' in html
    assert '<span class="type-label type-label--sponsored">Sponsored</span>' in html
    stylesheet = Path(finders.find("css/site.css")).read_text()
    assert ".type-label--opinion {" in stylesheet and ".type-label--sponsored {" in stylesheet
