"""Prepared queries (newsroom/prepared.py): compiled once, run with each request's values. A value kept from the
first run, or a stand-in left in the SQL, would show a reader the wrong story or hide a published one."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models.query import prefetch_related_objects
from django.utils import timezone

from articles.models import Article, published_article
from articles.models.article import detail_prefetches, prefetch_for_detail
from newsroom.prepared import PreparedQuery
from tests.factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory

pytestmark = pytest.mark.django_db


def by_sections(*, section_ids: list[int], slug: str, now):
    return Article.objects.published(at=now).filter(section_id__in=section_ids).exclude(slug=slug).order_by("pk")


def test_each_run_binds_its_own_values_as_the_queryset_would():
    prepared = PreparedQuery(by_sections)
    world, arts = SectionFactory(), SectionFactory()
    stories = [ArticleFactory(published=True, section=section) for section in (world, world, arts)]
    now = timezone.now()

    for section_ids, slug in (([world.pk], stories[0].slug), ([arts.pk], "none"), ([world.pk, arts.pk], "none")):
        expected = list(by_sections(section_ids=section_ids, slug=slug, now=now))
        assert prepared.run(section_ids=section_ids, slug=slug, now=now) == expected
    assert [a.pk for a in prepared.run(section_ids=[world.pk], slug="none", now=now)] == [s.pk for s in stories[:2]]


def test_a_prepared_values_list_gives_the_querysets_named_rows():
    stories = [ArticleFactory(published=True) for _ in range(3)]
    now = timezone.now()

    def headlines(*, section_ids: list[int], slug: str, now):
        return by_sections(section_ids=section_ids, slug=slug, now=now).values_list("pk", "headline", named=True)

    prepared = PreparedQuery(headlines)
    for story in stories:
        section_ids = [s.section_id for s in stories]
        expected = list(headlines(section_ids=section_ids, slug=story.slug, now=now))
        rows = prepared.run(section_ids=section_ids, slug=story.slug, now=now)
        assert rows == expected and [row.headline for row in rows] == [row.headline for row in expected]
        assert story.pk not in [row.pk for row in rows]


def test_a_value_the_query_does_not_use_fails_at_once():
    prepared = PreparedQuery(lambda *, slug, now: Article.objects.published(at=now))
    with pytest.raises(ValueError, match="did not reach"):
        prepared.run(slug="anything", now=timezone.now())


def test_a_scheduled_story_appears_at_its_time_through_the_prepared_article_query():
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1))
    assert published_article(story.slug) is None
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        found = published_article(story.slug)
    assert found is not None and found.pk == story.pk
    assert found.section.name == story.section.name and found.comment_count == 0


def _shown(article: Article) -> tuple:
    return (
        [(byline.author.name, byline.article.pk) for byline in article.bylines.all()],
        [tag.name for tag in article.tags.all()],
        [(note.text, note.article.pk) for note in article.corrections.all()],
    )


def test_prepared_prefetches_give_each_story_its_own_bylines_tags_and_notes(django_assert_num_queries):
    stories = [
        ArticleFactory(published=True, authors=AuthorFactory.create_batch(n), tags=[f"t{i}" for i in range(n)])
        for n in (2, 0, 3)
    ]
    CorrectionFactory.create_batch(2, article=stories[2])
    expected = list(Article.objects.filter(pk__in=[s.pk for s in stories]).order_by("pk"))
    prefetch_related_objects(expected, *detail_prefetches())
    for _ in range(2):  # the second run binds its values into the SQL the first prepared
        found = list(Article.objects.filter(pk__in=[s.pk for s in stories]).order_by("pk"))
        with django_assert_num_queries(3, info="bylines+authors, tags, corrections"):
            prefetch_for_detail(found)
        with django_assert_num_queries(0):
            assert [_shown(article) for article in found] == [_shown(article) for article in expected]
    assert [len(_shown(article)[1]) for article in found] == [2, 0, 3]


def test_a_query_chained_on_prefetched_tags_still_asks_about_that_story_alone():
    stories = [ArticleFactory(published=True, tags=tags) for tags in (["mali", "sahel"], ["arts"])]
    found = list(Article.objects.filter(pk__in=[s.pk for s in stories]).order_by("pk"))
    prefetch_for_detail(found)
    assert sorted(found[0].tags.names()) == ["mali", "sahel"]
    assert list(found[1].tags.filter(name__startswith="s")) == []
    assert found[0].bylines.filter(author__isnull=False).count() == 1
