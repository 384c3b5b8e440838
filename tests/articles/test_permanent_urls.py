"""Permanent addresses: a published story's old slugs answer 301 forever; a withdrawn story answers 410."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SlugRedirect
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def rename(client, article: Article, slug: str) -> None:
    """An editor changes the slug on the change form and saves."""
    article.refresh_from_db()
    response = client.post(change_url(article), change_form_data(article, slug=slug))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.slug == slug


def detail(slug: str) -> str:
    return reverse("articles:detail", args=[slug])


def withdraw(client, *articles: Article, notice: str):
    """The "Withdraw" action, confirmed with a notice on its second page."""
    return client.post(
        CHANGELIST,
        {
            "action": "withdraw",
            "_selected_action": [str(article.pk) for article in articles],
            "withdraw_confirmed": "yes",
            "notice": notice,
        },
        follow=True,
    )


# Moved stories -------------------------------------------------------------------------------


def test_renamed_published_story_answers_301_at_its_old_address(editor_client, client):
    article = ArticleFactory(published=True, slug="mali-junta-delays-vote")
    rename(editor_client, article, "mali-junta-postpones-elections")

    response = client.get(detail("mali-junta-delays-vote"))

    assert response.status_code == 301
    assert response["Location"] == detail("mali-junta-postpones-elections")
    assert client.get(response["Location"]).status_code == 200


def test_a_chain_of_renames_sends_every_old_address_straight_to_the_current_one(editor_client, client):
    article = ArticleFactory(published=True, slug="first")
    rename(editor_client, article, "second")
    rename(editor_client, article, "third")

    for old in ("first", "second"):
        response = client.get(detail(old))
        assert (response.status_code, response["Location"]) == (301, detail("third")), old


def test_going_back_to_an_old_slug_serves_the_story_there_and_redirects_the_other(editor_client, client):
    article = ArticleFactory(published=True, slug="first")
    rename(editor_client, article, "second")
    rename(editor_client, article, "first")

    assert client.get(detail("first")).status_code == 200
    assert client.get(detail("second"))["Location"] == detail("first")
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]


def test_renaming_a_draft_nobody_has_seen_leaves_no_old_address(editor_client, client):
    article = ArticleFactory(slug="working-title")
    rename(editor_client, article, "final-title")
    assert not SlugRedirect.objects.exists()
    assert client.get(detail("working-title")).status_code == 404


def test_old_address_of_an_unpublished_story_answers_404_like_any_unpublished_story(editor_client, client):
    article = ArticleFactory(published=True, slug="first")
    rename(editor_client, article, "second")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert client.get(detail("first")).status_code == 404
    assert client.get(detail("second")).status_code == 404


def test_another_article_cannot_take_an_old_address_and_the_editor_is_told_why(editor_client):
    moved = ArticleFactory(published=True, slug="first", headline="Harbour bridge reopens")
    rename(editor_client, moved, "second")
    other = ArticleFactory(slug="something-else")

    response = editor_client.post(change_url(other), change_form_data(other, slug="first"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["slug"] == ["This address used to be “Harbour bridge reopens” and still leads there. Choose another."]
    other.refresh_from_db()
    assert other.slug == "something-else"


# Withdrawn stories ---------------------------------------------------------------------------


def test_withdrawing_asks_for_a_notice_before_touching_anything(editor_client):
    article = ArticleFactory(published=True, headline="Minister resigns")

    page = editor_client.post(CHANGELIST, {"action": "withdraw", "_selected_action": [str(article.pk)]})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Minister resigns" in html
    assert 'name="notice"' in html
    article.refresh_from_db()
    assert article.is_published


def test_an_empty_notice_is_refused_with_the_form_shown_again(editor_client):
    article = ArticleFactory(published=True)

    response = withdraw(editor_client, article, notice="   ")

    assert "This field is required." in response.content.decode()
    article.refresh_from_db()
    assert article.is_published and article.withdrawn_at is None


def test_withdrawn_story_answers_410_with_the_editors_notice(editor_client, client):
    article = ArticleFactory(published=True, slug="minister-resigns")
    notice = "This article has been withdrawn: it named the wrong minister."

    response = withdraw(editor_client, article, notice=notice)

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 article withdrawn."]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.withdrawn_at is not None
    gone = client.get(detail("minister-resigns"))
    assert gone.status_code == 410
    html = gone.content.decode()
    assert "This article has been withdrawn" in html
    assert "it named the wrong minister." in html
    assert article.headline not in html
    assert '<link rel="stylesheet"' in html  # the site's own page, not a bare error


def test_old_address_of_a_withdrawn_story_answers_410_too(editor_client, client):
    article = ArticleFactory(published=True, slug="first")
    rename(editor_client, article, "second")
    withdraw(editor_client, article, notice="Withdrawn.")
    assert client.get(detail("first")).status_code == 410


def test_only_live_stories_are_withdrawn_so_a_draft_never_reveals_itself_with_a_410(editor_client, client):
    live = ArticleFactory(published=True)
    draft = ArticleFactory(slug="secret-draft")

    response = withdraw(editor_client, live, draft, notice="Withdrawn.")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 article withdrawn. Articles that were not live were left as they are: there is nothing to withdraw."
    ]
    draft.refresh_from_db()
    assert draft.withdrawn_at is None
    assert client.get(detail("secret-draft")).status_code == 404


def test_the_withdrawal_notice_is_escaped(editor_client, client):
    article = ArticleFactory(published=True)
    withdraw(editor_client, article, notice="<script>alert('x')</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_publishing_a_withdrawn_story_again_brings_it_back(editor_client, client):
    article = ArticleFactory(published=True)
    withdraw(editor_client, article, notice="Withdrawn pending review.")

    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [str(article.pk)]})

    article.refresh_from_db()
    assert (article.withdrawn_at, article.withdrawal_note) == (None, "")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_publishing_a_withdrawn_story_from_its_form_brings_it_back(editor_client, client):
    article = ArticleFactory(published=True)
    withdraw(editor_client, article, notice="Withdrawn pending review.")
    article.refresh_from_db()

    editor_client.post(change_url(article), change_form_data(article, status=Article.Status.PUBLISHED))

    article.refresh_from_db()
    assert article.withdrawn_at is None
    assert client.get(article.get_absolute_url()).status_code == 200


# What a miss costs ---------------------------------------------------------------------------
# The published story is found in the page's first query, so history costs nothing on the happy
# path (tests/articles/test_views.py holds that budget). Only a miss looks further.


def test_a_moved_story_costs_two_queries(client, django_assert_num_queries):
    article = ArticleFactory(published=True, slug="new")
    SlugRedirect.objects.create(old_slug="old", article=article)
    with django_assert_num_queries(2, info="published story at the slug (none); published story that had it"):
        assert client.get(detail("old")).status_code == 301


def test_a_withdrawn_story_costs_four_queries(client, django_assert_num_queries):
    SectionFactory.create_batch(3)
    ArticleFactory(slug="gone", withdrawn_at=timezone.now(), withdrawal_note="Withdrawn.")
    with django_assert_num_queries(4, info="story at slug; moved story; withdrawn story; section nav"):
        assert client.get(detail("gone")).status_code == 410


def test_an_unknown_address_costs_four_queries(client, django_assert_num_queries):
    SectionFactory.create_batch(3)
    with django_assert_num_queries(4, info="story at slug; moved story; withdrawn story; section nav"):
        assert client.get(detail("nothing-here")).status_code == 404
