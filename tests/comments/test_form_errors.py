"""Where a reader lands after sending the comment form: at the form with a summary of what to fix, or at the result."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from comments.views import HELD_MESSAGE
from tests.comments.posting import form_data
from tests.factories import ArticleFactory
from tests.html_elements import by_id, elements

pytestmark = pytest.mark.django_db


def post_url(article: Article) -> str:
    return reverse("comments:post", args=[article.slug])


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_form_sends_the_reader_back_to_itself(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    form = by_id(html, "comment-form")
    assert form.tag == "form"
    assert form.attrs["action"] == f"{post_url(article)}#comment-form"
    assert not title(html).startswith("Error:")
    assert "error-summary" not in html


def test_a_form_with_errors_opens_with_a_summary_that_links_to_each_field(client, article):
    response = client.post(post_url(article), form_data(name=" ", email="not-an-address", body=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert title(html).startswith("Error: ")
    form = by_id(html, "comment-form")
    summary = form.children[0]  # the first thing the reader lands on
    assert "error-summary" in summary.classes
    assert (summary.attrs["role"], summary.attrs["tabindex"]) == ("alert", "-1")
    assert by_id(html, summary.attrs["aria-labelledby"]).text.strip() == "There is a problem with your comment"
    links = [element for element in summary.descendants() if element.tag == "a"]
    assert [link.attrs["href"] for link in links] == ["#id_name", "#id_email", "#id_body"]
    assert [link.text for link in links] == [
        "Name: This field is required.",
        "Email: Enter a valid email address.",
        "Comment: This field is required.",
    ]
    for link in links:
        field = by_id(html, link.attrs["href"][1:])
        assert field.attrs["aria-invalid"] == "true"
        # The field's own error is read out with it, from the list its aria-describedby names.
        described = [by_id(html, ref).text for ref in field.attrs["aria-describedby"].split()]
        assert link.text.split(": ", 1)[1] in described


def test_errors_of_fields_the_reader_cannot_see_are_in_the_summary_too(client, article):
    response = client.post(post_url(article), form_data(token="forged", parent="12345"))
    html = response.content.decode()
    assert title(html).startswith("Error: ")
    summary = by_id(html, "comment-form").children[0]
    assert "error-summary" in summary.classes
    assert "You can only reply to a published comment on this story." in summary.text
    assert "This form is out of date. Please check your comment and send it again." in summary.text


def test_a_refused_duplicate_is_in_the_summary(client, article):
    client.post(post_url(article), form_data())
    html = client.post(post_url(article), form_data()).content.decode()
    summary = by_id(html, "comment-form").children[0]
    assert "You have already posted this comment on this story." in summary.text
    assert title(html).startswith("Error: ")


def test_the_summary_moves_focus_with_a_static_script_and_no_inline_one(client, article):
    html = client.post(post_url(article), form_data(body="")).content.decode()
    # The article's JSON-LD is data, not script: no browser runs it (docs/search-engines.md).
    scripts = [
        element
        for element in elements(html)
        if element.tag == "script" and element.attrs.get("type") != "application/ld+json"
    ]
    assert [script.attrs.get("src") for script in scripts] == [static("js/error-summary.js")]
    assert all(not script.text.strip() for script in scripts)


def test_a_post_to_a_closed_story_lands_at_the_refusal_with_an_error_title(client):
    article = ArticleFactory(published=True, is_closed_for_comments=True)
    html = client.post(post_url(article), form_data()).content.decode()
    assert title(html).startswith("Error: ")
    assert "Your comment was not posted." in by_id(html, "comment-form").text


def test_a_held_comment_lands_at_the_message_that_says_so(client, article):
    response = client.post(post_url(article), form_data(), follow=True)
    [(location, _)] = response.redirect_chain
    assert location == f"{article.get_absolute_url()}#comment-notice"
    assert by_id(response.content.decode(), "comment-notice").text == HELD_MESSAGE
    assert Comment.objects.get().status == Comment.Status.PENDING
