"""Every hostile input gets a clear 4xx answer or the form with its errors, never a 500, and stores nothing."""

import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.forms import REPLY_MESSAGE
from comments.models import Comment
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def post_url(article: Article) -> str:
    return reverse("comments:post", args=[article.slug])


def assert_form_error(response, field: str | None, message: str) -> None:
    """The article page again (200), with the message, and nothing stored."""
    assert response.status_code == 200
    assert message in response.content.decode()
    form = response.context["form"]
    if field:
        assert form.errors[field], form.errors
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"body": ""}, "body", "This field is required."),
        ({"body": " \n\t "}, "body", "This field is required."),
        ({"name": "n" * 81}, "name", "Ensure this value has at most 80 characters (it has 81)."),
        ({"email": "e" * 243 + "@example.com"}, "email", "Ensure this value has at most 254 characters (it has 255)."),
        ({"body": "x" * 5001}, "body", "Comments can be up to 5,000 characters; yours has 5,001."),
        ({"name": "nul\x00byte"}, "name", "Null characters are not allowed."),
        ({"email": "a\x00@example.com"}, "email", "Null characters are not allowed."),
        ({"body": "nul\x00byte"}, "body", "Null characters are not allowed."),
        ({"parent": "1\x00"}, "parent", "Null characters are not allowed."),
        ({"token": "t\x00"}, "token", "Null characters are not allowed."),
        ({"name": "Ada\r\nBcc: victim@example.com"}, "name", "Use a single line of plain text."),
        ({"email": "ada@example.com\r\nBcc: victim@example.com"}, "email", "Enter a valid email address."),
        ({"email": "ada@exa\rmple.com"}, "email", "Enter a valid email address."),
        ({"body": "bell\x07"}, "body", "Remove the control characters."),
    ],
    ids=lambda value: repr(value)[:40] if not isinstance(value, dict) else "-".join(value),
)
def test_bad_fields_reshow_the_form_with_errors_and_the_input_kept(client, overrides, field, message):
    article = ArticleFactory(published=True)
    data = form_data(**overrides)
    response = client.post(post_url(article), data)
    assert_form_error(response, field, message)
    html = response.content.decode()
    assert article.headline in html  # the story is still there, above the form
    for name in ("name", "email", "body"):
        if name not in overrides:
            assert str(data[name]).split("\n")[0] in html


