"""A reader's text is never lost to a size limit: the form states the limit and the browser keeps what
fits, and a longer post from anything else comes back as the form, with the length, the limit and the text."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.comments.posting import form_data

pytestmark = pytest.mark.django_db

BODY_MAX = Comment._meta.get_field("body").max_length
# A megabyte of text: four bytes of UTF-8 for each emoji, twelve once a browser percent-encodes them.
MEGABYTE_OF_EMOJI = "😀" * 250_000


def post_as_a_browser(client, article: Article, **fields):
    """The comment form as a browser sends it: URL-encoded, not multipart (the test client's default)."""
    return client.post(
        reverse("comments:post", args=[article.slug]),
        urlencode(form_data(**fields)),
        content_type="application/x-www-form-urlencoded",
    )


def textarea_text(html: str) -> str:
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, "no comment textarea on the page"
    return unescape(match.group(1)).lstrip("\n")


def test_the_comment_box_says_its_limit_and_the_browser_enforces_it(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert re.search(rf'<textarea name="body"[^>]*maxlength="{BODY_MAX}"', html)
    assert f"up to {BODY_MAX:,} characters" in html


def test_a_megabyte_of_emoji_comes_back_in_the_form_with_its_length_and_the_limit(client, article):
    response = post_as_a_browser(client, article, body=MEGABYTE_OF_EMOJI)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Comments can be up to {BODY_MAX:,} characters; yours has 250,000." in html
    assert response.context["form"].errors["body"]
    assert textarea_text(html) == MEGABYTE_OF_EMOJI  # nothing the reader wrote is lost
    assert not Comment.objects.exists()


def test_a_comment_one_character_over_the_limit_comes_back_whole(client, article):
    body = "x" * (BODY_MAX + 1)

    response = post_as_a_browser(client, article, body=body)

    assert f"Comments can be up to {BODY_MAX:,} characters; yours has {BODY_MAX + 1:,}." in response.content.decode()
    assert textarea_text(response.content.decode()) == body
    assert not Comment.objects.exists()


def test_a_post_too_large_to_read_is_refused_with_a_page_that_says_so(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000

    response = post_as_a_browser(client, article, body="😀" * 100_000)

    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent was too large" in html
    assert "It was 1.2 MB, more than the 0.1 MB this site reads from one form" in html
    assert not Comment.objects.exists()
