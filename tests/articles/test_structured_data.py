"""What search engines, Google News and link previews read on the site: JSON-LD, Open Graph and Twitter tags.

Pages are read with extruct, as a crawler reads them, rather than by looking for strings in the HTML.
"""

import re
from datetime import timedelta

import extruct
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import withdraw_articles
from newsroom.models import Publication
from newsroom.publication import current_publication
from tests.factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory
from tests.images.files import image_upload, open_stored

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
# ISO 8601 with an offset and whole seconds: what Google and Open Graph read without complaint.
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
HOSTILE = "</script><script>alert(1)</script> <!-- & ]]>"


def read(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return extruct.extract(response.content.decode(), base_url=f"{HOST}{url}", syntaxes=["json-ld", "opengraph"])


def json_ld(client, url: str) -> list[dict]:
    """Every JSON-LD node of the page, graphs flattened."""
    nodes = []
    for item in read(client, url)["json-ld"]:
        nodes.extend(item.get("@graph", [item]))
    return nodes


def node_of_type(nodes: list[dict], *types: str) -> dict:
    (node,) = [node for node in nodes if node.get("@type") in types]
    return node


def open_graph(client, url: str) -> list[tuple[str, str]]:
    """(property, content) of every Open Graph and article:* tag, in page order."""
    (graph,) = read(client, url)["opengraph"]
    return graph["properties"]


def meta_names(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="(twitter:[a-z]+)" content="([^"]*)">', html))


def ratio(image: dict) -> tuple[int, int]:
    width, height = image["width"], image["height"]
    for shape in ((16, 9), (4, 3), (1, 1)):
        if abs(width / height - shape[0] / shape[1]) < 0.01:
            return shape
    raise AssertionError(f"{width} × {height} is none of the three shapes")


@pytest.fixture
def publication(few_renditions):
    publication = current_publication()
    publication.name = "The Daily Ledger"
    publication.language = "en-GB"
    publication.logo = image_upload("logo.png", size=(600, 120))
    publication.x_handle = "dailyledger"
    publication.mastodon_url = "https://mastodon.social/@ledger"
    publication.contact_email = "desk@ledger.example"
    publication.full_clean()
    publication.save()
    return publication


@pytest.fixture
def story(publication) -> Article:
    """A syndicated analysis with a hero image, two authors (one with a photo), tags, a correction and an update."""
    reporter = AuthorFactory(name="Amara Okafor", job_title="Africa correspondent")
    photographer = AuthorFactory(name="Tomás Ferreira", photo=image_upload("face.png", (400, 400)))
    article = ArticleFactory(
        published=True,
        headline="Wagner exits Mali",
        summary="Africa Corps takes over the Russian operations.",
        section=SectionFactory(name="World", slug="world"),
        article_type=Article.Type.ANALYSIS,
        hero_image=image_upload("hero.png", (1600, 900)),
        hero_alt="Armoured vehicles in the desert",
        source_name="inkl.com",
        source_url="https://www.inkl.com",
        original_url="https://www.inkl.com/news/wagner-exits-mali",
        authors=[reporter, photographer],
        tags=["Mali", "Sahel"],
    )
    CorrectionFactory(article=article, text="An earlier version gave the wrong year.")
    CorrectionFactory(article=article, kind="update", text="Adds the army's statement.")
    return article


