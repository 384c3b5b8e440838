"""Listings page by cursor (newsroom/paging.py): older and newer stories, every story once, however deep, never an
error for a link a reader or a crawler mangled."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from newsroom.paging import OLD_PAGE_LIMIT, Cursor
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# The stories of `archive` are one section's: a section pages exactly as the home page does, which also keeps its
# lead story apart from the pages (tests/articles/test_curation.py).
LISTING = "/sections/paging/"
OLDER = re.compile(r'rel="next" href="([^"]+)">Older stories')
NEWER = re.compile(r'rel="prev" href="([^"]+)">&larr; Newer stories')


def headlines(page_html: str) -> list[str]:
    return re.findall(r'class="card__headline"[^>]*>\s*<a [^>]*>([^<]+)</a>', page_html)


def walk(client, url: str, link: re.Pattern) -> list[list[str]]:
    """Every page from `url` on, following one kind of link, as a reader clicking it would."""
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        pages.append(headlines(body))
        found = link.search(body)
        if found is None:
            return pages
        url = url.split("?")[0] + html.unescape(found[1])


@pytest.fixture
def archive(settings):
    """Seven stories, three of them published in the same second: ties must keep their order across pages."""
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now().replace(microsecond=0)
    same = now - timedelta(hours=5)
    times = [now - timedelta(hours=1), now - timedelta(hours=2), same, same, same, now - timedelta(hours=9)]
    section = SectionFactory(name="Paging", slug="paging")
    stories = [
        ArticleFactory(published=True, headline=f"Story {n}", published_at=at, section=section)
        for n, at in enumerate(times)
    ]
    stories.append(
        ArticleFactory(published=True, headline="Story 6", published_at=now - timedelta(days=400), section=section)
    )
    return sorted(stories, key=lambda a: (a.published_at, a.pk), reverse=True)


def test_older_stories_pages_through_every_story_once_in_order(client, archive):
    pages = walk(client, LISTING, OLDER)
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert [h for page in pages for h in page] == [a.headline for a in archive]


def test_newer_stories_pages_back_to_the_first_page(client, archive):
    url = LISTING + f"?before={Cursor.of(archive[5])}"  # the last page: the oldest story
    seen = []
    while True:
        response = client.get(url, follow=True)
        body = response.content.decode()
        seen.append(headlines(body))
        found = NEWER.search(body)
        if found is None:
            break
        url = LISTING + html.unescape(found[1])
    # The newest page is the listing's own address, reached by a redirect rather than a cursor of its own.
    assert response.redirect_chain[-1] == (LISTING, 302)
    assert seen[-1] == [archive[0].headline, archive[1].headline]
    assert sorted(h for page in seen for h in page) == sorted(a.headline for a in archive)


def test_a_deep_page_shows_its_dates_and_links_both_ways(client, archive):
    response = client.get(LISTING, {"before": str(Cursor.of(archive[1]))})
    body = response.content.decode()
    assert headlines(body) == [archive[2].headline, archive[3].headline]
    assert NEWER.search(body) and OLDER.search(body)
    assert '<span class="pagination__current"><time datetime="' in body
    assert "<title>Paging · from " in body  # each deep page has a title of its own


def test_first_page_links_only_to_older_stories(client, archive):
    body = client.get(LISTING).content.decode()
    assert OLDER.search(body) and not NEWER.search(body)


@pytest.mark.parametrize(
    "query",
    [
        {"before": "yesterday"},
        {"before": "12-abc"},
        {"before": "-99999999999999999-1"},
        {"before": "1.5-3"},
        {"after": ""},
        {"before": "1-0"},
        {"after": "1" * 40},
    ],
)
def test_a_mangled_cursor_leads_to_the_first_page_never_an_error(client, archive, query):
    response = client.get(LISTING, query)
    assert response.status_code == 302
    assert response["Location"] == LISTING


def test_a_cursor_past_the_oldest_story_leads_to_the_first_page(client, archive):
    response = client.get(LISTING, {"before": str(Cursor.of(archive[-1]))})
    assert response.status_code == 302


def test_a_stale_cursor_still_pages_after_new_stories_arrive(client, archive):
    cursor = str(Cursor.of(archive[1]))
    ArticleFactory.create_batch(3, published=True, section=archive[0].section)
    body = client.get(LISTING, {"before": cursor}).content.decode()
    assert headlines(body) == [archive[2].headline, archive[3].headline]


def test_an_old_page_number_redirects_permanently_to_the_same_stories(client, archive):
    response = client.get(LISTING, {"page": "3"})
    assert response.status_code == 301
    assert response["Location"] == LISTING + f"?before={Cursor.of(archive[3])}"
    assert headlines(client.get(response["Location"]).content.decode()) == [a.headline for a in archive[4:6]]


def test_an_old_page_number_past_the_end_leads_to_the_oldest_stories(client, archive):
    response = client.get(LISTING, {"page": str(OLD_PAGE_LIMIT * 10)}, follow=True)
    assert headlines(response.content.decode()) == [a.headline for a in archive[-2:]]


@pytest.mark.parametrize("page", ["1", "0", "-4", "two"])
def test_page_one_or_a_mangled_number_is_the_listings_own_address(client, archive, page):
    response = client.get(LISTING, {"page": page, "utm_source": "feed"})
    assert response.status_code == 301
    assert response["Location"] == LISTING + "?utm_source=feed"


def test_section_tag_and_author_pages_page_by_cursor_too(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section, author = SectionFactory(), AuthorFactory()
    now = timezone.now()
    stories = [
        ArticleFactory(
            published=True, section=section, authors=[author], tags=["harbour"], published_at=now - timedelta(hours=n)
        )
        for n in range(1, 6)
    ]
    ArticleFactory(published=True, headline="Elsewhere")
    expected = [story.headline for story in stories]
    for url in (section.get_absolute_url(), reverse("articles:tag", args=["harbour"]), author.get_absolute_url()):
        assert [h for page in walk(client, url, OLDER) for h in page] == expected, url


def test_an_author_or_tag_with_many_stories_pages_the_same_way(client, settings):
    """Past FILED_UNDER_WALK stories a tag's page is found by walking the newest stories instead: same pages."""
    settings.ARTICLES_PER_PAGE = 3
    from articles.models import article as article_module

    author = AuthorFactory()
    now = timezone.now()
    for n in range(7):
        ArticleFactory(published=True, authors=[author], tags=["busy"], published_at=now - timedelta(hours=n + 1))
    ArticleFactory(published=True, headline="Not theirs")
    expected = list(
        Article.objects.published()
        .filter(authors=author)
        .order_by("-published_at", "-pk")
        .values_list("headline", flat=True)
    )
    few = [h for page in walk(client, author.get_absolute_url(), OLDER) for h in page]
    settings_walk = article_module.FILED_UNDER_WALK
    try:
        article_module.FILED_UNDER_WALK = 2
        many = [h for page in walk(client, author.get_absolute_url(), OLDER) for h in page]
        many_tag = [h for page in walk(client, reverse("articles:tag", args=["busy"]), OLDER) for h in page]
    finally:
        article_module.FILED_UNDER_WALK = settings_walk
    assert few == many == many_tag == expected


