"""How fast the reader pages answer, served the way production serves them, against what the server could do.

One run starts gunicorn (2 sync workers, DEBUG off) on a throwaway database seeded with the demo site, the
demo article with 50 approved comments in threads, and a front page's worth of stories, then measures with
wrk (Debian's `wrk`) over loopback, in interleaved rounds so that a burst of other work on a shared machine
lands on every target alike, and reports the medians:

- the ceiling: the same gunicorn configuration returning the article page's bytes from memory (a tiny WSGI
  app in this file), so every other figure is a share of what this machine's gunicorn can serve at all;
- the article and home pages with the page cache off (NEWSROOM_PAGE_CACHE=0): the render path;
- the same pages from the application's page cache, and through varnishd with deploy/varnish/newsroom.vcl,
  when this build has them (otherwise the row says why it was not measured);
- with REDIS_URL, the ceiling after one Redis round trip for a few bytes: the most a page cache that asks Redis
  on every hit could answer (why each app process keeps copies of current pages, newsroom/pagecache_local.py);
- purge-to-fresh: a comment approved in the server's database, timed until the cached page shows it;
- concurrent comment posting: threads posting valid comments at once; no answer may be a 500, and every
  accepted comment must be stored exactly once (checked in the database afterwards).

It prints one table (each figure as a percentage of the ceiling, requests a second, p50/p99 latency, the
core count and the load average) and writes it to var/bench/latest.txt. Timings live here rather than in
the test suite: the machines are shared and noisy, so a timed test would fail at random.

    make bench                                   # SQLite, 5 rounds of 4 seconds a target
    make bench BENCH_ARGS=--quick                # 2 rounds of 2 seconds, for a first look
    REDIS_URL=redis://127.0.0.1:6379/0 make bench                 # purge-to-fresh needs the shared cache
    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench   # the production path (an empty database)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

# scripts/ is this script's own folder, first on sys.path when it runs.
from serve import vcl_with_backend

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/wagner-exits-mali-as-africa-corps-takes-over-russian-operations/"
HOME = "/"
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
REPORT = ROOT / "var" / "bench" / "latest.txt"
WRK = shutil.which("wrk")

# Targets from the issue (12): shares of the ceiling measured in the same run, and the purge delay.
TARGET_RENDER = 4.0  # article, page cache off, % of the ceiling
TARGET_APP_CACHE = 60.0  # article from the application cache
TARGET_EDGE = 200.0  # article through varnishd
TARGET_PURGE_SECONDS = 1.0

SEED = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Byline, Section
from authors.models import Author
from comments.models import Comment

world = Section.objects.get(slug="world")
demo_author = Author.objects.order_by("pk").first()
demo = Article.objects.get(slug="wagner-exits-mali-as-africa-corps-takes-over-russian-operations")
now = timezone.now()
for n in range({articles}):
    article, created = Article.objects.get_or_create(
        slug=f"bench-story-{{n}}",
        defaults=dict(
            headline=f"Benchmark story {{n}}", summary="A standfirst of ordinary length. " * 3,
            body="<p>" + "A paragraph of ordinary length. " * 20 + "</p>",
            section=world, status=Article.Status.PUBLISHED, published_at=now - timedelta(minutes=n + 1),
        ),
    )
    if created:
        Byline.objects.create(article=article, author=demo_author)
        article.tags.add("Mali", "Sahel")
# Every card carries a picture, as on a real front page. The stories share the demo's files, which is
# fine in a throwaway database (the site itself never shares files between rows).
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

# Run in the servers' database (manage.py shell) after the posting round: how often each posted text is stored.
COUNT_POSTS = """
import json
from collections import Counter
from comments.models import Comment
bodies = Comment.objects.filter(body__startswith={marker!r}).values_list("body", flat=True)
print(json.dumps(Counter(bodies)))
"""

# A held comment, then approved the way the moderation queue approves one; prints the name to look for.
HOLD = """
from articles.models import Article
from comments.models import Comment
demo = Article.objects.get(slug="wagner-exits-mali-as-africa-corps-takes-over-russian-operations")
comment = Comment.objects.create(
    article=demo, name={name!r}, email="purge@example.com", body="Fresh news from the scene, " + {name!r},
    status=Comment.Status.PENDING,
)
print(comment.pk)
"""
APPROVE = """
from comments.models import Comment
from comments.services import moderate_comments
moderate_comments(Comment.objects.filter(pk={pk}), status=Comment.Status.APPROVED)
"""


# The ceiling: what gunicorn serves when the application costs nothing. gunicorn imports this module as
# `bench:ceiling` (with --pythonpath scripts) and reads the snapshot of the article page once per worker.
_SNAPSHOT: bytes | None = None


def ceiling(environ: dict, start_response) -> list[bytes]:
    """A WSGI app returning the article page's bytes, as captured from the real site, from memory."""
    global _SNAPSHOT
    if _SNAPSHOT is None:
        _SNAPSHOT = Path(os.environ["BENCH_SNAPSHOT"]).read_bytes()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(_SNAPSHOT)))])
    return [_SNAPSHOT]