def test_article_json_ld_describes_the_story_for_search_engines(client, story, publication):
    url = story.get_absolute_url()
    nodes = json_ld(client, url)

    article = node_of_type(nodes, "AnalysisNewsArticle")
    assert article["headline"] == "Wagner exits Mali"
    assert article["description"] == "Africa Corps takes over the Russian operations."
    assert article["url"] == article["mainEntityOfPage"]["@id"] == f"{HOST}{url}"
    assert ISO_SECONDS.match(article["datePublished"]) and ISO_SECONDS.match(article["dateModified"])
    assert article["dateModified"] >= article["datePublished"]
    assert (article["articleSection"], article["keywords"]) == ("World", ["Mali", "Sahel"])
    assert (article["inLanguage"], article["isAccessibleForFree"]) == ("en-GB", True)

    # Google's three shapes, each a real rendition of the hero.
    assert sorted(ratio(image) for image in article["image"]) == [(1, 1), (4, 3), (16, 9)]
    for image in article["image"]:
        stored = open_stored(image["url"].removeprefix(f"{HOST}{settings.MEDIA_URL}"))
        assert (stored.format, stored.size) == ("JPEG", (image["width"], image["height"]))

    reporter, photographer = article["author"]
    assert reporter == {
        "@type": "Person",
        "name": "Amara Okafor",
        "url": f"{HOST}{story.byline_authors[0].get_absolute_url()}",
        "jobTitle": "Africa correspondent",
    }
    assert photographer["url"] == f"{HOST}{story.byline_authors[1].get_absolute_url()}"
    assert photographer["image"]["@type"] == "ImageObject"
    assert photographer["image"]["width"] == photographer["image"]["height"]

    publisher = article["publisher"]
    assert (publisher["@type"], publisher["name"], publisher["url"]) == (
        "NewsMediaOrganization",
        "The Daily Ledger",
        f"{HOST}/",
    )
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].endswith(".jpg")
    assert publisher["sameAs"] == ["https://x.com/dailyledger", "https://mastodon.social/@ledger"]

    # The correction, not the update: schema.org's `correction` is for errors put right.
    (correction,) = article["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "An earlier version gave the wrong year."
    assert ISO_SECONDS.match(correction["datePublished"])

    assert article["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": "https://www.inkl.com/news/wagner-exits-mali",
        "publisher": {"@type": "Organization", "name": "inkl.com", "url": "https://www.inkl.com"},
    }

    breadcrumb = node_of_type(nodes, "BreadcrumbList")
    assert [(item["position"], item["name"], item["item"]) for item in breadcrumb["itemListElement"]] == [
        (1, "The Daily Ledger", f"{HOST}/"),
        (2, "World", f"{HOST}{reverse('articles:section', args=['world'])}"),
        (3, "Wagner exits Mali", f"{HOST}{url}"),
    ]


def test_open_graph_and_twitter_tags_are_complete_on_an_article(client, story):
    url = story.get_absolute_url()
    tags = open_graph(client, url)
    html = client.get(url).content.decode()

    values = dict(tags)
    assert values["og:type"] == "article"
    assert values["og:title"] == "Wagner exits Mali"
    assert values["og:url"] == f"{HOST}{url}"
    assert values["og:site_name"] == "The Daily Ledger"
    assert values["og:locale"] == "en_GB"
    assert values["og:image"].endswith(".jpg")
    assert values["og:image:alt"] == "Armoured vehicles in the desert"
    assert int(values["og:image:width"]) > 0 and int(values["og:image:height"]) > 0
    assert ISO_SECONDS.match(values["article:published_time"])
    assert ISO_SECONDS.match(values["article:modified_time"])
    assert values["article:section"] == "World"
    assert [value for key, value in tags if key == "article:tag"] == ["Mali", "Sahel"]
    assert [value for key, value in tags if key == "article:author"] == [
        f"{HOST}{author.get_absolute_url()}" for author in story.byline_authors
    ]
    assert meta_names(html) == {"twitter:card": "summary_large_image", "twitter:site": "@dailyledger"}
    assert f'<link rel="canonical" href="{HOST}{url}">' in html


def test_choosing_the_original_as_canonical_shows_in_the_link_og_url_and_json_ld(client, publication):
    original = "https://www.inkl.com/news/wagner-exits-mali"
    story = ArticleFactory(published=True, original_url=original, canonical=Article.Canonical.ORIGINAL)
    url = story.get_absolute_url()

    html = client.get(url).content.decode()
    article = node_of_type(json_ld(client, url), "NewsArticle")

    assert f'<link rel="canonical" href="{original}">' in html
    assert dict(open_graph(client, url))["og:url"] == original
    assert article["url"] == article["mainEntityOfPage"]["@id"] == original
    assert article["isBasedOn"]["url"] == original
    # The breadcrumb still places this page on this site.
    breadcrumb = node_of_type(json_ld(client, url), "BreadcrumbList")
    assert breadcrumb["itemListElement"][-1]["item"] == f"{HOST}{url}"


def test_canonical_original_needs_the_originals_address():
    story = ArticleFactory.build(canonical=Article.Canonical.ORIGINAL, original_url="")
    assert "canonical" in story.publish_problems(authors=1)


@pytest.mark.parametrize(
    ("article_type", "schema_type"),
    [
        (Article.Type.NEWS, "NewsArticle"),
        (Article.Type.ANALYSIS, "AnalysisNewsArticle"),
        (Article.Type.EXPLAINER, "BackgroundNewsArticle"),
        (Article.Type.OPINION, "OpinionNewsArticle"),
        (Article.Type.REVIEW, "ReviewNewsArticle"),
        (Article.Type.SPONSORED, "AdvertiserContentArticle"),
    ],
)
def test_the_article_type_is_the_json_ld_type(client, article_type, schema_type):
    story = ArticleFactory(published=True, article_type=article_type)
    nodes = json_ld(client, story.get_absolute_url())
    assert [node["@type"] for node in nodes] == [schema_type, "BreadcrumbList"]


def test_a_headline_cannot_close_the_script_element_or_open_a_comment(client):
    story = ArticleFactory(published=True, headline=HOSTILE, summary=HOSTILE, tags=[HOSTILE])
    html = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "<!--" not in html
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 1
    assert "<" not in scripts[0] and ">" not in scripts[0]
    article = node_of_type(json_ld(client, story.get_absolute_url()), "NewsArticle")
    assert (article["headline"], article["description"], article["keywords"]) == (HOSTILE, HOSTILE, [HOSTILE])


def test_the_home_page_describes_the_publication(client, publication):
    (organization,) = json_ld(client, reverse("articles:home"))

    assert organization["@type"] == "NewsMediaOrganization"
    assert (organization["name"], organization["url"]) == ("The Daily Ledger", f"{HOST}/")
    assert organization["logo"]["@type"] == "ImageObject"
    assert organization["sameAs"] == ["https://x.com/dailyledger", "https://mastodon.social/@ledger"]
    assert organization["contactPoint"] == {
        "@type": "ContactPoint",
        "contactType": "newsdesk",
        "email": "desk@ledger.example",
    }


@pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
def test_listing_pages_have_open_graph_basics_and_a_twitter_card(client, page):
    author = AuthorFactory(name="Amara Okafor")
    story = ArticleFactory(published=True, authors=[author], tags=["Mali"])
    url = {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["mali"]),
        "author": author.get_absolute_url(),
    }[page]

    values = dict(open_graph(client, url))

    assert values["og:type"] == "website"
    assert values["og:url"] == f"{HOST}{url}"
    assert values["og:site_name"] == current_publication().name
    assert values["og:title"]
    assert values["og:locale"]
    assert meta_names(client.get(url).content.decode())["twitter:card"] == "summary_large_image"


