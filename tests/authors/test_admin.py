import re

import pytest
from django.urls import reverse

from authors.models import Author
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:authors_author_changelist")


def test_author_changelist_add_and_change_pages_load(editor_client):
    author = AuthorFactory(user=UserFactory())
    ArticleFactory(authors=[author])
    for url in (
        CHANGELIST,
        reverse("admin:authors_author_add"),
        reverse("admin:authors_author_change", args=[author.pk]),
    ):
        assert editor_client.get(url).status_code == 200, url


def test_new_author_is_saved_with_a_login_chosen_by_autocomplete(editor_client):
    user = UserFactory(username="mgonzalez")
    data = {"name": "Marisol Gonzalez", "slug": "marisol-gonzalez", "job_title": "", "bio": "", "user": str(user.pk)}

    response = editor_client.post(reverse("admin:authors_author_add"), data)

    assert response.status_code == 302
    assert Author.objects.get().user == user
    html = editor_client.get(reverse("admin:authors_author_add")).content.decode()
    assert re.search(r'<select name="user"[^>]*class="admin-autocomplete"', html)


def test_search_finds_authors_by_name(editor_client):
    wanted = AuthorFactory(name="Amadou Diallo")
    AuthorFactory(name="Marisol Gonzalez")
    response = editor_client.get(CHANGELIST, {"q": "diallo"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_changelist_counts_each_author_articles_and_links_to_them(editor_client):
    author = AuthorFactory(name="Amadou Diallo")
    ArticleFactory.create_batch(2, authors=[author])
    ArticleFactory(authors=[author, AuthorFactory()])

    html = editor_client.get(CHANGELIST).content.decode()

    articles_url = reverse("admin:articles_article_changelist") + f"?authors__id__exact={author.pk}"
    assert f'<a href="{articles_url}">3</a>' in html


@pytest.mark.parametrize("count", [1, 10])
def test_changelist_query_count_does_not_grow_with_authors(editor_client, django_assert_num_queries, count):
    for _ in range(count):
        ArticleFactory(authors=[AuthorFactory(user=UserFactory())])
    with django_assert_num_queries(
        5, info="session, user; count and unfiltered count; the page of authors with their logins and article counts"
    ):
        response = editor_client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == count


def test_change_page_previews_the_current_photo_and_its_square_crop(editor_client):
    author = AuthorFactory(name="Amadou Diallo", photo=image_upload("face.png", (400, 500)), photo_focus_y=20)
    html = editor_client.get(reverse("admin:authors_author_change", args=[author.pk])).content.decode()
    assert '<svg viewBox="0 0 400 500" width="240" height="300" role="img" aria-label="Amadou Diallo">' in html
    assert f'<image href="{author.photo.url}"' in html
    # Square, as high up as the focal point 20% down allows: 100 - 200 would leave the picture, so 0.
    assert '<rect x="0" y="0" width="400" height="400"' in html
    assert " style=" not in html


def test_byline_inline_can_search_authors(editor_client):
    AuthorFactory(name="Amadou Diallo")
    params = {"term": "amad", "app_label": "articles", "model_name": "byline", "field_name": "author"}
    response = editor_client.get(reverse("admin:autocomplete"), params)
    assert [result["text"] for result in response.json()["results"]] == ["Amadou Diallo"]
