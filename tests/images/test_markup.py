"""What readers' pages carry for images: <picture> with every format and width, sizes, dimensions,
alt text, lazy loading except for the hero, the card crop in listings, and no extra queries."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from PIL import features

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

HERO_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
CARD_SIZES = "(min-width: 59rem) 23rem, (min-width: 39.5rem) calc(50vw - 2rem), calc(100vw - 2rem)"


class Images(HTMLParser):
    """The <img>, <source> and og:image tags of a page, with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self.sources: list[dict] = []
        self.meta: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "img":
            self.imgs.append(attributes)
        elif tag == "source":
            self.sources.append(attributes)
        elif tag == "meta" and attributes.get("property", "").startswith("og:image"):
            self.meta[attributes["property"]] = attributes["content"]


def srcset_urls(srcset: str) -> list[str]:
    return [candidate.split()[0] for candidate in srcset.split(", ")]


@pytest.fixture
def story():
    author = AuthorFactory(name="Marisol Gonzalez", photo=image_upload("face.png", (400, 400)))
    return ArticleFactory(
        published=True,
        hero_image=image_upload("hero.png", (1600, 900)),
        hero_alt="Armoured vehicles in a desert",
        hero_caption="A convoy near Gao",
        hero_credit="Newsroom",
        authors=[author],
    )


