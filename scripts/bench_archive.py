"""The reader pages and the admin's lists at a newsroom's size, beside the same pages at the demo's size.

Makes two throwaway databases with manage.py generate_archive, one the demo's size (the demo article and 300
stories, 1,000 comments) and one an archive (100,000 stories, 1,000,000 comments by default), then renders each
page in-process through Django's test client with DEBUG off and prints the median and 95th percentile latency
on both and their ratio, with the queries each page made on the archive. In-process, so the figures are the
application and its database alone, without a web server or a network; timings live here, never in the test
suite, since the machines are shared and noisy.

    make bench-archive                                        # SQLite, 100,000 stories (about 15 minutes to make)
    .venv/bin/python scripts/bench_archive.py --articles 10000 --comments 100000
    BENCH_MEDIA_ROOT=var/bench-media \
        .venv/bin/python scripts/bench_archive.py --archive-database sqlite:///var/archive.sqlite3   # made once, reused
    .venv/bin/python scripts/bench_archive.py \\
        --demo-database postgres://postgres@127.0.0.1:5432/bench_demo \\
        --archive-database postgres://postgres@127.0.0.1:5432/bench_archive

A database given by address is migrated and filled only if it holds fewer stories than asked for, so a second
run reuses it; point it at a database made for the purpose, since the archive's rows are written there.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ARTICLES, DEMO_COMMENTS = 300, 1_000
# "Page 2,000 of the home page" at ten stories a page: the cursor of the 20,000th story.
DEEP_STORY = 20_000
OLD_DEEP_PAGE = 2_000


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> str:
    finished = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
    )
    return finished.stdout


def prepare(env: dict[str, str], articles: int, comments: int, label: str) -> None:
    """Migrate, and fill the database unless it already holds the stories asked for."""
    manage(env, "migrate", "--noinput")
    count = int(
        manage(
            env, "shell", "--no-imports", "-c", "from articles.models import Article; print(Article.objects.count())"
        )
    )
    if count >= articles:
        print(f"{label}: {count:,} stories already there; not generating.", file=sys.stderr)
        return
    manage(env, "load_demo")
    print(f"{label}: generating {articles:,} stories and {comments:,} comments...", file=sys.stderr)
    started = time.monotonic()
    out = manage(env, "generate_archive", f"--articles={articles}", f"--comments={comments}", quiet=False)
    print(f"{label}: {out.strip()} (wall {time.monotonic() - started:.0f} s)", file=sys.stderr)


def measure_in_child(env: dict[str, str], repeat: int, budget: float, skip: list[str]) -> dict:
    finished = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure",
            f"--repeat={repeat}",
            f"--budget={budget}",
            *(f"--skip={label}" for label in skip),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(finished.stdout)


# In the child process: one database, every page ---------------------------------------------------------


def pages() -> tuple[dict[str, str], object, int]:
    """The pages measured by label, the editor who opens the admin's, and the number of published stories.
    For each listing the busiest case, which is the slowest."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.urls import reverse
    from taggit.models import Tag

    from articles.models import Article, Section
    from articles.sitemaps import ArticleSitemap
    from authors.models import Author
    from newsroom.paging import Cursor

    published = Article.objects.published().order_by("-published_at", "-pk")
    total = published.count()
    # The page after the cursor holds a full page on both databases: on the demo's size, story 20,000 would be
    # its last story, whose page holds one story against the archive's ten (not a like-for-like comparison).
    deep = published[min(DEEP_STORY, total - settings.ARTICLES_PER_PAGE - 1) - 1]
    world = Section.objects.get(slug="world")
    busiest_tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n", "pk").first()
    rare_tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).filter(n__gt=0).order_by("n", "pk").first()
    prolific = Author.objects.annotate(n=Count("bylines")).order_by("-n", "pk").first()
    approved = Count("comments", filter=Q(comments__status="approved"))
    # A story with about fifty comments, as a well-read story has; the most commented one apart.
    talked = Article.objects.published().annotate(n=approved).filter(n__gte=40, n__lte=60).order_by("pk").first()
    most = Article.objects.published().annotate(n=approved).order_by("-n", "pk").first()
    sitemap_pages = math.ceil(total / ArticleSitemap.limit)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    measured = {
        "home": reverse("articles:home"),
        # On the demo's size, as deep as it goes with a full page: its next to last page.
        "home, page 2,000 by cursor": reverse("articles:home") + f"?before={Cursor.of(deep)}",
        f"old link ?page={OLD_DEEP_PAGE:,} (redirect)": reverse("articles:home") + f"?page={OLD_DEEP_PAGE}",
        "section": world.get_absolute_url(),
        "tag, most used": reverse("articles:tag", args=[busiest_tag.slug]),
        "tag, least used": reverse("articles:tag", args=[rare_tag.slug]),
        "author, most stories": prolific.get_absolute_url(),
        "article, about 50 comments": (talked or most).get_absolute_url(),
        "article, most comments": most.get_absolute_url(),
        "search, a common word": reverse("articles:search") + "?q=government",
        "search, a phrase": reverse("articles:search") + '?q="central+bank"',
        "sitemap index": "/sitemap.xml",
        "sitemap, last page of stories": f"/sitemap-articles.xml?p={sitemap_pages}",
        "sitemap of tags": "/sitemap-tags.xml",
        "news sitemap": "/news-sitemap.xml",
        "admin, articles": reverse("admin:articles_article_changelist"),
        "admin, comments": reverse("admin:comments_comment_changelist"),
    }
    return measured, user, total


