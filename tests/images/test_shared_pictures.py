"""A picture shared by several stories, as the generated archive shares its handful among thousands: deleting
one story, or giving it another picture, must leave the files the other stories still show."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article
from images.renditions import rendition_files
from tests.images.files import image_bytes

pytestmark = pytest.mark.django_db

SMALL = {"IMAGE_WIDTHS": [480], "IMAGE_PHOTO_WIDTHS": [128], "IMAGE_FORMATS": ["jpeg"]}


def stored_files(article: Article) -> list[str]:
    return [article.hero_image.name, *rendition_files(article.hero_renditions)]


@pytest.fixture
def sharing(settings) -> tuple[Article, Article]:
    """Two stories of a generated archive showing the same picture."""
    for name, value in SMALL.items():
        setattr(settings, name, value)
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("generate_archive", articles=30, comments=0, images=1, seed=3, **quiet)
    first, second = Article.objects.exclude(hero_image="").order_by("pk")[:2]
    assert first.hero_image.name == second.hero_image.name
    return first, second


def test_deleting_a_story_keeps_a_picture_another_story_still_shows(sharing, django_capture_on_commit_callbacks):
    gone, kept = sharing
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    kept.refresh_from_db()
    assert all(default_storage.exists(name) for name in stored_files(kept))


def test_deleting_every_story_showing_a_picture_deletes_its_files(sharing, django_capture_on_commit_callbacks):
    files = stored_files(sharing[0])
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(hero_image=sharing[0].hero_image.name).delete()
    assert not any(default_storage.exists(name) for name in files)


def test_a_new_picture_on_one_story_keeps_the_shared_one_for_the_others(sharing, django_capture_on_commit_callbacks):
    changed, kept = sharing
    with django_capture_on_commit_callbacks(execute=True):
        changed.hero_image.save("new.png", ContentFile(image_bytes(), name="new.png"), save=False)
        changed.save()
    kept.refresh_from_db()
    assert all(default_storage.exists(name) for name in stored_files(kept))
