"""A reader cannot hide characters in a comment that change how its name or words read on the page."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.posting import form_data
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def post(client, article, **overrides):
    return client.post(reverse("comments:post", args=[article.slug]), form_data(**overrides))


def test_a_right_to_left_override_cannot_turn_a_name_into_another(client, article, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    post(client, article, name="Editor\u202e nimdA", body="Trust me\u2066, I am\u2069 staff\u200b.")
    comment = Comment.objects.get()
    assert comment.name == "Editor nimdA"
    assert comment.body == "Trust me, I am staff."
    comment.status = Comment.Status.APPROVED
    comment.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Editor nimdA" in page
    assert not any(char in page for char in "\u202e\u2066\u2069\u200b")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "\u200b\u202e\u2060 \ufeff", "Please give a name to show with your comment."),
        ("name", "\u3164\u3164", "Please give a name to show with your comment."),
        ("body", "\u200b\n\u200d\u202e\n", "Please write a comment."),
    ],
)
def test_a_name_or_comment_made_only_of_invisible_characters_is_refused(client, article, field, typed, message):
    response = post(client, article, **{field: typed})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Comment.objects.exists()


def test_emoji_sequences_and_persian_words_keep_their_joiners(client, article):
    family, persian = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    post(client, article, name=f"{persian} {family}", body=f"{family} {persian}")
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == (f"{persian} {family}", f"{family} {persian}")


def test_an_email_with_a_zero_width_space_is_the_same_reader(client, article):
    post(client, article, email="ada@exa\u200bmple.com")
    assert Comment.objects.get().email == "ada@example.com"


def test_a_moderator_s_edit_loses_invisible_characters_too(editor_client):
    comment = CommentFactory(name="Ada", body="Fine words.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {"name": "Editor\u202e nimdA", "email": comment.email, "body": "Fine\u200b words.", "status": "pending"}

    assert editor_client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.name, comment.body) == ("Editor nimdA", "Fine words.")

    response = editor_client.post(url, {**data, "name": "\u200b\u2066\u2069"})
    assert response.context["adminform"].form.errors["name"] == [
        "Give a name: this one is made only of invisible characters."
    ]