def count_query(seen: list[str], execute, sql, params, many, context):
    """A database execute wrapper that notes each query, as DEBUG's query log would without DEBUG."""
    seen.append(sql)
    return execute(sql, params, many, context)


def measure(repeat: int, budget: float, skip: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's "testserver" host in
    measured, user, total = pages()
    results = {"stories": total, "pages": {}}
    # Static files straight from the app folders: the benchmark collects nothing.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        reader, editor = Client(), Client()
        editor.force_login(user)
        for label, url in measured.items():
            if label in skip:
                continue
            client = editor if url.startswith("/admin/") else reader
            print(f"  {label}", file=sys.stderr, flush=True)
            # The first request warms the process (templates, caches, the database's pages) and counts the queries.
            queries: list[str] = []
            with connection.execute_wrapper(partial(count_query, queries)):
                response = client.get(url)
            assert response.status_code in (200, 301), (url, response.status_code)
            walls, cpus = [], []
            spent = time.monotonic()
            # `repeat` requests, or fewer for a page that takes seconds: at least three, within the budget.
            while len(walls) < repeat and (len(walls) < 3 or time.monotonic() - spent < budget):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - started_cpu) * 1000)
            results["pages"][label] = {
                "url": url,
                "status": response.status_code,
                "p50": statistics.median(walls),
                "p95": statistics.quantiles(walls, n=20)[18],
                "requests": len(walls),
                "cpu": statistics.median(cpus),
                "queries": len(queries),
            }
    json.dump(results, sys.stdout)


# The table ----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000, help="stories in the archive (default 100,000)")
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments in the archive (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page; median and 95th percentile")
    parser.add_argument("--demo-database", help="database URL for the demo-sized side (default: a throwaway SQLite)")
    parser.add_argument("--archive-database", help="database URL for the archive (default: a throwaway SQLite)")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds a page may take before it stops at three requests"
    )
    parser.add_argument("--skip", action="append", default=[], help="a page's label to leave out (repeatable)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.repeat, options.budget, options.skip)
        return

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-archive-") as tmp:
        base = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-secret"),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            # A database made once and reused keeps its pictures where BENCH_MEDIA_ROOT (or DJANGO_MEDIA_ROOT) says; a
            # throwaway one's go with this run's temporary folder.
            "DJANGO_MEDIA_ROOT": os.environ.get("BENCH_MEDIA_ROOT")
            or os.environ.get("DJANGO_MEDIA_ROOT")
            or str(Path(tmp) / "media"),
            "DJANGO_LOG_LEVEL": "WARNING",
            # The pages as rendered: with the page cache on, every request after the first was a cache hit.
            "NEWSROOM_PAGE_CACHE": "0",
        }
        sides = {
            "demo": (options.demo_database or f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", DEMO_ARTICLES, DEMO_COMMENTS),
            "archive": (
                options.archive_database or f"sqlite:///{Path(tmp) / 'archive.sqlite3'}",
                options.articles,
                options.comments,
            ),
        }
        results = {}
        for label, (url, articles, comments) in sides.items():
            env = {**base, "DATABASE_URL": url}
            prepare(env, articles, comments, label)
            results[label] = measure_in_child(env, options.repeat, options.budget, options.skip)

    demo, archive = results["demo"], results["archive"]
    vendor = sides["archive"][0].split(":", 1)[0]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"\n{vendor}, in-process (Django test client, DEBUG off), {options.repeat} requests a page; "
        f"demo size {demo['stories']:,} stories, archive {archive['stories']:,}; load average {load}\n"
    )
    # On SQLite the database works inside the measured process, so its processor time is the page's whole cost
    # and moves little with the machine's load; on PostgreSQL the database is another process: wall time.
    in_process = vendor == "sqlite"
    basis = "processor time" if in_process else "wall time"
    print(f"Ratio: archive over demo, median {basis}.\n")
    print(
        "| page | demo p50 ms | demo p95 ms | archive p50 ms | archive p95 ms | demo CPU ms | archive CPU ms "
        "| ratio | queries (demo, archive) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, small in demo["pages"].items():
        big = archive["pages"].get(label)
        if big is None:
            continue
        ratio = big["cpu"] / small["cpu"] if in_process else big["p50"] / small["p50"]
        print(
            f"| {label} | {small['p50']:.1f} | {small['p95']:.1f} | {big['p50']:.1f} | {big['p95']:.1f} | "
            f"{small['cpu']:.1f} | {big['cpu']:.1f} | {ratio:.2f} | {small['queries']}, {big['queries']} |"
            + ("" if big["requests"] == options.repeat else f" ({big['requests']} requests)")
        )


if __name__ == "__main__":
    main()