_REDIS = None


def ceiling_after_redis(environ: dict, start_response) -> list[bytes]:
    """The ceiling after one Redis round trip for a few bytes: what a page cache that asks Redis on every hit could
    reach at best. It is why each app process keeps copies of current pages (newsroom/pagecache_local.py)."""
    global _REDIS
    if _REDIS is None:
        import redis

        _REDIS = redis.Redis.from_url(os.environ["REDIS_URL"])
    _REDIS.get("newsroom-bench-probe")
    return ceiling(environ, start_response)


@dataclass
class Run:
    """One wrk run against one target."""

    rps: float
    p50: float  # milliseconds
    p99: float
    errors: int  # non-2xx/3xx answers and socket errors


@dataclass
class Target:
    label: str
    url: str | None
    why_not: str = ""  # set when the target cannot be measured in this build or on this machine
    runs: list[Run] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(run, name) for run in self.runs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def fetch(port: int, path: str, *, method: str = "GET", body: str = "", headers: dict | None = None):
    """One request on a fresh connection: (status, headers, body text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(port: int, path: str, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not answer 200 at {path} on port {port} within {timeout:.0f}s")


def gunicorn(app: str, port: int, env: dict[str, str], workers: int) -> subprocess.Popen:
    """The production server, configured identically for every target (the ceiling included)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--pythonpath",
            str(ROOT / "scripts"),
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )


