from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import image_upload

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "published_at", "visible"),
    [
        (Article.Status.PUBLISHED, NOW - timedelta(minutes=1), True),
        (Article.Status.PUBLISHED, NOW + timedelta(hours=1), False),
        (Article.Status.DRAFT, NOW - timedelta(minutes=1), False),
        (Article.Status.DRAFT, None, False),
    ],
)
def test_published_queryset_and_is_published_agree_on_what_readers_see(status, published_at, visible):
    article = ArticleFactory(status=status, published_at=published_at)
    assert (article in Article.objects.published()) is visible
    assert article.is_published is visible


def test_publishing_without_a_time_publishes_now():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_body_is_stored_sanitized_so_editors_see_what_readers_get():
    article = ArticleFactory(body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>')
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert article.body.startswith("<p>Hi ")


def test_an_image_without_alt_text_is_refused():
    article = ArticleFactory.build(hero_image=image_upload(), hero_alt=" ")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "hero_alt" in error.value.message_dict


def test_byline_keeps_the_order_editors_set():
    first, second = AuthorFactory(name="Zoe Last"), AuthorFactory(name="Adam First")
    article = ArticleFactory(authors=[first, second])
    assert article.byline_authors == [first, second]
