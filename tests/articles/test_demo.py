"""The getting-started command load_demo fills a fresh site (ensure_admin: tests/newsroom/)."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from articles.demo import DEMO_ORIGINAL_URL, DEMO_TAGS, demo_hero_image
from articles.models import Article, Byline, Section, TaggedArticle
from articles.services import save_article
from authors.models import Author
from images.renditions import rendition_files
from tests.images.files import open_stored, stored_names

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_demo_image_is_a_1600_by_900_jpeg_with_the_same_bytes_every_run():
    first, second = demo_hero_image(), demo_hero_image()

    assert first == second
    with Image.open(io.BytesIO(first)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1600, 900))
        # Blue sky at the top, sand at the bottom: the scene the alt text describes.
        sky, sand = picture.convert("RGB").getpixel((40, 40)), picture.convert("RGB").getpixel((40, 880))
    assert sky[2] > sky[0] + 60
    assert sand[0] > sand[2] + 60


def test_load_demo_twice_gives_one_published_world_article_with_tags_and_image():
    run("load_demo")
    first = Article.objects.get()

    output = run("load_demo")

    article = Article.objects.get()
    assert article.headline == "Wagner Exits Mali as Africa Corps Takes Over Russian Operations"
    assert article.is_published
    assert article.published_at == first.published_at
    # Nothing in the file changed, so nothing was saved: readers see no "updated" time.
    assert (article.updated_at, article.lock_version) == (first.updated_at, first.lock_version)
    assert not article.was_updated
    assert article.section.name == "World"
    assert sorted(article.tags.names()) == sorted(DEMO_TAGS)
    assert TaggedArticle.objects.count() == 4
    assert (article.hero_width, article.hero_height) == (1600, 900)
    assert article.hero_credit == "Illustration: newsroom demo"
    assert article.hero_caption
    assert article.hero_alt.startswith("Military transition scene")
    assert article.byline_authors[0].name == "Marisol Gonzalez"
    # Syndicated from inkl.com: the story's own page there is recorded; the canonical address stays this page's.
    assert (article.source_name, article.source_url) == ("inkl.com", "https://www.inkl.com")
    assert article.original_url == DEMO_ORIGINAL_URL
    assert article.original_url.startswith("https://www.inkl.com/")
    assert article.canonical == Article.Canonical.THIS_PAGE
    assert Author.objects.count() == 1
    assert Byline.objects.count() == 1
    # The image once, with one set of renditions: the second run stored nothing new.
    renditions = rendition_files(article.hero_renditions)
    assert len(renditions) == 10  # 480, 800, 1200 and 1600 wide, WebP and JPEG; a 4:3 and a square JPEG
    assert stored_names() == sorted([article.hero_image.name, *renditions])
    assert open_stored(article.hero_image.name).size == (1600, 900)
    assert article.card_picture is not None
    assert "Unchanged demo article" in output


@pytest.mark.usefixtures("few_renditions")
def test_load_demo_after_an_editor_moved_the_demo_article_updates_it_at_its_new_address():
    run("load_demo")
    article = Article.objects.get()
    article.slug = "wagner-leaves-mali"
    save_article(article)

    run("load_demo")

    article = Article.objects.get()
    assert article.slug == "wagner-leaves-mali"
    assert Byline.objects.count() == 1


@pytest.mark.usefixtures("few_renditions")
def test_load_demo_creates_sections_in_navigation_order_world_first():
    run("load_demo")

    sections = list(Section.objects.all())
    assert [section.name for section in sections] == ["World", "Politics", "Business", "Culture"]
    assert all(section.description for section in sections)


@pytest.mark.usefixtures("few_renditions")
def test_load_demo_keeps_sections_editors_changed():
    Section.objects.create(name="World", slug="world", description="Our own words.", position=9)

    run("load_demo")
    run("load_demo")

    world = Section.objects.get(name="World")
    assert (world.description, world.position) == ("Our own words.", 9)
    assert Section.objects.count() == 4
    assert Article.objects.get().section == world
