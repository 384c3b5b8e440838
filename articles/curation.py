"""What readers are shown beyond the newest-first lists: the home page's lead story and the related stories
under each article. Both start from Article.objects.published(), so a draft, a scheduled story or a withdrawn
one never leads and is never related, and both cost a fixed number of queries whatever the rows.
"""

import operator
from datetime import datetime
from functools import reduce

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article, LeadStory, TaggedArticle
from articles.models.article import prefetch_bylines, prefetch_for_listing
from newsroom.paging import (
    Cursor,
    KeysetPage,
    first_page,
    first_page_rows,
    is_first_page,
    is_older_page,
    keyset_page,
    older_page,
    older_rows,
)
from newsroom.prepared import PreparedQuery
from newsroom.sql import among

# Under a story: one row of cards on a wide screen, and few enough that each is worth a look.
RELATED_COUNT = 4


def lead_story() -> Article | None:
    """The story on top of the home page: the editor's latest choice while it runs and its story is
    published, else the newest published story. One query, without the card's prefetches.

    The lead's id is worked out in subqueries that each read a row or two from an index, and the story is
    then fetched by primary key: a filter of "the chosen one or the newest" would have the database weigh
    every published story (46 ms at 20,000 on SQLite, against under 1).
    """
    found = _lead.run(now=timezone.now())
    return found[0] if found else None


def _build_lead(*, now: datetime) -> QuerySet:
    # Prepared once per process (newsroom/prepared.py): Django built and compiled these nested subqueries on
    # every request, about as long as the home page's cards took to draw (docs/performance.md).
    chosen = LeadStory.objects.latest_choice().running(at=now).values("article_id")
    # By primary key, unordered: a filter on "in these ids" sorted the way articles sort read every story.
    chosen_and_published = Article.objects.published(at=now).filter(pk=Subquery(chosen)).order_by().values("pk")
    newest = Article.objects.published(at=now).order_by("-published_at", "-pk").values("pk")[:1]
    lead_id = Coalesce(Subquery(chosen_and_published), Subquery(newest))
    # first(), as it was: the model's ordering, one row.
    return Article.objects.published(at=now).with_card_columns().filter(pk=lead_id)[:1]


_lead = PreparedQuery(_build_lead)


def home_page(request: HttpRequest) -> tuple[Article | None, KeysetPage]:
    """The lead story (on the first page only) and one page of the latest stories after it, by cursor
    (newsroom/paging.py), with everything their cards show.

    The lead is left out of every page of the list, so it is never shown twice and the pages do not shift
    when an editor changes the lead. Five queries in all with the section bar: the lead, the page, then the
    bylines and tags of the lead and the page together.
    """
    lead = lead_story()
    lead_id = lead.pk if lead is not None else None
    if is_first_page(request):
        # The address nearly every reader asks for, prepared once per process (`_build_latest`).
        page = first_page(lambda limit: _latest.run(shape={"limit": limit}, now=timezone.now(), lead_id=lead_id))
    elif is_older_page(request):
        # "Older stories", which crawlers and readers of the archive walk page after page: prepared too.
        page = older_page(
            request,
            lambda cursor, limit: _older.run(
                shape={"limit": limit}, now=timezone.now(), lead_id=lead_id, at=cursor.published_at, before=cursor.pk
            ),
        )
    else:
        latest = Article.objects.published().with_card_columns()
        if lead_id is not None:
            latest = latest.exclude(pk=lead_id)
        page = keyset_page(request, latest)
    lead = lead if page.is_first else None
    prefetch_for_listing([*([lead] if lead else []), *page.object_list])
    return lead, page


def _build_latest(*, now: datetime, lead_id: int | None, limit: int) -> QuerySet:
    """The first page of the latest stories after the lead, as keyset_page() would fetch it."""
    latest = Article.objects.published(at=now).with_card_columns()
    if lead_id is not None:
        latest = latest.exclude(pk=lead_id)
    return first_page_rows(latest, limit)


_latest = PreparedQuery(_build_latest)


def _build_older(*, now: datetime, lead_id: int | None, at: datetime, before: int, limit: int) -> QuerySet:
    """A page of the latest stories after the lead older than the cursor (at, before), as keyset_page() would
    fetch it."""
    latest = Article.objects.published(at=now).with_card_columns()
    if lead_id is not None:
        latest = latest.exclude(pk=lead_id)
    return older_rows(latest, Cursor(at, before), limit)


_older = PreparedQuery(_build_older)


