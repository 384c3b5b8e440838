"""sitemap.xml, its sections and the Google News sitemap, read as a crawler reads them: parsed XML."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article
from articles.services import append_correction, withdraw_articles
from articles.sitemaps import NEWS_MAX_ARTICLES, ArticleSitemap, news_language
from newsroom.publication import current_publication
from tests.factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Every element the sitemap protocol (https://www.sitemaps.org/protocol.html) and Google's news extension
# (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap) define.
PROTOCOL_ELEMENTS = {
    f"{{{SITEMAP_NS}}}{name}"
    for name in ("urlset", "url", "loc", "lastmod", "changefreq", "priority", "sitemapindex", "sitemap")
}
NEWS_ELEMENTS = {
    f"{{{NEWS_NS}}}{name}" for name in ("news", "publication", "name", "language", "publication_date", "title")
}
DOORS = ["articles", "sections", "tags", "authors", "corrections"]


def fetch(client, path: str) -> ET.Element:
    """The sitemap at `path`, parsed; it must be XML using only the protocol's element names."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert not response.cookies, "a cookie would keep a shared cache from keeping the sitemap"
    # The site's own response, not outside input: the XML attacks defusedxml guards against need a hostile document.
    root = ET.fromstring(response.content)  # noqa: S314
    assert {element.tag for element in root.iter()} <= PROTOCOL_ELEMENTS | NEWS_ELEMENTS
    return root


def entries(root: ET.Element) -> dict[str, str | None]:
    """Each listed address with its lastmod, from a sitemap or a sitemap index."""
    return {
        entry.findtext(f"{{{SITEMAP_NS}}}loc"): entry.findtext(f"{{{SITEMAP_NS}}}lastmod")
        for entry in [*root.iter(f"{{{SITEMAP_NS}}}url"), *root.iter(f"{{{SITEMAP_NS}}}sitemap")]
    }


def section_path(door: str) -> str:
    return reverse("sitemap_section", kwargs={"section": door})


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def day(moment: datetime) -> str:
    """A lastmod as the sitemaps write it: the date in the site's time zone."""
    return timezone.localtime(moment).date().isoformat()


def tagged_story(**kwargs) -> Article:
    """A story with a section, a tag, an author and a correction note of its own, so it alone decides whether
    they are listed."""
    story = ArticleFactory(tags=["Mali"], **kwargs)
    CorrectionFactory(article=story)
    return story


def test_the_index_lists_a_sitemap_for_each_kind_of_page_with_its_last_change(client):
    story = tagged_story(published=True)
    root = fetch(client, reverse("sitemap"))
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    listed = entries(root)
    assert set(listed) == {absolute(section_path(door)) for door in DOORS}
    story.refresh_from_db()
    for lastmod in listed.values():
        assert lastmod is not None and lastmod.startswith(day(story.published_at))


def test_the_article_sitemap_lists_each_published_story_with_its_date(client):
    story = ArticleFactory(published=True)
    root = fetch(client, section_path("articles"))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert entries(root) == {absolute(story.get_absolute_url()): day(story.updated_at)}


def test_a_correction_days_later_moves_the_storys_date(client):
    story = ArticleFactory(published=True)
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        append_correction(article=story, kind="correction", text="The vote is on 12 May.")
        listed = entries(fetch(client, section_path("articles")))
    assert listed[absolute(story.get_absolute_url())] == day(later)


def test_a_scheduled_story_is_dated_by_its_publication_not_its_last_save(client):
    at = timezone.now() + timedelta(days=2)
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=at)
    with time_machine.travel(at + timedelta(minutes=1)):
        listed = entries(fetch(client, section_path("articles")))
    assert listed == {absolute(story.get_absolute_url()): day(at)}


def test_sections_tags_and_authors_are_dated_by_their_newest_published_story(client):
    section, author = SectionFactory(slug="world"), AuthorFactory(slug="awa-traore")
    older = timezone.now() - timedelta(days=5)
    listed_on = {"section": section, "authors": [author], "tags": ["Mali"]}
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=older, **listed_on)
    newest = ArticleFactory(published=True, **listed_on)
    expected = day(newest.published_at)
    assert entries(fetch(client, section_path("sections"))) == {absolute(section.get_absolute_url()): expected}
    assert entries(fetch(client, section_path("authors"))) == {absolute(author.get_absolute_url()): expected}
    tag_url = absolute(reverse("articles:tag", kwargs={"slug": "mali"}))
    assert entries(fetch(client, section_path("tags"))) == {tag_url: expected}


def test_sections_tags_and_authors_without_a_published_story_are_left_out(client):
    ArticleFactory(tags=["Mali"], authors=[AuthorFactory(slug="awa-traore")], section=SectionFactory(slug="world"))
    for door in ["sections", "tags", "authors"]:
        assert entries(fetch(client, section_path(door))) == {}


def draft() -> Article:
    return tagged_story()


def scheduled() -> Article:
    return tagged_story(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1))


