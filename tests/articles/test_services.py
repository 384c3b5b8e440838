from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, StatusChange
from articles.services import (
    allowed_statuses,
    move_article,
    publish_article,
    return_to_draft,
    submit_for_review,
    unpublish_article,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def steps(article: Article) -> list[tuple[str, str, str]]:
    return [(s.from_status, s.to_status, s.by.username) for s in article.status_changes.select_related("by")]


def test_a_story_goes_from_draft_through_review_to_readers_and_back_with_each_step_recorded(writer, desk_editor):
    article = ArticleFactory()

    submit_for_review(article, by=writer)
    publish_article(article, by=desk_editor)
    article.refresh_from_db()
    assert article.is_published
    unpublish_article(article, by=desk_editor)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert steps(article) == [
        ("draft", "review", "wendy"),
        ("review", "published", "dana"),
        ("published", "draft", "dana"),
    ]
    assert all(timezone.now() - step.at < timedelta(minutes=1) for step in article.status_changes.all())


def test_an_editor_sends_a_story_in_review_back_to_its_writer(writer, desk_editor):
    article = ArticleFactory(status=Status.IN_REVIEW)
    return_to_draft(article, by=desk_editor)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert steps(article) == [("review", "draft", "dana")]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_a_writer_cannot_publish_even_by_calling_the_service(writer, status):
    article = ArticleFactory(status=status)
    with pytest.raises(PermissionDenied):
        publish_article(article, by=writer)
    article.refresh_from_db()
    assert article.status == status
    assert not StatusChange.objects.exists()


def test_a_writer_cannot_unpublish(writer):
    article = ArticleFactory(published=True)
    with pytest.raises(PermissionDenied):
        unpublish_article(article, by=writer)
    article.refresh_from_db()
    assert article.is_published


def test_publishing_an_incomplete_article_is_refused_with_every_reason(desk_editor):
    article = ArticleFactory(headline="A" * 71, summary="", body="<p> </p>")
    with pytest.raises(ValidationError) as error:
        publish_article(article, by=desk_editor)
    assert set(error.value.message_dict) == {"headline", "summary", "body"}
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_publishing_without_a_time_publishes_now_and_a_future_time_schedules(desk_editor):
    undated = ArticleFactory()
    later = timezone.now() + timedelta(hours=3)
    scheduled = ArticleFactory(published_at=later)

    publish_article(undated, by=desk_editor)
    publish_article(scheduled, by=desk_editor)

    undated.refresh_from_db()
    scheduled.refresh_from_db()
    assert undated.is_published
    assert timezone.now() - undated.published_at < timedelta(minutes=1)
    assert (scheduled.status, scheduled.published_at, scheduled.is_published) == (Status.PUBLISHED, later, False)
    assert scheduled.is_scheduled
    assert scheduled not in Article.objects.published()


def test_unpublishing_keeps_the_publication_time_for_the_return(desk_editor):
    article = ArticleFactory(published=True)
    published_at = article.published_at
    unpublish_article(article, by=desk_editor)
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, published_at)


def test_a_step_from_a_status_the_article_has_left_is_refused_and_not_recorded(writer, desk_editor):
    """Two people acting on the same article: the second one's step no longer applies."""
    article = ArticleFactory()
    stale_copy = Article.objects.get(pk=article.pk)
    publish_article(article, by=desk_editor)

    with pytest.raises(ValidationError, match="changed by someone else"):
        submit_for_review(stale_copy, by=writer)

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert steps(article) == [("draft", "published", "dana")]


def test_each_step_makes_an_open_form_stale(desk_editor):
    article = ArticleFactory()
    opened = article.lock_version
    publish_article(article, by=desk_editor)
    article.refresh_from_db()
    assert article.lock_version == opened + 1


def test_publishing_twice_is_refused(desk_editor):
    article = ArticleFactory(published=True)
    with pytest.raises(ValidationError, match="already published"):
        publish_article(article, by=desk_editor)


def test_move_article_refuses_a_step_the_workflow_does_not_have(desk_editor):
    article = ArticleFactory(published=True)
    with pytest.raises(ValidationError, match="cannot become in review"):
        move_article(article, to=Status.IN_REVIEW, by=desk_editor)


@pytest.mark.parametrize(
    ("current", "writer_may", "editor_may"),
    [
        (Status.DRAFT, ["draft", "review"], ["draft", "review", "published"]),
        (Status.IN_REVIEW, ["draft", "review"], ["draft", "review", "published"]),
        (Status.PUBLISHED, ["published"], ["draft", "published"]),
    ],
)
def test_the_statuses_offered_depend_on_the_role(writer, desk_editor, current, writer_may, editor_may):
    assert allowed_statuses(current, writer) == writer_may
    assert allowed_statuses(current, desk_editor) == editor_may
