"""Who hears about a workflow step: editors when a story is submitted for review, its writers when it is
published or sent back; the admin index counts what waits for review."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import publish_article, return_to_draft, submit_for_review
from tests.articles.admin_forms import change_form_data, change_url
from tests.articles.test_admin import action
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
SITE = "http://testserver/"


def sent_to(message: mail.EmailMessage) -> list[str]:
    return sorted(message.to)


def test_editors_get_an_email_when_a_writer_submits_for_review(
    writer_client, writer, desk_editor, admin_user, django_capture_on_commit_callbacks
):
    UserFactory(username="gone", is_staff=True, is_active=False, roles=["Editor"])
    UserFactory(username="nomail", email="", is_staff=True, roles=["Editor"])
    UserFactory(username="colleague", is_staff=True, roles=["Writer"])
    article = ArticleFactory(created_by=writer, headline="Floods close the river port")

    with django_capture_on_commit_callbacks(execute=True):
        action(writer_client, "submit", article)

    [message] = mail.outbox
    assert sent_to(message) == [desk_editor.email, admin_user.email]  # dana@, editor@
    assert message.subject == "For review: “Floods close the river port”"
    assert f"{SITE}admin/articles/article/{article.pk}/change/" in message.body
    assert f"{SITE}admin/articles/article/?status__exact=review" in message.body
    assert "wendy submitted" in message.body


def test_nothing_is_sent_for_a_step_until_it_commits(writer, desk_editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(created_by=writer)
    with django_capture_on_commit_callbacks() as callbacks:
        submit_for_review(article, by=writer, site_url=SITE)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_writers_get_an_email_when_their_story_is_published(
    writer, desk_editor_client, desk_editor, django_capture_on_commit_callbacks
):
    co_writer = UserFactory(username="omar", is_staff=True, roles=["Writer"])
    former = UserFactory(username="left", is_staff=False)
    byline = [writer.author, AuthorFactory(user=co_writer), AuthorFactory(user=former), AuthorFactory()]
    article = ArticleFactory(created_by=writer, authors=byline, status=Status.IN_REVIEW, headline="Port reopens")

    with django_capture_on_commit_callbacks(execute=True):
        action(desk_editor_client, "publish", article)

    [message] = mail.outbox
    assert sent_to(message) == [co_writer.email, writer.email]
    assert message.subject == "Published: “Port reopens”"
    assert f"{SITE}admin/articles/article/{article.pk}/change/" in message.body
    assert f"{SITE}{article.get_absolute_url().lstrip('/')}" in message.body


def test_writers_are_told_when_their_story_is_scheduled(writer, desk_editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(created_by=writer, published_at=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(article, by=desk_editor, site_url=SITE)
    [message] = mail.outbox
    assert message.subject.startswith("Scheduled: ")
    assert "readers see it from" in message.body


def test_writers_get_an_email_when_their_story_is_sent_back(
    writer, desk_editor_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(created_by=writer, authors=[writer.author], status=Status.IN_REVIEW, headline="Dam")

    with django_capture_on_commit_callbacks(execute=True):
        response = desk_editor_client.post(change_url(article), change_form_data(article, status=Status.DRAFT))

    assert response.status_code == 302
    [message] = mail.outbox
    assert sent_to(message) == [writer.email]
    assert message.subject == "Sent back to draft: “Dam”"
    assert "dana sent your story back to draft" in message.body
    assert f"{SITE}admin/articles/article/{article.pk}/change/" in message.body


def test_whoever_takes_the_step_gets_no_email_about_it(writer, admin_user, django_capture_on_commit_callbacks):
    """A writer taking their own story back from review, or an editor publishing their own, tells nobody."""
    taken_back = ArticleFactory(created_by=writer, authors=[writer.author], status=Status.IN_REVIEW)
    own = ArticleFactory(created_by=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        return_to_draft(taken_back, by=writer, site_url=SITE)
        publish_article(own, by=admin_user, site_url=SITE)
    assert mail.outbox == []


def test_a_headline_with_a_line_break_stays_one_subject_line(writer, desk_editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(created_by=writer, headline="Two\nlines")
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(article, by=writer, site_url=SITE)
    assert mail.outbox[0].subject == "For review: “Two lines”"


@pytest.mark.parametrize("editors", [1, 5])
def test_the_email_about_a_step_costs_one_query_however_many_editors(
    writer, django_assert_num_queries, django_capture_on_commit_callbacks, editors
):
    UserFactory.create_batch(editors, is_staff=True, roles=["Editor"])
    article = ArticleFactory(created_by=writer)
    with django_capture_on_commit_callbacks() as callbacks:
        submit_for_review(article, by=writer, site_url=SITE)
    with django_assert_num_queries(1, info="the editors' addresses"):
        callbacks[0]()
    assert len(mail.outbox[0].to) == editors


def test_admin_index_shows_how_many_stories_wait_for_review_and_links_to_them(desk_editor_client):
    ArticleFactory.create_batch(2, status=Status.IN_REVIEW)
    ArticleFactory(status=Status.DRAFT)
    html = desk_editor_client.get(reverse("admin:index")).content.decode()
    review_url = reverse("admin:articles_article_changelist") + "?status__exact=review"
    assert f'<a href="{review_url}">Articles (2 in review)</a>' in html


def test_admin_index_shows_writers_no_review_count(writer_client):
    """Publishing is the editors' step, so the count is theirs."""
    ArticleFactory(status=Status.IN_REVIEW)
    assert "in review)" not in writer_client.get(reverse("admin:index")).content.decode()


def test_admin_index_shows_no_review_count_when_nothing_waits(desk_editor_client):
    ArticleFactory(status=Status.DRAFT)
    html = desk_editor_client.get(reverse("admin:index")).content.decode()
    assert "in review)" not in html
    assert f'<a href="{reverse("admin:articles_article_changelist")}">Articles</a>' in html
