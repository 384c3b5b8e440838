"""A picture chosen in an article form that is refused for another reason is kept for the next submit."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.admin.held_picture import HELD_PREFIX, HOLD_SECONDS
from articles.models import Article
from tests.articles.test_admin import ADD, article_form, bylines
from tests.factories import AuthorFactory
from tests.images.files import image_upload, stored_names

# Once with uploads on the local disk, once in an S3 bucket (moto's server): the pipeline must not care.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_media_storage")]


def held_names() -> list[str]:
    return [name for name in stored_names() if name.startswith(f"{HELD_PREFIX}/")]


def refused_with_picture(client, **overrides):
    """The editor chooses a picture but forgets its alt text, so the save is refused."""
    response = client.post(ADD, article_form(hero_image=image_upload("convoy.png", (1200, 675)), **overrides))
    assert response.status_code == 200
    return response


def test_a_picture_chosen_in_a_refused_form_is_kept_and_saved_with_the_next_submit(
    editor_client, django_capture_on_commit_callbacks
):
    author = AuthorFactory()
    response = refused_with_picture(editor_client, **bylines(author))

    html = response.content.decode()
    assert "The picture you chose, convoy.png, is kept and will be saved with the article" in html
    reference = response.context["adminform"].form.data["held_hero_image"]
    assert f'name="held_hero_image" value="{reference}"' in html
    assert len(held_names()) == 1

    # The browser does not send the file again, only the form's fields, the reference among them.
    with django_capture_on_commit_callbacks(execute=True):
        again = editor_client.post(ADD, article_form(hero_alt="A convoy", held_hero_image=reference, **bylines(author)))

    assert again.status_code == 302
    article = Article.objects.get()
    assert article.hero_image.name.endswith("convoy.png")
    assert (article.hero_width, article.hero_height) == (1200, 675)
    assert held_names() == []  # the held copy goes once the article has its own


def test_a_picture_refused_twice_stays_held_under_the_same_reference(editor_client):
    reference = refused_with_picture(editor_client).context["adminform"].form.data["held_hero_image"]
    second = editor_client.post(ADD, article_form(held_hero_image=reference))
    assert second.status_code == 200
    assert second.context["adminform"].form.data["held_hero_image"] == reference
    assert "is kept and will be saved with the article" in second.content.decode()
    assert len(held_names()) == 1


def test_the_kept_picture_can_be_let_go(editor_client):
    reference = refused_with_picture(editor_client).context["adminform"].form.data["held_hero_image"]
    response = editor_client.post(ADD, article_form(held_hero_image=reference, forget_held_hero_image="on"))
    assert response.status_code == 302
    assert not Article.objects.get().hero_image


@pytest.mark.parametrize(
    "reference",
    [
        f"{HELD_PREFIX}/0123-convoy.png",  # not signed
        signing.dumps(f"{HELD_PREFIX}/0123-convoy.png", salt="another purpose"),
        "garbage",
    ],
)
def test_a_reference_the_site_did_not_sign_brings_in_no_file(editor_client, reference):
    default_storage.save(f"{HELD_PREFIX}/0123-convoy.png", image_upload("convoy.png", (1200, 675)))
    response = editor_client.post(ADD, article_form(hero_alt="A convoy", held_hero_image=reference))
    assert response.status_code == 302
    assert not Article.objects.get().hero_image


def test_a_held_file_that_is_not_a_picture_is_not_used(editor_client):
    name = default_storage.save(f"{HELD_PREFIX}/0123-drawing.png", ContentFile(b"<svg onload=alert(1)></svg>"))
    reference = signing.dumps(name, salt="articles.admin.held_picture")
    response = editor_client.post(ADD, article_form(hero_alt="A drawing", held_hero_image=reference))
    assert response.status_code == 302
    assert not Article.objects.get().hero_image


def test_pictures_held_for_forms_nobody_came_back_to_are_removed(editor_client):
    abandoned = default_storage.save(f"{HELD_PREFIX}/0123-old.png", image_upload("old.png", (1200, 675)))

    # A day and a minute later (the storage's own clock says when the file was written, so the clock moves
    # rather than the file's date: a bucket has no way to backdate an object).
    with time_machine.travel(timezone.now() + timedelta(seconds=HOLD_SECONDS + 60)):
        refused_with_picture(editor_client)

    assert abandoned not in held_names()
    assert len(held_names()) == 1
