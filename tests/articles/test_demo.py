"""The getting-started commands: load_demo fills a fresh site, ensure_admin gives the first login."""

import io
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from articles.demo import DEMO_TAGS, demo_hero_image
from articles.models import Article, Byline, Section, TaggedArticle
from articles.services import save_article
from authors.models import Author
from images.renditions import rendition_files
from tests.factories import UserFactory
from tests.images import open_stored, stored_names

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^Admin login: (?P<url>\S+) user (?P<user>\S+) password (?P<password>\S+)$", re.MULTILINE)


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
    assert Author.objects.count() == 1
    assert Byline.objects.count() == 1
    # The image once, with one set of renditions: the second run stored nothing new.
    renditions = rendition_files(article.hero_renditions)
    assert len(renditions) == 8  # 480, 800, 1200 and 1600 wide, WebP and JPEG
    assert stored_names() == sorted([article.hero_image.name, *renditions])
    assert open_stored(article.hero_image.name).size == (1600, 900)
    assert article.card_picture is not None
    assert "Unchanged demo article" in output


def test_load_demo_after_an_editor_moved_the_demo_article_updates_it_at_its_new_address():
    run("load_demo")
    article = Article.objects.get()
    article.slug = "wagner-leaves-mali"
    save_article(article)

    run("load_demo")

    article = Article.objects.get()
    assert article.slug == "wagner-leaves-mali"
    assert Byline.objects.count() == 1


def test_load_demo_creates_sections_in_navigation_order_world_first():
    run("load_demo")

    sections = list(Section.objects.all())
    assert [section.name for section in sections] == ["World", "Politics", "Business", "Culture"]
    assert all(section.description for section in sections)


def test_load_demo_keeps_sections_editors_changed():
    Section.objects.create(name="World", slug="world", description="Our own words.", position=9)

    run("load_demo")
    run("load_demo")

    world = Section.objects.get(name="World")
    assert (world.description, world.position) == ("Our own words.", 9)
    assert Section.objects.count() == 4
    assert Article.objects.get().section == world


@pytest.fixture
def project_dir(settings, tmp_path, monkeypatch):
    """A throwaway BASE_DIR, so the credentials file never lands in the real var/ folder."""
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    return tmp_path


def test_ensure_admin_creates_a_superuser_and_prints_how_to_log_in(project_dir):
    output = run("ensure_admin")

    login = LOGIN_LINE.search(output)
    assert login is not None, output
    assert login["url"] == "http://127.0.0.1:8000/admin/"
    assert login["user"] == "admin"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(login["password"])
    assert len(login["password"]) >= 20
    credentials = project_dir / "var" / "admin-credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert f"password={login['password']}" in credentials.read_text()


def test_ensure_admin_second_run_prints_the_same_password_and_changes_nothing(project_dir):
    first = LOGIN_LINE.search(run("ensure_admin"))["password"]
    password_hash = get_user_model().objects.get(username="admin").password

    output = run("ensure_admin")

    assert LOGIN_LINE.search(output)["password"] == first
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get(username="admin").password == password_hash


def test_ensure_admin_uses_the_password_from_the_environment(project_dir, monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "chosen-by-the-operator")

    output = run("ensure_admin", "--username", "chief", "--port", "8080")

    assert "Admin login: http://127.0.0.1:8080/admin/ user chief password chosen-by-the-operator" in output
    assert get_user_model().objects.get(username="chief").check_password("chosen-by-the-operator")


def test_ensure_admin_leaves_an_existing_account_alone_and_says_how_to_reset(project_dir):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    password_hash = get_user_model().objects.get(username="admin").password

    output = run("ensure_admin")

    assert "manage.py changepassword admin" in output
    assert LOGIN_LINE.search(output) is None
    assert get_user_model().objects.get(username="admin").password == password_hash
    assert not (project_dir / "var" / "admin-credentials.txt").exists()


def test_ensure_admin_does_not_show_a_password_that_was_changed_since(project_dir):
    old = LOGIN_LINE.search(run("ensure_admin"))["password"]
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed in the admin")
    admin.save()

    output = run("ensure_admin")

    assert old not in output
    assert "manage.py changepassword admin" in output
    assert get_user_model().objects.get(username="admin").check_password("changed in the admin")
