"""A pasted invisible character cannot reverse or hide a headline, a summary or a byline."""

import pytest
from django.urls import reverse

from articles.models import Article, Correction, Section
from authors.models import Author
from tests.articles.admin_forms import change_form_data, change_url, with_new_note
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_pasted_right_to_left_override_does_not_reverse_a_headline_on_the_home_page(editor_client, client):
    article = ArticleFactory(published=True, headline="Elections in Mali")
    data = change_form_data(
        article, headline="Elections \u202eilaM ni", summary="\u2067Turnout\u2069 was\u200b high.\u202c"
    )

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.headline, article.summary) == ("Elections ilaM ni", "Turnout was high.")
    page = client.get(reverse("articles:home")).content.decode()
    assert "Elections ilaM ni" in page
    assert "\u202e" not in page and "\u2067" not in page


def test_a_headline_made_only_of_invisible_characters_is_refused(editor_client):
    article = ArticleFactory(headline="Elections in Mali")

    response = editor_client.post(change_url(article), change_form_data(article, headline="\u200b\u202e\u2060"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["headline"] == [
        "Write a headline: this one is made only of invisible characters."
    ]
    assert Article.objects.get().headline == "Elections in Mali"


def test_an_author_name_loses_its_invisible_characters_and_an_invisible_one_is_refused(editor_client):
    add = reverse("admin:authors_author_add")
    data = {"name": "Ed\u200bitor\u202e nimdA", "slug": "editor", "job_title": "\u2066Desk\u2069", "bio": ""}

    assert editor_client.post(add, data).status_code == 302
    author = Author.objects.get()
    assert (author.name, author.job_title) == ("Editor nimdA", "Desk")

    response = editor_client.post(add, {**data, "name": "\u3164\u200d", "slug": "blank"})
    assert response.context["adminform"].form.errors["name"] == [
        "Write a name: this one is made only of invisible characters."
    ]
    assert Author.objects.count() == 1


def test_an_empty_headline_or_name_gets_only_the_required_error(editor_client):
    article = ArticleFactory(headline="Elections in Mali")
    response = editor_client.post(change_url(article), change_form_data(article, headline=""))
    assert response.context["adminform"].form.errors["headline"] == ["This field is required."]

    response = editor_client.post(reverse("admin:authors_author_add"), {"name": "", "slug": "x", "bio": ""})
    assert response.context["adminform"].form.errors["name"] == ["This field is required."]


def test_image_words_and_the_source_name_lose_their_invisible_characters(editor_client):
    article = ArticleFactory(headline="Elections in Mali")
    data = change_form_data(
        article,
        hero_caption="Voters\u200b queue\u202e",
        hero_credit="\u2066Reuters\u2069",
        source_name="ink\u200dl.com\u2060",
    )

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.hero_caption, article.hero_credit, article.source_name) == ("Voters queue", "Reuters", "inkl.com")


def test_a_tag_typed_with_invisible_characters_is_stored_without_them(editor_client):
    article = ArticleFactory(headline="Elections in Mali")

    response = editor_client.post(change_url(article), change_form_data(article, tags=["Sa\u200bhel\u202e", "\u200b"]))

    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["Sahel"]


def test_a_section_name_made_only_of_invisible_characters_is_refused(editor_client):
    add = reverse("admin:articles_section_add")

    response = editor_client.post(add, {"name": "\u200b\u202e", "slug": "blank", "description": "", "position": 0})

    assert response.context["adminform"].form.errors["name"] == [
        "Write a name: this one is made only of invisible characters."
    ]
    world = {"name": "Wor\u200bld", "slug": "world", "description": "", "position": 0}
    assert editor_client.post(add, world).status_code == 302
    assert Section.objects.get().name == "World"


def test_a_correction_note_made_only_of_invisible_characters_is_refused(editor_client):
    article = ArticleFactory(published=True, headline="Elections in Mali")
    data = with_new_note(change_form_data(article), "correction", "\u200b\u2060\u202e")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    assert not Correction.objects.exists()
