"""The article page (its comments and related stories) and search read the indexes made for them, on PostgreSQL
with an archive's worth of rows and fresh statistics: what keeps them as quick at 100,000 stories and 1,000,000
comments as on the demo (docs/performance.md, "A newsroom's archive"). The listings have theirs in
test_listing_plans.py.

Each page is requested as a reader requests it, and every query it made is planned again with EXPLAIN: the test
names the index each page's hot query must use, so dropping or renaming an index, or a query rewritten so that it
can no longer use one, fails here rather than at a newsroom's size."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, TaggedArticle
from comments.models import Comment

pytestmark = pytest.mark.django_db

# The article page's story has a well-read thread among every other story's comments in the same table. Search
# and the related stories need more stories than generate_archive makes in a test's time (a small table is read
# whole whatever its indexes): each story is copied COPIES times by one INSERT, which the search trigger indexes,
# to about 20,000 stories, where PostgreSQL reads articles through their indexes.
STORIES, COMMENTS, COPIES = 1000, 30000, 20


def scans(plan: dict) -> list[tuple[str, str, str, str]]:
    """(table, node type, index, index condition) for every node of the plan that reads a table or an index."""
    found = []
    if "Relation Name" in plan or "Index Name" in plan:
        read = (plan.get("Relation Name", ""), plan["Node Type"], plan.get("Index Name", ""))
        found.append((*read, plan.get("Index Cond", "")))
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


def planned_scans(client, url: str) -> dict[str, list[tuple[str, str, str, str]]]:
    """What the database would read for each query the page made (by its SQL), planned afresh with the
    statistics."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    found = {}
    for query in queries.captured_queries:
        if not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            # The query as it ran, its parameters inlined by Django's log.
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            raw = cursor.fetchone()[0]
        found[query["sql"]] = scans((raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"])
    return found


def sequential_reads(found: dict[str, list[tuple[str, str, str, str]]], tables: tuple[str, ...]) -> dict[str, str]:
    """The queries that would read one of `tables` whole, with the table."""
    return {
        sql: table for sql, read in found.items() for table, node, *_ in read if table in tables and node == "Seq Scan"
    }


def indexes_used(found: dict[str, list[tuple[str, str, str, str]]]) -> set[str]:
    return {index for read in found.values() for _, _, index, _ in read if index}


def copy_stories(times: int) -> None:
    """Each story `times` times more, as drafts and published alike, under new addresses; no bylines or tags."""
    table = "articles_article"
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        copied = [connection.ops.quote_name(c) for c in columns if c not in ("id", "search_vector")]
        # Slugs are unique and at most 80 characters.
        values = ["left(slug, 70) || '-copy-' || n" if c == '"slug"' else c for c in copied]
        # Column names from the database's own description; nothing here comes from outside the test.
        insert = f"INSERT INTO {table} ({', '.join(copied)}) SELECT {', '.join(values)} FROM {table}"  # noqa: S608
        cursor.execute(insert + ", generate_series(1, %s) AS n", [times])
        cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def archive(postgresql_connection):
    """An archive made as generate_archive makes it (it runs ANALYZE at the end)."""
    call_command(
        "generate_archive",
        articles=STORIES,
        comments=COMMENTS,
        images=0,
        seed=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def test_the_article_page_reads_its_comments_and_related_stories_through_indexes(archive, client):
    copy_stories(COPIES)  # the related stories are chosen among them, and a small table is read whole
    approved = Count("comments", filter=Q(comments__status="approved"))
    talked = Article.objects.published().annotate(n=approved).order_by("-n", "pk").first()
    # The archive crowds comments on a few stories: this one's threads fill more than one page.
    assert Comment.objects.threads().filter(article=talked).count() > settings.COMMENTS_THREADS_PER_PAGE
    found = planned_scans(client, talked.get_absolute_url())
    indexes = indexes_used(found)
    # The page's comments, and the count of its threads, found from the story's own entries.
    assert indexes & {"comment_thread_idx", "comment_article_idx"}, found
    # ...and only the story's: every index read of comments is by article, or by id for a comment already found.
    by_index = [(index, cond) for read in found.values() for _, _, index, cond in read if index.startswith("comment")]
    assert all("article_id" in cond or cond.startswith("(id =") for _, cond in by_index), by_index
    # Related stories: a handful of candidates read by primary key, never every story checked against them. (The
    # copies have no tags, so the tag table stays small enough to be read whole; test_listing_plans.py has the tag
    # pages read it through its index.)
    assert "articles_article_pkey" in indexes, found
    assert not sequential_reads(found, ("comments_comment", "articles_article"))


def test_search_finds_its_matches_in_the_full_text_index(archive, client):
    copy_stories(COPIES)
    # A word on a few stories: the GIN index finds them; reading every story's text would not scale.
    word = "Bamako"
    assert 0 < Article.objects.published().search(word).count() < Article.objects.count() / 20
    found = planned_scans(client, reverse("articles:search") + f"?q={word}")
    assert "article_search_idx" in indexes_used(found), found
    assert not sequential_reads(found, ("articles_article",))


def rows_read(plan: dict, table: str) -> int:
    """How many rows the plan's nodes read from `table`, over all their loops (EXPLAIN ANALYZE)."""
    own = plan["Actual Rows"] * plan["Actual Loops"] if plan.get("Relation Name") == table else 0
    return own + sum(rows_read(child, table) for child in plan.get("Plans", []))


def test_related_stories_read_a_handful_of_stories_however_many_share_a_tag(archive, client):
    copy_stories(COPIES)
    busiest = TaggedArticle.objects.values("tag_id").annotate(n=Count("pk")).order_by("-n", "tag_id").first()["tag_id"]
    with connection.cursor() as cursor:
        # The busiest tag on every copy too: about 20,000 stories share it, as a newsroom's "Politics" would.
        cursor.execute(
            "INSERT INTO articles_taggedarticle (tag_id, content_object_id) "
            "SELECT %s, id FROM articles_article WHERE slug LIKE %s",
            [busiest, "%-copy-%"],
        )
        cursor.execute("ANALYZE articles_taggedarticle")
    tagged = TaggedArticle.objects.filter(tag_id=busiest).values("content_object_id")
    story = (
        Article.objects.published()
        .filter(pk__in=tagged)
        .annotate(n=Count("tagged_items"))
        .filter(n__gte=2)
        .order_by("pk")
        .first()
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    [related] = [query["sql"] for query in queries.captured_queries if "UNION" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + related)
        raw = cursor.fetchone()[0]
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    # The candidates (the stories sharing two of its tags, the newest sharing one, the newest in its section),
    # not every story sharing its busiest tag joined to its row.
    assert rows_read(plan, "articles_article") < 200, json.dumps(plan, indent=1)
