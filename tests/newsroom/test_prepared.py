"""Prepared queries (newsroom/prepared.py): compiled once, run with each request's values. A value kept from the
first run, or a stand-in left in the SQL, would show a reader the wrong story or hide a published one."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, published_article
from newsroom.prepared import PreparedQuery
from tests.factories import ArticleFactory, SectionFactory

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