def withdrawn() -> Article:
    story = tagged_story(published=True)
    withdraw_articles(Article.objects.filter(pk=story.pk), notice="Withdrawn on legal advice.")
    return story


@pytest.mark.parametrize("door", [*DOORS, "news"])
@pytest.mark.parametrize("make_hidden", [draft, scheduled, withdrawn], ids=["draft", "scheduled", "withdrawn"])
def test_drafts_scheduled_and_withdrawn_stories_appear_in_no_sitemap(client, door, make_hidden):
    story = make_hidden()
    path = reverse("news_sitemap") if door == "news" else section_path(door)
    listed = entries(fetch(client, path))
    # The story's own address, and its section, tag and author, which only it could have put there.
    assert listed == {}
    assert story.slug not in str(listed)


def test_the_index_pages_a_sitemap_by_blocks_that_keep_their_stories(client, monkeypatch):
    """Pages of `limit` ids (1,000 on the site); a limit of 2 shows the same paging with five stories."""
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = [
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=hours))
        for hours in (5, 4, 3, 2, 1)
    ]
    pages = [url for url in entries(fetch(client, reverse("sitemap"))) if section_path("articles") in url]
    listed = [entries(fetch(client, url.removeprefix("http://testserver"))) for url in pages]
    assert all(1 <= len(page) <= 2 for page in listed)
    assert set().union(*listed) == {absolute(story.get_absolute_url()) for story in stories}
    ArticleFactory(published=True)
    assert [entries(fetch(client, url.removeprefix("http://testserver"))) for url in pages[:-1]] == listed[:-1]
    assert client.get(f"{section_path('articles')}?p=999").status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "99999999999999999999999"])
def test_a_page_that_is_not_there_is_a_404(client, page):
    ArticleFactory(published=True)
    assert client.get(f"{section_path('articles')}?p={page}").status_code == 404


def test_an_unknown_sitemap_is_a_404(client):
    assert client.get(section_path("comments")).status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_sitemap_query_counts_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    for _ in range(rows):
        tagged_story(published=True)
    info = "per sitemap: its latest date (the stories': newest edit, newest publication), and its blocks for those "
    info += "paged by blocks (not sections and corrections)"
    with django_assert_num_queries(9, info=info):
        assert len(entries(fetch(client, reverse("sitemap")))) == 5
    for door in DOORS:
        queries = {"tags": 3, "authors": 3, "articles": 2}.get(door, 1)
        info = f"{door}: the first block holding a row (paged by blocks), its rows; tags and authors, their dates"
        with django_assert_num_queries(queries, info=info):
            assert len(entries(fetch(client, section_path(door)))) >= 1


def news_entries(client) -> list[ET.Element]:
    root = fetch(client, reverse("news_sitemap"))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    return root.findall(f"{{{SITEMAP_NS}}}url")


def news(entry: ET.Element, path: str) -> str | None:
    """The text at `path` (news: elements separated by "/") inside an entry's <news:news>."""
    return entry.findtext("/".join(f"{{{NEWS_NS}}}{name}" for name in ["news", *path.split("/")]))


def test_the_news_sitemap_names_the_publication_and_each_storys_time_and_headline(client):
    publication = current_publication()
    publication.name, publication.language = "The Daily Ledger", "fr-CA"
    publication.save()
    story = ArticleFactory(published=True, headline="Mali & Niger <agree> on the border")
    [entry] = news_entries(client)
    assert entry.findtext(f"{{{SITEMAP_NS}}}loc") == absolute(story.get_absolute_url())
    assert news(entry, "publication/name") == "The Daily Ledger"
    assert news(entry, "publication/language") == "fr"
    assert datetime.fromisoformat(news(entry, "publication_date")) == story.published_at
    assert news(entry, "title") == "Mali & Niger <agree> on the border"


def test_the_news_sitemap_holds_the_last_48_hours_only(client):
    now = timezone.now()
    recent = ArticleFactory(status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=47))
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=49))
    listed = [entry.findtext(f"{{{SITEMAP_NS}}}loc") for entry in news_entries(client)]
    assert listed == [absolute(recent.get_absolute_url())]
    with time_machine.travel(now + timedelta(hours=2)):
        assert news_entries(client) == []


def test_the_news_sitemap_holds_the_newest_1000_stories_and_no_more(client):
    now = timezone.now()
    # Written in one statement: a thousand stories through the factory would take most of a minute.
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(seconds=n + 1),
        )
        for n in range(NEWS_MAX_ARTICLES + 1)
    )
    listed = {entry.findtext(f"{{{SITEMAP_NS}}}loc") for entry in news_entries(client)}
    assert len(listed) == NEWS_MAX_ARTICLES == 1000
    assert absolute(reverse("articles:detail", kwargs={"slug": "story-0"})) in listed
    assert absolute(reverse("articles:detail", kwargs={"slug": f"story-{NEWS_MAX_ARTICLES}"})) not in listed
    assert client.get(f"{reverse('news_sitemap')}?p=2").status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_news_sitemap_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    ArticleFactory.create_batch(rows, published=True)
    # The publication record comes from the cache, which tests/conftest.py warms as production's would be.
    with django_assert_num_queries(1, info="the rows, uncounted"):
        assert len(news_entries(client)) == rows


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", "en"), ("fr", "fr"), ("pt_BR", "pt"), ("zh-hans", "zh-cn"), ("zh-TW", "zh-tw"), ("ast", "ast")],
)
def test_the_news_sitemap_gives_google_the_language_code_it_accepts(language, expected):
    assert news_language(language) == expected