def raw_post(client, article: Article, fields: bytes):
    token = form_data()["token"].encode()
    body = fields + b"&email=a%40example.com&token=" + token
    return client.generic("POST", post_url(article), body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("fields", [b"name=Ada%FF%FE&body=fine", b"name=Ada&body=%C3%28+broken"])
def test_invalid_utf8_is_an_error_not_garbage_in_the_database(client, fields):
    article = ArticleFactory(published=True)
    response = raw_post(client, article, fields)
    assert_form_error(response, None, "This text contains characters that could not be read.")


def test_a_body_that_is_not_utf8_at_all_is_read_as_latin1(client):
    """Django reads a request body that is not UTF-8 as ISO-8859-1, what old browsers send."""
    article = ArticleFactory(published=True)
    response = raw_post(client, article, b"name=Ada&body=caf\xe9+au+lait")
    assert response.status_code == 302
    assert Comment.objects.get().body == "café au lait"


def test_html_and_script_in_every_field_come_back_escaped(client):
    article = ArticleFactory(published=True)
    script = "<script>alert(1)</script>"
    data = form_data(name=script, email=f"{script}@example.com", body=script, parent=script, website="", token=script)
    response = client.post(post_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Comment.objects.exists()


def test_script_in_a_valid_comment_is_stored_as_text_and_shown_escaped(client):
    article = ArticleFactory(published=True)
    CommentFactory(article=article, email="aminata@example.com", status=Comment.Status.APPROVED)
    script = "<script>alert(1)</script>"
    response = client.post(post_url(article), form_data(name=f"Eve {script}", body=f"Hi {script}"), follow=True)
    html = response.content.decode()
    assert script not in html
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Hi &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Comment.objects.get(name=f"Eve {script}").body == f"Hi {script}"


@pytest.mark.parametrize(
    "kind", ["another story", "pending", "spam", "removed", "unknown", "not a number", "huge", "longer than int reads"]
)
def test_a_reply_only_answers_a_published_comment_of_the_same_story(client, kind):
    article = ArticleFactory(published=True)
    elsewhere = CommentFactory(status=Comment.Status.APPROVED)
    parents = {
        "another story": str(elsewhere.pk),
        "unknown": "999999",
        "not a number": "abc",
        "huge": "9" * 40,
        # Past 4,300 digits Python's int() raises instead of converting.
        "longer than int reads": "9" * 5000,
    }
    if kind in {"pending", "spam", "removed"}:
        parents[kind] = str(CommentFactory(article=article, status=kind).pk)
    before = Comment.objects.count()

    response = client.post(post_url(article), form_data(parent=parents[kind]))

    assert response.status_code == 200
    assert REPLY_MESSAGE in response.content.decode()
    assert Comment.objects.count() == before


def test_a_reply_in_a_removed_thread_is_refused(client):
    article = ArticleFactory(published=True)
    first = CommentFactory(article=article, status=Comment.Status.REMOVED)
    reply = CommentFactory(article=article, parent=first, status=Comment.Status.APPROVED)
    response = client.post(post_url(article), form_data(parent=str(reply.pk)))
    assert REPLY_MESSAGE in response.content.decode()
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://elsewhere.example/page-with-a-hidden-form"},
    ],
    ids=["other origin", "null origin", "sec-fetch-site cross-site", "sec-fetch-site same-site", "other referer"],
)
def test_a_post_sent_from_another_sites_page_is_refused_with_a_page_saying_so(article, headers):
    """The CSRF cookie is gone from the comment form (the page is cached and shared); the browser's word on
    where the post comes from refuses what the cookie refused: another site posting through a reader."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), form_data(), **headers)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your comment was not sent" in html
    assert "this one came from another website" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": f"http://testserver{reverse('articles:home')}"},
        {},
    ],
    ids=["own origin", "sec-fetch-site same-origin", "own referer, no origin", "no browser headers"],
)
def test_a_post_from_the_sites_own_page_needs_no_cookie(article, headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), form_data(), **headers)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_post_with_a_forged_form_token_is_refused_and_stores_nothing(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), form_data(token="x" * 64), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200
    assert "This form is out of date. Please check your comment and send it again." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_form_taken_from_one_story_cannot_post_to_another(client, article):
    other = ArticleFactory(published=True)
    html = client.get(other.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(post_url(article), form_data(token=token))
    assert "This form is out of date. Please check your comment and send it again." in response.content.decode()
    assert not Comment.objects.exists()
    # The same token posts to the story it was shown with (a minute later, as a person would).
    with time_machine.travel(time.time() + 60):
        assert client.post(post_url(other), form_data(token=token)).status_code == 302
    assert Comment.objects.get().article == other


@pytest.mark.parametrize("slug", ["draft", "no-such-story"])
def test_posting_to_a_draft_or_unknown_article_is_a_404(client, slug):
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    response = client.post(reverse("comments:post", args=[slug]), form_data())
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete", "head", "options"])
def test_other_methods_on_the_comment_url_are_refused_not_errors(client, article, method):
    response = getattr(client, method)(post_url(article))
    assert response.status_code == 405
    assert not Comment.objects.exists()


def test_a_post_with_no_fields_at_all_is_the_form_with_errors(client, article):
    response = client.post(post_url(article), {})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "email", "body", "token"}
    assert not Comment.objects.exists()


def test_a_post_with_a_list_where_one_value_is_expected_uses_the_last(client, article):
    response = client.post(post_url(article), {**form_data(), "name": ["First", "Second"]})
    assert response.status_code == 302
    assert Comment.objects.get().name == "Second"


def test_a_multipart_post_with_a_file_is_handled_like_any_other(client, article, tmp_path):
    upload = tmp_path / "x.txt"
    upload.write_text("file body")
    with upload.open("rb") as handle:
        response = client.post(post_url(article), {**form_data(), "body": handle})
    assert response.status_code == 200
    assert not Comment.objects.exists()
