"""RSS and Atom feeds: what a feed reader gets for the site and for each section, tag and author."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import withdraw_articles
from newsroom.publication import current_publication
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def feed_urls(article: Article) -> dict[str, str]:
    """Every feed the article appears in, RSS and Atom, by name."""
    section, tag, author = article.section.slug, article.tags.first().slug, article.byline_authors[0].slug
    names = {
        "site": ("articles:feed", {}),
        "section": ("articles:section_feed", {"slug": section}),
        "tag": ("articles:tag_feed", {"slug": tag}),
        "author": ("articles:author_feed", {"slug": author}),
    }
    urls = {}
    for name, (route, kwargs) in names.items():
        urls[f"{name} rss"] = reverse(route, kwargs=kwargs)
        urls[f"{name} atom"] = reverse(f"{route}_atom", kwargs=kwargs)
    return urls


def parse(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
    return parsed


@pytest.fixture
def story(few_renditions):
    section = SectionFactory(name="World", slug="world")
    authors = [AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"), AuthorFactory(name="Tom Lee", slug="tom-lee")]
    return ArticleFactory(
        published=True,
        headline="Bridge & tunnel <reopen>",
        summary="Traffic flows again after <b>two</b> years.",
        section=section,
        authors=authors,
        tags=["Mali", "Sahel"],
        hero_image=image_upload("hero.png", (800, 450)),
        hero_alt="The bridge",
        source_name="inkl.com",
        source_url="https://www.inkl.com/news/bridge",
    )


def test_every_feed_parses_cleanly_and_carries_the_story(client, story):
    for name, url in feed_urls(story).items():
        parsed = parse(client, url)
        entry = parsed.entries[0]
        assert entry.title == "Bridge & tunnel <reopen>", name
        assert entry.link == f"http://testserver{story.get_absolute_url()}", name
        assert entry.summary == "Traffic flows again after &lt;b&gt;two&lt;/b&gt; years.", name
        assert entry.published_parsed is not None and entry.updated_parsed is not None, name
        assert [author.name for author in entry.authors] == ["Ana Ruiz", "Tom Lee"], name
        assert [tag.term for tag in entry.tags] == ["World", "Mali", "Sahel"], name


def test_the_rss_feed_follows_rss_2_0_and_media_rss(client, story):
    # This site's own output, not untrusted XML.
    channel = ElementTree.fromstring(client.get(reverse("articles:feed")).content).find("channel")  # noqa: S314
    item = channel.find("item")

    assert channel.findtext("title") == "Newsroom"
    assert channel.findtext("link") == "http://testserver/"
    assert channel.findtext("description") == "Independent news and analysis."
    assert channel.findtext("language") == "en-gb"
    assert channel.find(f"{ATOM}link").attrib == {"rel": "self", "href": "http://testserver/feed/"}
    # RSS requires a length on <enclosure>, which is not stored; Media RSS takes what is.
    assert item.find("enclosure") is None
    picture = item.find(f"{MEDIA}content").attrib
    assert picture["url"].startswith("http://testserver/media/renditions/")
    assert (picture["type"], picture["medium"], picture["width"], picture["height"]) == (
        "image/jpeg",
        "image",
        "480",
        "270",
    )
    assert item.find(f"{ATOM}link").attrib == {
        "rel": "via",
        "href": "https://www.inkl.com/news/bridge",
        "title": "inkl.com",
    }
    assert item.find("author") is None  # RSS's <author> is an email address; bylines are dc:creator
    assert item.findtext("pubDate")
    assert item.findtext("guid") == f"http://testserver{story.get_absolute_url()}"


def test_the_atom_feed_follows_rfc_4287(client, story):
    feed = ElementTree.fromstring(client.get(reverse("articles:feed_atom")).content)  # noqa: S314
    entry = feed.find(f"{ATOM}entry")

    assert feed.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "en-gb"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Newsroom"
    assert feed.findtext(f"{ATOM}subtitle") == "Independent news and analysis."
    assert entry.findtext(f"{ATOM}id") == f"http://testserver{story.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")
    links = {link.attrib["rel"]: link.attrib for link in entry.findall(f"{ATOM}link")}
    assert links["enclosure"]["type"] == "image/jpeg"
    assert links["enclosure"]["href"].startswith("http://testserver/media/renditions/")
    assert links["via"] == {"rel": "via", "href": "https://www.inkl.com/news/bridge", "title": "inkl.com"}
    assert [author.findtext(f"{ATOM}uri") for author in entry.findall(f"{ATOM}author")] == [
        "http://testserver/authors/ana-ruiz/",
        "http://testserver/authors/tom-lee/",
    ]


def test_a_story_without_picture_source_or_byline_is_still_a_valid_entry(client):
    ArticleFactory(published=True, authors=[], source_url="", tags=["Mali"])

    for url in (reverse("articles:feed"), reverse("articles:feed_atom")):
        entry = parse(client, url).entries[0]
        assert "media_content" not in entry
        assert not [link for link in entry.links if link.rel in {"enclosure", "via"}]


def test_feeds_take_the_publications_name_language_and_logo(client, few_renditions, settings):
    settings.IMAGE_LOGO_WIDTHS = [200]
    publication = current_publication()
    publication.name, publication.tagline, publication.language = "The Daily Ledger", "Valley news.", "fr"
    publication.logo = image_upload("logo.png", (600, 120))
    publication.save()

    rss = parse(client, reverse("articles:feed")).feed
    atom = parse(client, reverse("articles:feed_atom")).feed

    assert (rss.title, rss.subtitle, rss.language) == ("The Daily Ledger", "Valley news.", "fr")
    assert rss.image.href.startswith("http://testserver/media/renditions/publication/")
    assert (atom.title, atom.subtitle, atom.language) == ("The Daily Ledger", "Valley news.", "fr")
    assert atom.logo.startswith("http://testserver/media/renditions/publication/")


def test_section_tag_and_author_feeds_list_only_their_own_stories(client, story):
    other = ArticleFactory(published=True, tags=["Sport"])

    for name, url in feed_urls(story).items():
        links = [entry.link for entry in parse(client, url).entries]
        if name.startswith("site"):
            assert len(links) == 2, name
        else:
            assert links == [f"http://testserver{story.get_absolute_url()}"], name
    assert other.get_absolute_url() not in client.get(reverse("articles:section_feed", args=["world"])).content.decode()


def test_a_feed_lists_the_latest_twenty_newest_first(client, settings):
    now = timezone.now()
    for hours in range(25):
        ArticleFactory(published=True, slug=f"hour-{hours}", published_at=now - timedelta(hours=hours + 1))

    entries = parse(client, reverse("articles:feed")).entries

    assert settings.FEED_ITEMS == 20
    assert [entry.link.rsplit("/", 2)[-2] for entry in entries] == [f"hour-{hours}" for hours in range(20)]


@pytest.mark.parametrize(
    "hidden",
    [
        pytest.param({"status": Article.Status.DRAFT}, id="draft"),
        pytest.param({"status": Article.Status.IN_REVIEW}, id="in review"),
        pytest.param(
            {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)}, id="scheduled"
        ),
    ],
)
def test_unpublished_stories_appear_in_no_feed(client, story, hidden):
    hidden_story = ArticleFactory(
        **hidden, slug="secret", section=story.section, authors=story.byline_authors, tags=["Mali"]
    )

    for name, url in feed_urls(story).items():
        assert "/articles/secret/" not in client.get(url).content.decode(), name
    assert hidden_story.pk


def test_a_withdrawn_story_leaves_every_feed(client, story):
    urls = feed_urls(story)
    withdraw_articles(Article.objects.filter(pk=story.pk), notice="Legal reasons.")

    for name, url in urls.items():
        assert story.get_absolute_url() not in client.get(url).content.decode(), name


def test_feeds_of_unknown_sections_tags_and_authors_are_404(client):
    for route in ("articles:section_feed", "articles:tag_feed_atom", "articles:author_feed"):
        assert client.get(reverse(route, kwargs={"slug": "nobody"})).status_code == 404


def test_feeds_set_no_cookie(client, story):
    for url in feed_urls(story).values():
        response = client.get(url)
        assert not response.cookies, url
        assert "Vary" not in response or "Cookie" not in response["Vary"], url


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("feed", "queries"),
    [("site", 3), ("section", 4), ("tag", 4), ("author", 4)],
)
def test_a_feed_costs_the_same_queries_for_one_story_or_twenty(
    client, django_assert_num_queries, few_renditions, count, feed, queries
):
    section = SectionFactory(slug="world")
    author = AuthorFactory(slug="ana")
    for n in range(count):
        ArticleFactory(
            published=True,
            section=section,
            authors=[author, AuthorFactory()],
            tags=["Mali", f"tag-{n}"],
            hero_image=image_upload("hero.png", (800, 450)) if n < 2 else None,
            hero_alt="x",
        )
    routes = {
        "site": ("articles:feed", {}),
        "section": ("articles:section_feed", {"slug": "world"}),
        "tag": ("articles:tag_feed", {"slug": "mali"}),
        "author": ("articles:author_feed", {"slug": "ana"}),
    }
    route, kwargs = routes[feed]
    info = "the section, tag or author (not for the site); articles+sections; bylines+authors; tags"
    for suffix in ("", "_atom"):
        with django_assert_num_queries(queries, info=info):
            response = client.get(reverse(route + suffix, kwargs=kwargs))
        assert len(feedparser.parse(response.content).entries) == count


def test_every_page_links_its_feeds_for_readers_apps(client, story):
    pages = {
        reverse("articles:home"): [],
        story.get_absolute_url(): [],
        story.section.get_absolute_url(): ["/sections/world/feed/"],
        reverse("articles:tag", args=["mali"]): ["/tags/mali/feed/"],
        story.byline_authors[0].get_absolute_url(): ["/authors/ana-ruiz/feed/"],
    }
    for url, own in pages.items():
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml" title="Newsroom" href="/feed/">' in html, url
        atom = '<link rel="alternate" type="application/atom+xml" title="Newsroom (Atom)" href="/feed/atom/">'
        assert atom in html, url
        for feed in own:
            assert f'" href="{feed}">' in html, url
            assert f' (Atom)" href="{feed}atom/">' in html, url


@pytest.mark.parametrize(
    ("article_type", "title"),
    [
        (Article.Type.OPINION, "Opinion: Keep the bridge open"),
        (Article.Type.SPONSORED, "Sponsored: Keep the bridge open"),
        (Article.Type.NEWS, "Keep the bridge open"),
    ],
)
def test_opinion_and_sponsored_stories_say_so_in_every_feed_title(client, article_type, title):
    ArticleFactory(published=True, headline="Keep the bridge open", article_type=article_type)

    for url in (reverse("articles:feed"), reverse("articles:feed_atom")):
        assert [entry.title for entry in parse(client, url).entries] == [title]


def test_the_via_link_names_the_original_article_when_its_address_is_known(client):
    ArticleFactory(
        published=True,
        source_name="inkl.com",
        source_url="https://www.inkl.com",
        original_url="https://www.inkl.com/news/bridge-reopens",
    )

    (entry,) = parse(client, reverse("articles:feed_atom")).entries
    (via,) = [link for link in entry.links if link["rel"] == "via"]
    assert (via["href"], via["title"]) == ("https://www.inkl.com/news/bridge-reopens", "inkl.com")