@pytest.mark.parametrize("count", [1, 12])
def test_a_deep_page_costs_the_same_queries_as_the_first(client, settings, django_assert_num_queries, count):
    settings.ARTICLES_PER_PAGE = 5
    ArticleFactory.create_batch(count + 6, published=True, tags=["x"])
    cursor = str(Cursor.of(Article.objects.published().order_by("-published_at", "-pk")[5]))
    info = "the lead (left out of every page), articles+sections+comment counts, bylines+authors, tags, nav"
    with django_assert_num_queries(5, info=info):
        assert client.get(reverse("articles:home"), {"before": cursor}).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_tag_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count, published=True, tags=["harbour", "x"])
    with django_assert_num_queries(6, info="tag, many stories?, articles+sections, bylines+authors, tags, nav"):
        response = client.get(reverse("articles:tag", args=["harbour"]))
    assert response.content.decode().count('class="card"') == count


def test_cursor_text_reads_back_exactly():
    at = timezone.now()
    assert Cursor.parse(str(Cursor(at, 42))) == Cursor(at, 42)
    assert Cursor.parse("nonsense") is None


def test_the_home_pages_older_stories_leave_the_lead_out_and_keep_ties_in_order(client, archive):
    """The home page reads its deeper pages through a query prepared once per process (articles/curation.py):
    each cursor must bring its own stories, never the first cursor's."""
    for _ in range(2):  # the second walk binds its cursors into the SQL the first one prepared
        pages = walk(client, reverse("articles:home"), OLDER)
        # The newest story leads the first page and is left out of the list on every page: each story once.
        assert [h for page in pages for h in page] == [a.headline for a in archive]


def test_the_home_pages_older_stories_build_no_query_once_prepared(client, archive, monkeypatch):
    """Building and compiling the deep page's query cost more processor time than running it (docs/performance.md,
    "Page 2,000 of the home page"): after the first request, no query of stories is compiled for a deep page of the
    home page (the section bar's is the template's, as on every page)."""
    from django.db.models.sql.compiler import SQLCompiler

    url = reverse("articles:home") + f"?before={Cursor.of(archive[2])}"
    assert client.get(url).status_code == 200
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self) or as_sql(self, *a, **k))
    other = reverse("articles:home") + f"?before={Cursor.of(archive[4])}"
    assert client.get(other).status_code == 200
    assert [compiler.query.model for compiler in compiled if compiler.query.model is not Section] == []