def start_varnish(tmp: Path, backend_port: int, port: int) -> tuple[subprocess.Popen | None, str]:
    """varnishd with the project's VCL, its backend pointed at the bench's app server; or why not."""
    if not VCL.exists():
        return None, f"no {VCL.relative_to(ROOT)} in this build"
    varnishd = shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)
    if varnishd is None:
        return None, "varnishd is not installed (Debian: apt-get install varnish varnish-modules)"
    # The VCL names the production backend; the bench's app listens elsewhere: pointed as `make serve` does.
    pointed = vcl_with_backend(VCL.read_text(), "127.0.0.1", backend_port)
    # varnishd compiles the VCL as its own unprivileged user, which must be able to reach and read the file.
    tmp.chmod(0o755)
    (tmp / "varnish").mkdir(mode=0o755)
    (tmp / "varnish" / "bench.vcl").write_text(pointed)
    log = (tmp / "varnish" / "varnishd.log").open("w")
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(tmp / "varnish" / "bench.vcl"),
            "-n",
            str(tmp / "varnish" / "work"),
            "-s",
            "malloc,256m",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            lines = [line for line in (tmp / "varnish" / "varnishd.log").read_text().splitlines() if line.strip()]
            return None, "varnishd refused to start: " + (" / ".join(lines[-3:]) or f"exit {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, ""
        except OSError:
            time.sleep(0.2)
    process.terminate()
    return None, "varnishd did not listen within 20 s"


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, seconds: int, connections: int, threads: int) -> Run:
    """One wrk run: requests a second, the p50 and p99 of its latency distribution, and the failures."""
    out = subprocess.run(
        [WRK or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if len(percentile) != 2 or "Requests/sec" not in out:
        raise SystemExit(f"Could not read wrk's report for {url}:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=_millis(percentile["50"]),
        p99=_millis(percentile["99"]),
        errors=errors + (int(non_2xx.group(1)) if non_2xx else 0),
    )


class _FormFields(HTMLParser):
    """The hidden inputs of the comment form (its token, and the CSRF token while the form has one)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "comment-form":
            self.in_form, self.action = True, attrs.get("action", "")
        elif self.in_form and tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def post_comments(port: int, threads: int, per_thread: int, marker: str) -> dict:
    """`threads` readers at once, each loading the article and posting `per_thread` comments as a browser does.

    Every post has its own text and email, so no rule but a real fault refuses it.
    """
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def reader(n: int) -> None:
        start.wait()
        for i in range(per_thread):
            body = f"{marker}{n}-{i}: a reader's view of the story, posted during the benchmark."
            try:
                status, headers, page = fetch(port, ARTICLE)
                form = _FormFields()
                form.feed(page)
                cookies = "; ".join(
                    value.split(";", 1)[0] for key, value in headers.items() if key.lower() == "set-cookie"
                )
                data = {**form.fields, "name": f"Poster {n}", "email": f"poster{n}-{i}@example.com", "body": body}
                status, _, _ = fetch(
                    port,
                    form.action or ARTICLE,
                    method="POST",
                    body=urlencode(data),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookies,
                        "Origin": f"http://127.0.0.1:{port}",
                        "Referer": f"http://127.0.0.1:{port}{ARTICLE}",
                        "Sec-Fetch-Site": "same-origin",
                    },
                )
            except (OSError, http.client.HTTPException) as exc:
                status = -1
                body = f"{body} ({exc.__class__.__name__})"
            with lock:
                outcomes.append((status, body))

    started = time.perf_counter()
    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    by_status: dict[int, int] = {}
    for status, _ in outcomes:
        by_status[status] = by_status.get(status, 0) + 1
    return {
        "outcomes": outcomes,
        "by_status": by_status,
        "accepted": [body for status, body in outcomes if status in (302, 303)],
        "elapsed": elapsed,
    }


def purge_to_fresh(env: dict[str, str], port: int, tries: int) -> tuple[float | None, str]:
    """Seconds from approving a held comment (in the server's database) until the cached page shows it.

    The page is requested twice first, so it is in the cache when the comment is approved. The median of
    `tries` approvals; None with the reason when a page never showed its comment within 5 seconds.
    """
    delays = []
    for n in range(tries):
        name = f"Purge check {uuid.uuid4().hex[:8]}"
        pk = manage(env, "shell", "-c", HOLD.format(name=name)).strip().splitlines()[-1]
        fetch(port, ARTICLE)
        fetch(port, ARTICLE)
        manage(env, "shell", "-c", APPROVE.format(pk=int(pk)))
        approved = time.perf_counter()
        while time.perf_counter() - approved < 5:
            if name in fetch(port, ARTICLE)[2]:
                delays.append(time.perf_counter() - approved)
                break
            time.sleep(0.01)
        else:
            return None, f"the approved comment was not on the page 5 s later (try {n + 1})"
    return statistics.median(delays), ""


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def git_commit() -> str:
    try:
        return subprocess.run(
            [shutil.which("git") or "git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds of 2 seconds, fewer posts: a first look")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds over every target (default 5)")
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run (default 4)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2: one per core)")
    parser.add_argument("--articles", type=int, default=30, help="published stories besides the demo (default 30)")
    parser.add_argument("--comments", type=int, default=50, help="approved comments on the demo, threads of three")
    parser.add_argument("--posters", type=int, default=8, help="readers posting comments at once (default 8)")
    parser.add_argument("--posts", type=int, default=10, help="comments each of them posts (default 10)")
    parser.add_argument("--output", type=Path, default=REPORT, help="where the table is written")
    options = parser.parse_args()
    if options.quick:
        options.rounds, options.seconds, options.posts = 2, 2, 4

    if WRK is None:
        raise SystemExit("wrk is not installed; the benchmark needs it (Debian: apt-get install wrk).")

    load_before = load()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            # Posting: many comments from one address, sent as fast as a program can.
            "NEWSROOM_COMMENT_RATE_PER_IP": "1000000",
            "NEWSROOM_COMMENT_MIN_SECONDS": "0",
            # A Redis shared with other work keeps the bench's entries apart, and a second run starts cold.
            "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
        print("Preparing the database (migrate, collectstatic, load_demo, seed)...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        manage(env, "shell", "-c", SEED.format(articles=options.articles, comments=options.comments))

        # The page cache exists when the settings read its switch; then "on" is its default.
        has_page_cache = "NEWSROOM_PAGE_CACHE" in (ROOT / "newsroom" / "settings.py").read_text()
        servers: list[subprocess.Popen] = []
        varnish = None
        try:
            # varnishd's address is chosen first: the app servers and the moderator's approval purge it there.
            edge_port = free_port()
            env["NEWSROOM_EDGE_PURGE_URLS"] = f"http://127.0.0.1:{edge_port}"
            off_port = free_port()
            servers.append(gunicorn("newsroom.wsgi", off_port, {**env, "NEWSROOM_PAGE_CACHE": "0"}, options.workers))
            wait_for(off_port, ARTICLE, "gunicorn (page cache off)")
            snapshot = tmp / "article.html"
            _, _, page = fetch(off_port, ARTICLE)
            snapshot.write_text(page, encoding="utf-8")
            ceiling_port = free_port()
            servers.append(
                gunicorn("bench:ceiling", ceiling_port, {**env, "BENCH_SNAPSHOT": str(snapshot)}, options.workers)
            )
            wait_for(ceiling_port, ARTICLE, "gunicorn (ceiling)")

            probe_port = 0
            if os.environ.get("REDIS_URL"):
                probe_port = free_port()
                servers.append(
                    gunicorn(
                        "bench:ceiling_after_redis",
                        probe_port,
                        {**env, "BENCH_SNAPSHOT": str(snapshot)},
                        options.workers,
                    )
                )
                wait_for(probe_port, ARTICLE, "gunicorn (ceiling after a Redis round trip)")

            on_port = 0
            why_no_cache = "this build has no page cache (the settings do not read NEWSROOM_PAGE_CACHE)"
            if has_page_cache:
                on_port = free_port()
                servers.append(gunicorn("newsroom.wsgi", on_port, {**env, "NEWSROOM_PAGE_CACHE": "1"}, options.workers))
                wait_for(on_port, ARTICLE, "gunicorn (page cache on)")
                why_no_cache = ""
            varnish, why_no_edge = start_varnish(tmp, on_port or off_port, edge_port)
            edge_port = edge_port if varnish is not None else 0
            if varnish is not None:
                wait_for(edge_port, ARTICLE, "varnishd")

            def at(port: int, path: str) -> str:
                return f"http://127.0.0.1:{port}{path}"

            targets = [
                Target("ceiling (article bytes from memory)", at(ceiling_port, ARTICLE)),
                Target(f"article, {options.comments} comments, page cache off", at(off_port, ARTICLE)),
                Target("home, page cache off", at(off_port, HOME)),
                Target("article, application cache", on_port and at(on_port, ARTICLE), why_no_cache),
                Target("home, application cache", on_port and at(on_port, HOME), why_no_cache),
                Target("article, through varnishd", edge_port and at(edge_port, ARTICLE), why_no_edge),
                Target("home, through varnishd", edge_port and at(edge_port, HOME), why_no_edge),
                # Last, so the targets above keep their places (format_report reads them by index).
                Target(
                    "ceiling after one Redis round trip",
                    probe_port and at(probe_port, ARTICLE),
                    "REDIS_URL is not set",
                ),
            ]
            measured = [target for target in targets if target.url]
            print(
                f"Warming up, then {options.rounds} rounds of {options.seconds:g} s on {len(measured)} targets...",
                flush=True,
            )
            for target in measured:
                wrk(target.url, 1, options.connections, options.threads)
            for round_number in range(options.rounds):
                for target in measured:
                    target.runs.append(wrk(target.url, options.seconds, options.connections, options.threads))
                print(f"  round {round_number + 1} done, load {load()}", flush=True)

            print(f"Posting: {options.posters} readers × {options.posts} comments at once...", flush=True)
            marker = f"bench-{uuid.uuid4().hex[:6]}-"
            posting = post_comments(on_port or off_port, options.posters, options.posts, marker)
            stored = json.loads(manage(env, "shell", "-c", COUNT_POSTS.format(marker=marker)).strip().splitlines()[-1])

            purges: list[tuple[str, float | None, str]] = []
            if not os.environ.get("REDIS_URL"):
                # The purge is a counter in the shared cache; a local-memory cache is each process's own, so
                # the approving process could not reach the servers' copies.
                why_no_cache = why_no_cache or "the cache is each process's local memory; set REDIS_URL to measure"
            for label, port, why in (
                ("application cache", on_port, why_no_cache),
                ("through varnishd", edge_port, why_no_edge or why_no_cache),
            ):
                if port and not why:
                    seconds, why = purge_to_fresh(env, port, 3)
                    purges.append((label, seconds, why))
                else:
                    purges.append((label, None, why))
        finally:
            # Under heavy load a gunicorn can take longer than this to stop: killed then, so the report is still made.
            stopping = [process for process in (varnish, *servers) if process is not None]
            for process in stopping:
                process.terminate()
            for process in stopping:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

        database = env["DATABASE_URL"].split(":", 1)[0]
        report = format_report(options, targets, posting, stored, purges, database, load_before)
    print()
    print(report)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(report + "\n")
    stamped = options.output.with_name(f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.txt")
    stamped.write_text(report + "\n")
    shown = options.output.resolve()
    shown = shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown
    print(f"\nWritten to {shown} (and {stamped.name} beside it).")


def format_report(
    options: argparse.Namespace,
    targets: list[Target],
    posting: dict,
    stored: dict[str, int],
    purges: list[tuple[str, float | None, str]],
    database: str,
    load_before: str,
) -> str:
    """The table and the verdicts, as printed and as written to the report file."""
    ceiling_rps = targets[0].median("rps")
    lines = [
        f"newsroom bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_commit()}",
        f"{os.cpu_count()} cores; load average {load_before} before, {load()} after",
        f"gunicorn {options.workers} sync workers, DEBUG off, database {database}, cache "
        f"{'redis' if os.environ.get('REDIS_URL') else 'local memory'}; wrk {options.threads} threads "
        f"{options.connections} connections over loopback; medians of {options.rounds} interleaved rounds "
        f"of {options.seconds:g} s",
        "",
        f"{'target':<40}{'% ceiling':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    for target in targets:
        if not target.runs:
            lines.append(f"{target.label:<40}  not measured: {target.why_not}")
            continue
        rps = target.median("rps")
        lines.append(
            f"{target.label:<40}{rps / ceiling_rps * 100:>9.1f}%{rps:>9.0f}{target.median('p50'):>9.1f}"
            f"{target.median('p99'):>9.1f}{sum(run.errors for run in target.runs):>8}"
        )
    lines.append("")
    statuses = ", ".join(
        f"{count} × {status if status > 0 else 'no answer'}" for status, count in sorted(posting["by_status"].items())
    )
    accepted = posting["accepted"]
    once = [body for body in accepted if stored.get(body) == 1]
    extra = {body: count for body, count in stored.items() if count != 1 or body not in accepted}
    total = len(posting["outcomes"])
    lines.append(
        f"comment posting: {options.posters} readers at once, {total} posts in {posting['elapsed']:.1f} s "
        f"({total / posting['elapsed']:.0f}/s): {statuses}"
    )
    lines.append(
        f"  500s: {posting['by_status'].get(500, 0)} (must be 0); accepted and stored exactly once: "
        f"{len(once)} of {len(accepted)}; stored but not accepted, or more than once: {len(extra)}"
    )
    for label, seconds, why in purges:
        lines.append(
            f"purge-to-fresh, {label}: "
            + (f"{seconds * 1000:.0f} ms (median of 3)" if seconds is not None else f"not measured: {why}")
        )
    lines.append("")
    lines.append("targets:")

    def share(index: int) -> float | None:
        return targets[index].median("rps") / ceiling_rps * 100 if targets[index].runs else None

    for name, value, goal in (
        ("article, page cache off", share(1), f"≥ {TARGET_RENDER:g}% of the ceiling"),
        ("article, application cache", share(3), f"≥ {TARGET_APP_CACHE:g}% of the ceiling"),
        ("article, through varnishd", share(5), f"≥ {TARGET_EDGE:g}% of the ceiling"),
    ):
        limit = float(goal.split()[1].rstrip("%"))
        verdict = "not measured" if value is None else f"{value:.1f}%, {'met' if value >= limit else 'MISSED'}"
        lines.append(f"  {name:<36}{goal:<26}{verdict}")
    for label, seconds, _ in purges:
        verdict = (
            "not measured"
            if seconds is None
            else f"{seconds * 1000:.0f} ms, {'met' if seconds <= TARGET_PURGE_SECONDS else 'MISSED'}"
        )
        lines.append(f"  {'purge-to-fresh, ' + label:<36}{f'≤ {TARGET_PURGE_SECONDS:g} s':<26}{verdict}")
    problems = posting["by_status"].get(500, 0) or len(once) != len(accepted) or extra or not accepted
    lines.append(f"  {'comment posting':<36}{'no 500, each stored once':<26}{'MISSED' if problems else 'met'}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
