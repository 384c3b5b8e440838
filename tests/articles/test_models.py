from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.capture import parse_article
from articles.demo import DEMO_ARTICLE_PATH
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "published_at", "visible"),
    [
        (Article.Status.PUBLISHED, NOW - timedelta(minutes=1), True),
        (Article.Status.PUBLISHED, NOW + timedelta(hours=1), False),
        (Article.Status.DRAFT, NOW - timedelta(minutes=1), False),
        (Article.Status.DRAFT, None, False),
        (Article.Status.IN_REVIEW, NOW - timedelta(minutes=1), False),
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


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"headline": "H" * 71}, "headline"),
        ({"summary": ""}, "summary"),
        ({"summary": "S" * 401}, "summary"),
        ({"body": ""}, "body"),
        ({"body": "<p></p><h2> </h2>"}, "body"),
        ({"body": "<script>alert(1)</script>"}, None),  # the text survives sanitizing, so it is not empty
        ({"source_url": "ftp://example.com/story"}, "source_url"),
    ],
)
def test_publish_checks_name_the_field_to_fix(changes, field):
    article = ArticleFactory.build(**changes)
    problems = article.publish_problems(authors=1)
    assert list(problems) == ([field] if field else [])


def test_a_complete_article_at_the_length_limits_may_be_published():
    article = ArticleFactory.build(headline="H" * 70, summary="S" * 160, body="<p>Text.</p>")
    assert article.publish_problems(authors=1) == {}


def test_an_article_without_an_author_on_its_byline_may_not_be_published():
    saved_without = ArticleFactory(authors=[])
    assert saved_without.publish_problems()["bylines"] == ["Put at least one author on the byline before publishing."]
    assert "bylines" not in ArticleFactory().publish_problems()
    # The admin form counts the byline rows it is about to save.
    assert "bylines" not in saved_without.publish_problems(authors=2)
    assert "bylines" in ArticleFactory().publish_problems(authors=0)


def test_an_image_without_alt_text_is_a_reason_not_to_publish():
    article = ArticleFactory.build(hero_image=image_upload(), hero_alt="")
    assert list(article.publish_problems(authors=1)) == ["hero_alt"]


def test_a_writers_articles_are_the_ones_they_created_or_are_on_the_byline_of(writer):
    created = ArticleFactory(created_by=writer)
    on_byline = ArticleFactory(authors=[writer.author])
    both = ArticleFactory(created_by=writer, authors=[writer.author, AuthorFactory()])
    ArticleFactory()

    assert sorted(Article.objects.owned_by(writer), key=lambda a: a.pk) == [created, on_byline, both]


def test_scheduled_means_published_with_a_time_still_to_come():
    assert ArticleFactory.build(status=Article.Status.PUBLISHED, published_at=NOW + timedelta(hours=1)).is_scheduled
    assert not ArticleFactory.build(status=Article.Status.PUBLISHED, published_at=NOW - timedelta(hours=1)).is_scheduled
    assert not ArticleFactory.build(status=Article.Status.DRAFT, published_at=NOW + timedelta(hours=1)).is_scheduled


def test_every_save_raises_the_lock_version():
    article = ArticleFactory()
    first = article.lock_version
    article.headline = "Changed"
    article.save()
    article.refresh_from_db()
    assert article.lock_version == first + 1


def test_search_engines_get_the_summary_cut_at_a_word_within_160_characters():
    standfirst = "Wagner mercenaries have officially left Mali after three and a half years, " * 5
    description = ArticleFactory.build(summary=standfirst).search_description
    assert len(description) <= 160
    assert description.endswith("…")
    assert standfirst.startswith(description[:-1])
    assert standfirst[len(description) - 1] == " "  # the cut falls between words
    assert ArticleFactory.build(summary="Short.").search_description == "Short."


def test_the_article_the_site_was_designed_from_passes_the_checks_before_publishing():
    parsed = parse_article(DEMO_ARTICLE_PATH.read_text(encoding="utf-8"))
    article = ArticleFactory.build(headline=parsed.headline, summary=parsed.summary, body=parsed.body_html)
    assert article.publish_problems(authors=1) == {}