def test_drafts_scheduled_and_withdrawn_stories_never_reach_structured_data(client, editor_client, publication):
    published = ArticleFactory(published=True, headline="Published story")
    draft = ArticleFactory(headline="Draft story")
    scheduled = ArticleFactory(
        headline="Scheduled story",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    withdrawn = ArticleFactory(published=True, headline="Withdrawn story")
    withdraw_articles(Article.objects.filter(pk=withdrawn.pk), notice="Taken down.")
    hidden = ("Draft story", "Scheduled story", "Withdrawn story")

    home = client.get(reverse("articles:home")).content.decode()
    home_data = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home, re.DOTALL)
    assert home_data and not any(headline in data for data in home_data for headline in hidden)
    # The article's own graph holds its own data and nothing of the others.
    graph = str(json_ld(client, published.get_absolute_url()))
    assert "Published story" in graph and not any(headline in graph for headline in hidden)
    # Their addresses carry no structured data at all; a preview (staff only, noindex) has none either.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    gone = client.get(withdrawn.get_absolute_url())
    assert gone.status_code == 410 and b"application/ld+json" not in gone.content
    for article in (draft, scheduled, withdrawn):
        preview = editor_client.get(reverse("articles:preview", args=[article.pk]))
        assert preview.status_code == 200
        assert b"application/ld+json" not in preview.content
        assert b"article:published_time" not in preview.content


def test_structured_data_costs_no_query_of_its_own(client, story, django_assert_num_queries):
    current_publication()  # the fixture's save dropped it from the cache; pages read it warm (tests/conftest.py)
    info = "article+section+counts, bylines+authors, tags, notes, comments, related stories, nav"
    with django_assert_num_queries(7, info=info):
        response = client.get(story.get_absolute_url())
    assert b'"@type":"AnalysisNewsArticle"' in response.content


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en-GB", "en_GB"), ("pt-br", "pt_BR"), ("zh-Hant-TW", "zh_TW"), ("fr", "fr"), ("sr-Latn", "sr")],
)
def test_the_publications_language_is_written_as_open_graph_reads_a_locale(language, locale):
    assert Publication(language=language).og_locale == locale
