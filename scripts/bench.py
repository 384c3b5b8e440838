"""Throughput and latency of the reader pages, served the way production serves them.

Starts gunicorn on a throwaway database seeded with the demo article and a few hundred more,
then requests each reader page from several client threads and prints requests per second and
latency percentiles. Timings belong here rather than in the test suite: the machines are
shared and noisy, so a timed test would fail at random; compare runs on the same machine.

    make bench                                  # SQLite, defaults below
    DATABASE_URL=postgres://... make bench      # the production database path
    .venv/bin/python scripts/bench.py --requests 500 --concurrency 4
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SEED = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Byline, Section
from authors.models import Author
from comments.models import Comment

count = {articles}
world = Section.objects.get(slug="world")
demo_author = Author.objects.order_by("pk").first()
now = timezone.now()
for n in range(count):
    article, created = Article.objects.get_or_create(
        slug=f"bench-story-{{n}}",
        defaults=dict(
            headline=f"Benchmark story {{n}}", summary="A standfirst of ordinary length. " * 3,
            body="<p>" + "A paragraph of ordinary length. " * 20 + "</p>" * 1,
            section=world, status=Article.Status.PUBLISHED, published_at=now - timedelta(minutes=n + 1),
        ),
    )
    if created:
        Byline.objects.create(article=article, author=demo_author)
        article.tags.add("Mali", "Sahel")
demo = Article.objects.get(slug="wagner-exits-mali-as-africa-corps-takes-over-russian-operations")
# Every card carries a picture, as on a real front page. The stories share the demo's files, which
# is fine in a throwaway database (the site itself never shares files between rows).
Article.objects.filter(slug__startswith="bench-story-").update(
    hero_image=demo.hero_image.name, hero_width=demo.hero_width, hero_height=demo.hero_height,
    hero_alt=demo.hero_alt, hero_renditions=demo.hero_renditions,
)
if not demo.comments.exists():
    # Threads of three: a comment, a reply, a reply to the reply. save() derives each one's HTML.
    previous = None
    for i in range({comments}):
        previous = Comment.objects.create(
            article=demo, parent=previous if i % 3 else None, name=f"Reader {{i}}", email=f"r{{i}}@example.com",
            body="A considered reply, see https://example.com/source. " * 3, status=Comment.Status.APPROVED,
        )
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port} within {timeout:.0f}s")


def hammer(port: int, path: str, requests: int, concurrency: int) -> dict[str, float]:
    """Send `requests` GETs over `concurrency` keep-alive connections; return rate and percentiles."""

    def worker(share: int) -> tuple[list[float], int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies, errors = [], 0
        for _ in range(share):
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies.append(time.perf_counter() - started)
        conn.close()
        return latencies, errors

    shares = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(worker, shares))
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for lats, _ in results for lat in lats)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": sum(errors for _, errors in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per page (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one per core)")
    parser.add_argument("--articles", type=int, default=300, help="published articles to seed (default 300)")
    parser.add_argument(
        "--comments", type=int, default=100, help="approved comments on the demo article, in threads of three"
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_MEDIA_ROOT": str(Path(tmp) / "media"),
            "DJANGO_STATIC_ROOT": str(Path(tmp) / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        manage(env, "shell", "-c", SEED.format(articles=options.articles, comments=options.comments))

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={options.workers}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(port)
            pages = {
                "home": "/",
                "home page 5": "/?page=5",
                "article (100 comments)": "/articles/wagner-exits-mali-as-africa-corps-takes-over-russian-operations/",
                "section": "/sections/world/",
                "author": "/authors/marisol-gonzalez/",
            }
            database = env["DATABASE_URL"].split(":", 1)[0]
            print(
                f"gunicorn {options.workers} workers, {options.concurrency} client threads, "
                f"{options.requests} requests a page, database {database}, cache "
                f"{'redis' if env.get('REDIS_URL') else 'local memory'}"
            )
            print(f"{'page':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
            for label, path in pages.items():
                hammer(port, path, min(50, options.requests), options.concurrency)  # warm caches and workers
                result = hammer(port, path, options.requests, options.concurrency)
                print(
                    f"{label:<26}{result['rps']:>9.0f}{result['p50']:>9.1f}{result['p95']:>9.1f}"
                    f"{result['p99']:>9.1f}{result['errors']:>8.0f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
