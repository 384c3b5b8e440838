"""The editor's side of images: the focal point, the crop preview, and removing an image."""

import pytest

from articles.models import Article
from tests.articles.admin_forms import change_form_data, change_url
from tests.articles.test_admin import ADD, article_form, bylines
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.files import image_upload, stored_names

# Once with uploads on the local disk, once in an S3 bucket (moto's server): the pipeline must not care.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_media_storage")]


def test_focal_point_set_on_the_form_moves_the_card_crop_and_the_preview_shows_it(editor_client):
    data = article_form(
        hero_image=image_upload("tall.png", (900, 1600)),
        hero_alt="A lighthouse",
        hero_focus_x="50",
        hero_focus_y="90",
        **bylines(AuthorFactory()),
    )
    assert editor_client.post(ADD, data).status_code == 302
    article = Article.objects.get()

    html = editor_client.get(change_url(article)).content.decode()

    # 16:9 of a 900-wide picture is 506 high; around 90% down (1440) it reaches the bottom edge.
    assert '<rect x="0" y="1094" width="900" height="506"' in html
    assert '<circle cx="450" cy="1440"' in html
    assert "Shaded: what story cards cut away. Ring: the focal point." in html
    assert article.hero_renditions["crops"]["card"][-1]["height"] == 506
    # The crops given to search engines move with it, drawn dashed: 4:3 (900 × 675) and square, at the bottom.
    assert '<rect x="0" y="925" width="900" height="675" fill="none" stroke="#fff" stroke-width="4"' in html
    assert '<rect x="0" y="700" width="900" height="900" fill="none" stroke="#fff" stroke-width="4"' in html
    assert "Dashed: the 4:3 and square crops search engines are given." in html


def test_preview_says_when_cards_show_the_whole_picture(editor_client):
    article = ArticleFactory(hero_image=image_upload("wide.png", (1600, 900)), hero_alt="A convoy")
    html = editor_client.get(change_url(article)).content.decode()
    assert "1600 × 900 pixels. Story cards show the whole picture." in html


def test_focal_point_outside_the_picture_is_refused(editor_client):
    data = article_form(hero_focus_x="120", **bylines(AuthorFactory()))
    response = editor_client.post(ADD, data)
    assert response.context["adminform"].form.errors["hero_focus_x"] == [
        "Ensure this value is less than or equal to 100."
    ]


def test_editor_is_told_when_the_stored_image_cannot_be_used(editor_client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        hero_image="articles/2025/01/gone.jpg",
        hero_width=1600,
        hero_height=900,
        hero_renditions={"source": "articles/2025/01/gone.jpg", "error": "The stored file cannot be read."},
    )
    html = editor_client.get(change_url(article)).content.decode()
    assert "The stored image cannot be used (The stored file cannot be read.) Upload it again." in html


def test_clearing_the_image_in_the_form_deletes_it_and_its_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    author = AuthorFactory()
    article = ArticleFactory(hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy", authors=[author])
    data = change_form_data(article, **{"hero_image-clear": "on"})

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert not article.hero_image
    assert article.hero_renditions == {}
    assert stored_names() == []