def test_a_copy_whose_canonical_address_is_the_original_is_in_no_sitemap(client):
    own = ArticleFactory(published=True, original_url="https://www.inkl.com/news/a")
    pointed = ArticleFactory(
        published=True, original_url="https://www.inkl.com/news/b", canonical=Article.Canonical.ORIGINAL
    )

    listed = entries(fetch(client, section_path("articles")))
    news = fetch(client, reverse("news_sitemap"))
    news_listed = [loc.text for loc in news.iter(f"{{{SITEMAP_NS}}}loc")]
    assert absolute(own.get_absolute_url()) in listed and absolute(own.get_absolute_url()) in news_listed
    assert absolute(pointed.get_absolute_url()) not in listed
    assert absolute(pointed.get_absolute_url()) not in news_listed


def test_a_tag_without_a_recent_story_is_listed_without_a_date(client, monkeypatch):
    """Tags and authors are dated from the newest stories only (RECENT_STORIES, 1,000 on the site): an older
    tag page is listed undated, which the protocol allows, rather than dated by reading every tag row."""
    monkeypatch.setattr("articles.sitemaps.RECENT_STORIES", 1)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(days=9), tags=["Gao"])
    newest = ArticleFactory(published=True, tags=["Mopti"])
    listed = entries(fetch(client, section_path("tags")))
    assert listed == {
        absolute(reverse("articles:tag", kwargs={"slug": "gao"})): None,
        absolute(reverse("articles:tag", kwargs={"slug": "mopti"})): day(newest.published_at),
    }


# A moment when New York's date is the day before UTC's, so a date or time written in the wrong zone shows.
EVENING_IN_NEW_YORK = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@override_settings(TIME_ZONE="America/New_York")
def test_the_news_sitemap_escapes_every_text_and_writes_times_in_the_sites_zone(client):
    """The bytes Django's sitemap view and the news template wrote before the sitemap was written out directly:
    one line of entries, newest first, headline and publication escaped, the time as `|date:"c"` gave it."""
    publication = current_publication()
    publication.name, publication.language = 'Ledger & "Sons" <Daily>', "en-GB"
    publication.save()
    with time_machine.travel(EVENING_IN_NEW_YORK, tick=False):
        for slug, headline, minute in [("mali-niger-deal", 'Mali & Niger\'s <agree> "deal"', 30), ("gao", "Gao", 15)]:
            published_at = datetime(2026, 3, 8, 2, minute, 0, 123456, tzinfo=UTC)
            ArticleFactory(status=Article.Status.PUBLISHED, published_at=published_at, headline=headline, slug=slug)
        response = client.get(reverse("news_sitemap"))
    publication_xml = (
        "<news:publication><news:name>Ledger &amp; &quot;Sons&quot; &lt;Daily&gt;</news:name>"
        "<news:language>en</news:language></news:publication>"
    )
    assert response.content.decode() == (
        XML_DECLARATION
        + f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
        + "<url><loc>http://testserver/articles/mali-niger-deal/</loc><news:news>"
        + publication_xml
        + "<news:publication_date>2026-03-07T21:30:00.123456-05:00</news:publication_date>"
        + "<news:title>Mali &amp; Niger&#x27;s &lt;agree&gt; &quot;deal&quot;</news:title></news:news></url>"
        + "<url><loc>http://testserver/articles/gao/</loc><news:news>"
        + publication_xml
        + "<news:publication_date>2026-03-07T21:15:00.123456-05:00</news:publication_date>"
        + "<news:title>Gao</news:title></news:news></url>\n"
        + "</urlset>\n"
    )
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"


@override_settings(TIME_ZONE="America/New_York")
def test_a_sitemap_page_dates_each_address_in_the_sites_zone_and_escapes_it(client):
    with time_machine.travel(EVENING_IN_NEW_YORK, tick=False):
        published_at = datetime(2026, 3, 8, 2, 30, tzinfo=UTC)
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=published_at, slug="mali", tags=["Côte & Co"])
        stories = client.get(section_path("articles")).content.decode()
        tags = client.get(section_path("tags")).content.decode()
    assert stories == (
        XML_DECLARATION
        + f'<urlset xmlns="{SITEMAP_NS}">\n'
        + "<url><loc>http://testserver/articles/mali/</loc><lastmod>2026-03-07</lastmod></url>\n"
        + "</urlset>\n"
    )
    tag_path = reverse("articles:tag", kwargs={"slug": Article.objects.get().tags.get().slug})
    assert f"<url><loc>http://testserver{escape(tag_path)}</loc><lastmod>2026-03-07</lastmod></url>" in tags
