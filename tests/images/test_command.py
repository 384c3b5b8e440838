"""manage.py make_renditions: every stored image's renditions brought up to date, safe to run again."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from authors.models import Author
from images.renditions import rendition_files
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.files import image_upload, open_stored, photo_with_secrets, stored_bytes, stored_names

# Once with uploads on the local disk, once in an S3 bucket (moto's server): the pipeline must not care.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_media_storage")]


def make_renditions(*args: str) -> str:
    out = io.StringIO()
    call_command("make_renditions", *args, stdout=out)
    return out.getvalue()


def all_files() -> list[str]:
    names = []
    for article in Article.objects.exclude(hero_image=""):
        names += [article.hero_image.name, *rendition_files(article.hero_renditions)]
    for author in Author.objects.exclude(photo=""):
        names += [author.photo.name, *rendition_files(author.photo_renditions)]
    return sorted(set(names))


def test_after_a_change_of_widths_every_image_is_remade_with_progress_and_old_files_go(
    settings, django_capture_on_commit_callbacks
):
    articles = [ArticleFactory(hero_image=image_upload("a.png", (1600, 900)), hero_alt="x") for _ in range(2)]
    AuthorFactory(photo=image_upload("face.png", (400, 400)))
    updated_at = [article.updated_at for article in articles]
    settings.IMAGE_WIDTHS = [400, 1000]
    settings.IMAGE_PHOTO_WIDTHS = [100, 200]

    with django_capture_on_commit_callbacks(execute=True):
        output = make_renditions()

    assert re.findall(r"^\[(\d)/3\] (\w+) \d+ (\w+): (\d+) files made$", output, re.MULTILINE) == [
        ("1", "author", "photo", "4"),
        # Two widths in two formats; the 4:3 and square crops, one JPEG each (IMAGE_STRUCTURED_DATA_WIDTHS).
        ("2", "article", "hero_image", "6"),
        ("3", "article", "hero_image", "6"),
    ]
    assert output.endswith("3 images: 3 made, 0 already up to date, 0 failed.\n")
    for article, before in zip(articles, updated_at, strict=True):
        article.refresh_from_db()
        full = article.hero_renditions["crops"]["full"]
        assert [(entry["width"], entry["height"]) for entry in full] == [(400, 225), (1000, 562)]
        # Readers are not told a story was updated because its renditions were.
        assert article.updated_at == before
    assert stored_names() == all_files()


def test_second_run_finds_everything_up_to_date_and_changes_nothing(settings, django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=image_upload("a.png", (1200, 675)), hero_alt="x")
    settings.IMAGE_FORMATS = ["jpeg"]
    with django_capture_on_commit_callbacks(execute=True):
        make_renditions()
    files = stored_names()

    with django_capture_on_commit_callbacks(execute=True):
        output = make_renditions()

    assert output == (
        f"[1/1] article {article.pk} hero_image: up to date\n1 images: 0 made, 1 already up to date, 0 failed.\n"
    )
    assert stored_names() == files


def test_force_remakes_images_that_are_up_to_date(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=image_upload("a.png", (1200, 675)), hero_alt="x")
    before = article.hero_renditions

    with django_capture_on_commit_callbacks(execute=True):
        output = make_renditions("--force")

    article.refresh_from_db()
    assert "8 files made" in output  # 480, 800 and 1200 wide, WebP and JPEG; a 4:3 and a square JPEG
    assert rendition_files(article.hero_renditions) != rendition_files(before)
    assert stored_names() == all_files()


def test_a_picture_stored_without_its_size_gets_it_without_new_renditions(django_capture_on_commit_callbacks):
    """Rows imported before sizes were recorded: each load measured the file with Pillow until the size was written."""
    article = ArticleFactory(hero_image=image_upload("a.png", (1200, 675)), hero_alt="x")
    Article.objects.filter(pk=article.pk).update(hero_width=None, hero_height=None)
    files = stored_names()
    updated_at = Article.objects.get(pk=article.pk).updated_at

    with django_capture_on_commit_callbacks(execute=True):
        output = make_renditions()

    assert "up to date" in output
    assert stored_names() == files
    assert list(Article.objects.filter(pk=article.pk).values_list("hero_width", "hero_height", "updated_at")) == [
        (1200, 675, updated_at)
    ]


def test_image_stored_before_the_pipeline_is_replaced_by_its_clean_copy(django_capture_on_commit_callbacks):
    article = ArticleFactory()
    # How the site stored uploads before: the camera's file as it came, GPS position included.
    raw = default_storage.save("articles/2025/01/from-the-camera.jpg", ContentFile(photo_with_secrets()))
    Article.objects.filter(pk=article.pk).update(hero_image=raw, hero_width=1000, hero_height=800, hero_alt="x")

    with django_capture_on_commit_callbacks(execute=True):
        make_renditions()

    article.refresh_from_db()
    assert article.hero_image.name != raw
    assert raw not in stored_names()
    assert b"GPS" not in stored_bytes(article.hero_image.name)
    assert open_stored(article.hero_image.name).size == (800, 1000) == (article.hero_width, article.hero_height)
    assert stored_names() == all_files()


def test_unreadable_stored_image_is_reported_and_its_page_still_works(client, django_capture_on_commit_callbacks):
    ok = ArticleFactory(published=True, hero_image=image_upload("a.png", (1200, 675)), hero_alt="x")
    broken = ArticleFactory(published=True, headline="The lost picture")
    # Uploaded once (its size was recorded), then lost from storage.
    gone = {"hero_image": "articles/2025/01/gone.jpg", "hero_width": 1600, "hero_height": 900, "hero_alt": "x"}
    Article.objects.filter(pk=broken.pk).update(**gone)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as failed:
        make_renditions()

    assert str(failed.value).startswith("2 images: 0 made, 1 already up to date, 1 failed. Upload these again:")
    assert f"article {broken.pk}: The stored file cannot be read." in str(failed.value)
    response = client.get(broken.get_absolute_url())
    assert response.status_code == 200
    assert "<picture" not in response.content.decode()
    assert client.get(ok.get_absolute_url()).status_code == 200
