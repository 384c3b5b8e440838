"""The comment form's fields are drawn once for the blank form and kept (comments.forms.CommentForm.fields_html):
what one reader typed or had remembered must never show in another reader's form."""

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.cookies import REMEMBER_SALT
from tests.comments.posting import form_data

pytestmark = pytest.mark.django_db


def remembered(name: str, email: str) -> Client:
    client = Client()
    cookie = signing.dumps({"name": name, "email": email}, salt=REMEMBER_SALT)
    client.cookies[settings.COMMENTS_REMEMBER_COOKIE] = cookie
    return client


def test_a_remembered_name_shows_only_in_that_readers_form(article):
    blank_before = Client().get(article.get_absolute_url()).content.decode()
    own = remembered("Aminata <b>Touré</b>", "aminata@example.com").get(article.get_absolute_url()).content.decode()
    blank_after = Client().get(article.get_absolute_url()).content.decode()

    assert 'value="Aminata &lt;b&gt;Touré&lt;/b&gt;"' in own
    assert 'value="aminata@example.com"' in own
    assert "Aminata" not in blank_before and "Aminata" not in blank_after
    assert "aminata@example.com" not in blank_after


def test_a_form_sent_with_errors_keeps_the_text_and_the_next_blank_form_does_not(client, article):
    Client().get(article.get_absolute_url())  # the blank form, drawn and kept first
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        form_data(name="Ada", email="not an address", body="My words <script>x</script>"),
    )
    page = response.content.decode()
    blank = Client().get(article.get_absolute_url()).content.decode()

    assert "My words &lt;script&gt;x&lt;/script&gt;" in page
    assert 'value="Ada"' in page
    assert "My words" not in blank and 'value="Ada"' not in blank