def _any_of(candidates: list[QuerySet]) -> Q:
    """Stories whose id one of the `candidates` subqueries gives. Where the database allows a LIMIT inside a
    UNION (PostgreSQL), one IN over the union, whose handful of ids are then read by primary key: the same test
    written `id IN (a) OR id IN (b)` made PostgreSQL read the whole articles table and check every row against
    both lists (a sequential scan, 24 ms at 60,000 stories and growing with the archive)."""
    if len(candidates) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # The planner guesses thousands for the stories sharing two tags (a HAVING it cannot estimate) and, so
        # guessing, read every published story to join them (21,000 in test_reader_page_plans.py): among().
        return among("pk", candidates[0].union(*candidates[1:]))
    return reduce(operator.or_, (Q(pk__in=ids) for ids in candidates))


def related_articles(article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Up to `count` published stories to read next: those sharing the most tags with `article` first,
    then those in its section, newest first within each; never the article itself.

    `article` comes from for_detail(), whose prefetched tags are read here without a query. Two queries
    (the stories, their bylines), whatever the number of tags or stories; none for an article with
    neither tags nor a section, which has nothing to relate to.

    The stories query picks from a few candidates, found in subqueries that read indexes, and exactly the
    ones the ranking would pick: the stories sharing two or more of the tags (from the tag rows alone), the
    `count` newest sharing a tag in the section and anywhere, and the `count` newest in the section; any other
    story sharing one tag or none is older than `count` candidates that rank above it.
    Only the candidates are then ranked and given what a card shows. Ranking every story that shares a tag,
    with its comment count, took 70 ms of SQLite's time for 10,000 such stories, and joining every tag row to
    its story 46 ms of PostgreSQL's at 100,000 stories.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids and article.section_id is None:
        return []
    related = _related.run(
        shape={"count": count},
        tag_ids=tag_ids,
        article_id=article.pk,
        section_id=article.section_id,
        now=timezone.now(),
    )
    # Cards show the byline; the tags they do not show are left unfetched.
    prefetch_bylines(related)
    return related


def _related_stories(
    *, tag_ids: list[int], article_id: int, section_id: int | None, now: datetime, count: int
) -> QuerySet[Article]:
    """The query of related_articles(), built once per process and shape by a PreparedQuery: building and
    compiling it cost about 14 ms of processor time a page, running it under 1 ms (docs/performance.md)."""
    in_section = Q(section_id=section_id)
    candidates = []
    if len(tag_ids) > 1:
        # Stories sharing two or more of the tags, from the tag rows alone (an index-only read of the (tag, story)
        # index): few, since they must carry two of them, and their stories are read only to rank them. Ranking
        # every story that shares a tag joined each tag row to its story, and a tag on thousands of stories made
        # the query read every published story (46 ms at 100,000; docs/performance.md).
        candidates.append(
            TaggedArticle.objects.filter(tag_id__in=tag_ids)
            .exclude(content_object_id=article_id)
            .values("content_object_id")
            # Counting a column of the index (not the row's id) lets it be read without the table.
            .annotate(shared=Count("content_object_id"))
            .filter(shared__gte=2)
            .values("content_object_id")
        )
    if tag_ids:
        # The best of those sharing one tag are the newest with any of the tags in the section, then anywhere:
        # any story sharing one tag that is older than `count` of either kind ranks below all of them.
        tagged = (
            Article.objects.published(at=now)
            .filter(pk__in=TaggedArticle.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
            .exclude(pk=article_id)
            .order_by("-published_at", "-pk")
            .values("pk")
        )
        candidates.append(tagged[:count])
        if section_id is not None:
            candidates.append(tagged.filter(in_section)[:count])
    if section_id is not None:
        newest_in_section = (
            Article.objects.published(at=now)
            .filter(in_section)
            .exclude(pk=article_id)
            .order_by("-published_at", "-pk")
            .values("pk")[:count]
        )
        candidates.append(newest_in_section)
    shared = (
        TaggedArticle.objects.filter(tag_id__in=tag_ids, content_object_id=OuterRef("pk"))
        .order_by()
        .values("content_object_id")
        .annotate(shared=Count("pk"))
        .values("shared")
    )
    return (
        # published() again: the stories sharing several tags are found without reading them.
        Article.objects.published(at=now)
        .filter(_any_of(candidates))
        .with_card_columns()
        .annotate(
            shared_tags=Coalesce(Subquery(shared, output_field=IntegerField()), Value(0)) if tag_ids else Value(0),
            same_section=Case(When(in_section, then=Value(1)), default=Value(0))
            if section_id is not None
            else Value(0),
        )
        .order_by("-shared_tags", "-same_section", "-published_at", "-pk")[:count]
    )


_related = PreparedQuery(_related_stories)