def test_hero_is_a_picture_with_webp_sources_a_jpeg_fallback_sizes_and_dimensions(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    page = Images(html)

    hero = page.imgs[0]
    full = story.hero_renditions["crops"]["full"]
    assert hero["srcset"] == ", ".join(f"/media/{entry['files']['jpeg']} {entry['width']}w" for entry in full)
    assert hero["src"] == f"/media/{full[1]['files']['jpeg']}"  # 800 wide, for browsers without srcset
    assert (hero["width"], hero["height"], hero["alt"], hero["sizes"]) == (
        "1600",
        "900",
        "Armoured vehicles in a desert",
        HERO_SIZES,
    )
    webp = page.sources[0]
    assert webp["type"] == "image/webp"
    assert webp["sizes"] == HERO_SIZES
    assert srcset_urls(webp["srcset"]) == [f"/media/{entry['files']['webp']}" for entry in full]
    caption = '<figcaption dir="auto">A convoy near Gao <span class="credit" dir="auto">Newsroom</span></figcaption>'
    assert caption in html


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow was built without AVIF")
def test_with_avif_switched_on_browsers_are_offered_avif_then_webp_then_jpeg(client, settings):
    settings.IMAGE_FORMATS = ["webp", "jpeg", "avif"]
    article = ArticleFactory(published=True, hero_image=image_upload("hero.png", (800, 450)), hero_alt="x")

    page = Images(client.get(article.get_absolute_url()).content.decode())

    assert [source["type"] for source in page.sources] == ["image/avif", "image/webp"]
    assert all(url.endswith(".avif") for url in srcset_urls(page.sources[0]["srcset"]))
    assert page.imgs[0]["src"].endswith(".jpg")


def test_hero_is_fetched_first_and_every_other_image_lazily(client, story):
    page = Images(client.get(story.get_absolute_url()).content.decode())

    hero, photo = page.imgs
    assert hero["fetchpriority"] == "high"
    assert "loading" not in hero
    assert photo["loading"] == "lazy"
    assert (photo["class"], photo["alt"], photo["sizes"]) == ("author-bio__photo", "Marisol Gonzalez", "72px")


def test_every_image_on_reader_pages_has_alt_text_width_and_height_and_no_inline_style(client, story):
    author = story.byline_authors[0]
    pages = [reverse("articles:home"), story.get_absolute_url(), author.get_absolute_url()]
    pages.append(story.section.get_absolute_url())
    for url in pages:
        html = client.get(url).content.decode()
        images = Images(html).imgs
        assert images, url
        for image in images:
            assert image.get("alt"), (url, image)
            assert int(image["width"]) > 0 and int(image["height"]) > 0, (url, image)
        assert " style=" not in html, url


def test_listings_show_the_small_card_crop_never_the_original(client, story):
    html = client.get(reverse("articles:home")).content.decode()
    (card,) = Images(html).imgs

    cards = story.hero_renditions["crops"]["card"]
    assert srcset_urls(card["srcset"]) == [f"/media/{entry['files']['jpeg']}" for entry in cards]
    assert [entry["width"] for entry in cards] == [480, 800, 1200]
    assert (card["width"], card["height"], card["loading"], card["sizes"]) == ("1200", "675", "lazy", CARD_SIZES)
    assert story.hero_image.url not in html


def test_author_page_shows_the_square_photo_crop(client, story):
    author = story.byline_authors[0]
    page = Images(client.get(author.get_absolute_url()).content.decode())

    photo = page.imgs[0]
    assert (photo["class"], photo["width"], photo["height"], photo["sizes"]) == (
        "author-header__photo",
        "384",
        "384",
        "8rem",
    )
    assert author.photo.url not in photo["srcset"]


def test_link_previews_get_a_1200_pixel_jpeg_with_its_size(client, story):
    page = Images(client.get(story.get_absolute_url()).content.decode())

    twelve_hundred = story.hero_renditions["crops"]["full"][2]
    assert page.meta == {
        "og:image": f"http://testserver/media/{twelve_hundred['files']['jpeg']}",
        "og:image:width": "1200",
        "og:image:height": "675",
        "og:image:alt": "Armoured vehicles in a desert",
    }


def test_an_image_without_renditions_is_left_out_rather_than_served_unprocessed(client):
    article = ArticleFactory(published=True, hero_image=image_upload("hero.png", (1200, 675)), hero_alt="x")
    # As a row stored before renditions existed looks until make_renditions has run.
    Article.objects.filter(pk=article.pk).update(hero_renditions={})

    for url in (article.get_absolute_url(), reverse("articles:home")):
        html = client.get(url).content.decode()
        assert article.hero_image.url not in html, url
        assert "<img" not in html, url


# Query budgets: renditions are read from the rows the page already loads, so images add none.


@pytest.mark.parametrize("count", [1, 8])
def test_article_page_with_hero_and_author_photos_costs_the_same_seven_queries(
    client, django_assert_num_queries, count
):
    authors = [AuthorFactory(photo=image_upload("face.png", (256, 256))) for _ in range(count)]
    article = ArticleFactory(
        published=True, hero_image=image_upload("hero.png", (800, 450)), hero_alt="x", authors=authors
    )
    CommentFactory.create_batch(count, article=article, status="approved")
    SectionFactory.create_batch(count)
    info = "article+section, bylines+authors, tags, notes, related stories (none), comments, section nav"
    with django_assert_num_queries(7, info=info):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count("<picture>") == 1 + count


@pytest.mark.parametrize("count", [2, 11])
def test_home_page_with_a_card_image_on_every_story_costs_the_same_five_queries(
    client, django_assert_num_queries, count
):
    for _ in range(count):
        ArticleFactory(published=True, hero_image=image_upload("hero.png", (800, 450)), hero_alt="x")
    with django_assert_num_queries(5, info="lead, articles+sections, bylines+authors, tags, section nav"):
        response = client.get(reverse("articles:home"))
    assert response.content.decode().count("<picture>") == count


@pytest.mark.parametrize("count", [1, 10])
def test_author_page_with_photo_and_card_images_costs_the_same_six_queries(client, django_assert_num_queries, count):
    author = AuthorFactory(photo=image_upload("face.png", (256, 256)))
    for _ in range(count):
        ArticleFactory(published=True, hero_image=image_upload("h.png", (800, 450)), hero_alt="x", authors=[author])
    with django_assert_num_queries(6, info="author, count, articles+sections, bylines+authors, tags, nav"):
        response = client.get(author.get_absolute_url())
    assert response.content.decode().count("<picture>") == 1 + count
