"""What editors see of the publication settings and the standing pages."""

import pytest
from django.urls import reverse

from newsroom.models import Page, Publication

pytestmark = pytest.mark.django_db


def test_the_publication_settings_open_straight_on_the_one_record(editor_client):
    response = editor_client.get(reverse("admin:newsroom_publication_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:newsroom_publication_change", args=[1])
    assert editor_client.get(response["Location"]).status_code == 200


def test_a_second_publication_record_cannot_be_added_and_the_one_cannot_be_deleted(editor_client):
    assert editor_client.get(reverse("admin:newsroom_publication_add")).status_code == 403
    assert editor_client.get(reverse("admin:newsroom_publication_delete", args=[1])).status_code == 403
    assert Publication.objects.count() == 1


def test_an_editor_renames_the_publication_and_readers_see_it(editor_client, client):
    url = reverse("admin:newsroom_publication_change", args=[1])
    form = {"name": "The Daily Ledger", "tagline": "Valley news.", "language": "en-GB", "x_handle": "@ledger"}
    for field in ("contact_email", "facebook_url", "instagram_handle", "mastodon_url", "bluesky_handle"):
        form[field] = ""
    form.update(share_focus_x="", share_focus_y="")

    response = editor_client.post(url, form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Publication.objects.get().x_handle == "ledger"
    assert "<title>The Daily Ledger · Latest stories</title>" in client.get("/").content.decode()


def test_a_malformed_social_address_is_shown_on_the_form_not_saved(editor_client):
    url = reverse("admin:newsroom_publication_change", args=[1])
    form = {"name": "Newsroom", "tagline": "", "language": "en", "facebook_url": "https://evil.example/"}

    response = editor_client.post(url, form)

    assert response.status_code == 200
    assert "facebook_url" in response.context["adminform"].form.errors


def test_an_editor_writes_a_page_and_hostile_markup_is_removed(editor_client):
    response = editor_client.post(
        reverse("admin:newsroom_page_add"),
        {"title": "About us", "slug": "about", "body": "<p>Hello</p><script>x()</script>", "position": "1"},
    )

    assert response.status_code == 302
    assert Page.objects.get().body == "<p>Hello</p>x()"
