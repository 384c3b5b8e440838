"""The admin's article list at a newsroom's volume: every query it makes, timed by PostgreSQL itself.

Seeds the database DATABASE_URL names with --articles articles (100,000 by default; bulk inserts, about a
minute), their bylines, tags and comments, then opens the article list as an editor and as a writer in the
ways editors use it (unfiltered, filtered, searched, drilled down by date, a late page) and prints, for each,
the number of queries, the slowest query's execution time from EXPLAIN ANALYZE, and the request's wall
time (median of --repeat). Timings live here, not in the test suite: the machines are shared and noisy.

Point it at a PostgreSQL database made for the purpose: it migrates it and writes seed rows there, and a
second run reuses the rows already seeded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_volume .venv/bin/python scripts/changelist_volume.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "changelist-volume-script-only")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Byline, Section, TaggedArticle  # noqa: E402
from authors.models import Author  # noqa: E402
from comments.models import Comment  # noqa: E402

BATCH = 5_000
SECTIONS, AUTHORS, TAGS = 12, 2_000, 5_000


def seed(count: int) -> None:
    existing = Article.objects.count()
    if existing >= count:
        print(f"{existing} articles already there; not seeding.")
        return
    sections = [
        Section.objects.get_or_create(slug=f"s{n}", defaults={"name": f"Section {n}"})[0] for n in range(SECTIONS)
    ]
    if Author.objects.count() < AUTHORS:
        Author.objects.bulk_create(Author(name=f"Author {n}", slug=f"volume-author-{n}") for n in range(AUTHORS))
    if Tag.objects.count() < TAGS:
        Tag.objects.bulk_create(Tag(name=f"Tag {n}", slug=f"volume-tag-{n}") for n in range(TAGS))
    author_ids = list(Author.objects.values_list("pk", flat=True))
    tag_ids = list(Tag.objects.values_list("pk", flat=True))
    writer = writer_user()
    now = timezone.now()
    statuses = [Article.Status.PUBLISHED] * 16 + [Article.Status.DRAFT] * 3 + [Article.Status.IN_REVIEW]
    started = time.monotonic()
    for start in range(existing, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        articles = Article.objects.bulk_create(
            Article(
                headline=f"Volume story {n} about the harbour bridge",
                slug=f"volume-story-{n}",
                summary="A standfirst of ordinary length for a story in the volume test.",
                body="<p>" + "A paragraph of ordinary length. " * 20 + "</p>",
                section=sections[n % SECTIONS],
                status=statuses[n % len(statuses)],
                # About 50 stories a day over five and a half years.
                published_at=now - timedelta(minutes=30 * (count - n)),
                # One writer's 200 or so stories among everyone's, in every status (the step is not a
                # multiple of the status cycle's 20).
                created_by=writer if n % (count // 200 - 1) == 0 else None,
            )
            for n in numbers
        )
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_ids[(article.pk * 7 + k) % len(author_ids)], position=k)
            for article in articles
            for k in range(1 + article.pk % 2)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag_id=tag_ids[(article.pk * 13 + k) % len(tag_ids)])
            for article in articles
            for k in range(2)
        )
        Comment.objects.bulk_create(
            Comment(article=article, name="Reader", email="r@example.com", body="A reply.", status=status)
            for article in articles[::10]
            for status in (Comment.Status.APPROVED, Comment.Status.PENDING)
        )
        print(f"  {start + len(numbers)} articles ({time.monotonic() - started:.0f} s)", end="\r", flush=True)
    print()
    # What autovacuum does on a live database: statistics for the planner, and the visibility map that
    # lets counts read the index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def writer_user() -> User:
    user, created = User.objects.get_or_create(username="volume-writer", defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name="Writer"))
    return user


def editor_user() -> User:
    user, created = User.objects.get_or_create(username="volume-editor", defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name="Editor"))
    return user


def explain_ms(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        return cursor.fetchone()[0][0]["Execution Time"]


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, str, float]:
    client.get(url)  # warm the caches, as a working server's would be
    walls = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest_ms, slowest_sql = max((explain_ms(sql), sql) for sql in selects)
    return len(queries.captured_queries), slowest_ms, slowest_sql, statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="requests per case; the median is printed")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database made for this script.")

    setup_test_environment()  # lets the test client's "testserver" host in
    call_command("migrate", verbosity=0)
    seed(args.articles)

    changelist = reverse("admin:articles_article_changelist")
    author = Author.objects.order_by("pk").first()
    year = Article.objects.exclude(published_at=None).order_by("published_at").first().published_at.year + 1
    editor_cases = [
        ("editor, unfiltered", ""),
        ("editor, drafts", "?status__exact=draft"),
        ("editor, one section", f"?section__id__exact={Section.objects.get(slug='s3').pk}"),
        ("editor, one author", f"?authors__id__exact={author.pk}"),
        ("editor, one tag", "?tag=Tag+42"),
        ("editor, a year", f"?published_at__year={year}"),
        ("editor, search", "?q=bridge+4242"),
        ("editor, page 500", "?p=500"),
    ]
    writer_cases = [("writer, own articles", ""), ("writer, my drafts", "?mine=drafts")]

    # Wall times on a shared machine move with its load; the queries' own times move much less.
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{Article.objects.count()} articles on PostgreSQL {connection.pg_version // 10000}; load {load}\n")
    print("| list | queries | slowest query (EXPLAIN ANALYZE) ms | request ms (median) |")
    print("| --- | --- | --- | --- |")
    slowest_overall = (0.0, "")
    # Static files straight from the app folders, as in development: the script collects nothing.
    with override_settings(
        STORAGES={
            **django.conf.settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for user, cases in ((editor_user(), editor_cases), (writer_user(), writer_cases)):
            client = Client()
            client.force_login(user)
            for label, query in cases:
                count, slowest_ms, slowest_sql, wall_ms = measure(client, changelist + query, args.repeat)
                slowest_overall = max(slowest_overall, (slowest_ms, f"{label}: {slowest_sql}"))
                print(f"| {label} | {count} | {slowest_ms:.1f} | {wall_ms:.0f} |")
    print(f"\nSlowest query overall ({slowest_overall[0]:.1f} ms):\n{slowest_overall[1][:1500]}")


if __name__ == "__main__":
    main()
