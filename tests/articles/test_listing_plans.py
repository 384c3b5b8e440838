"""The listings read an index, not the whole articles table, on PostgreSQL with an archive's worth of rows and
fresh statistics: what keeps page 2,000 as quick as page 1 (newsroom/paging.py, migration 0012)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section
from authors.models import Author
from newsroom.paging import Cursor

pytestmark = pytest.mark.django_db


def scans_of_articles(plan: dict) -> list[str]:
    """Every way the plan reads articles_article, as PostgreSQL names the node ("Index Scan", "Seq Scan"...)."""
    found = [plan["Node Type"]] if plan.get("Relation Name") == "articles_article" else []
    for child in plan.get("Plans", []):
        found += scans_of_articles(child)
    return found


def test_every_listing_and_its_deep_pages_read_an_index_of_articles(postgresql_connection, client):
    # Enough stories that reading the table whole costs the planner more than an index (it runs ANALYZE).
    call_command(
        "generate_archive", articles=3000, comments=0, images=0, seed=1, stdout=io.StringIO(), stderr=io.StringIO()
    )
    published = Article.objects.published().order_by("-published_at", "-pk")
    deep = f"?before={Cursor.of(published[2500])}"
    busiest = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    rarest = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).filter(n__gt=0).order_by("n").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    world = Section.objects.get(slug="world")
    listings = [reverse("articles:home"), world.get_absolute_url(), author.get_absolute_url()]
    listings += [reverse("articles:tag", args=[tag.slug]) for tag in (busiest, rarest)]
    seen: set[str] = set()
    for listing in listings:
        for url in (listing, listing + deep):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            for query in queries.captured_queries:
                if "articles_article" not in query["sql"] or not query["sql"].startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    # The query as it ran, its parameters inlined by Django's log; EXPLAIN plans it afresh.
                    cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
                    raw = cursor.fetchone()[0]
                plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
                scans = scans_of_articles(plan)
                assert scans, (url, query["sql"])
                assert "Seq Scan" not in scans, (url, query["sql"], plan)
                seen.update(scans)
    assert seen >= {"Index Scan"} or seen >= {"Index Only Scan"}, seen
