"""What one page cache hit costs, in-process, and where it goes: the front (newsroom/pagecache_wsgi.py) called as
gunicorn calls it, thousands of times, beside the ceiling app of scripts/bench.py called the same way.

Seeds a throwaway SQLite database exactly as `make bench` does, renders the page once (the miss that stores it),
then times rounds of hits: processor time of this process and wall time (which includes the cache's round trip;
on Redis, the Redis server's own work runs in another process and shows only in the wall time). With --profile,
cProfile's largest entries instead. Timings live here, never in the test suite.

    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python scripts/hit_cost.py
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python scripts/hit_cost.py --page article --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from render_cost import PAGES, prepare  # noqa: E402 (scripts/ is put on the path just above)


def environ_for(path: str) -> dict:
    """The environ gunicorn's sync worker makes for wrk's request (wrk sends only Host)."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_SOFTWARE": "gunicorn/23.0.0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": None,
        "gunicorn.socket": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=[*PAGES, "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000, help="hits a round (default 2000)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's 30 largest entries instead")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-hit-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "hit-cost-only-not-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{tmp / 'hit.sqlite3'}",
            "NEWSROOM_PAGE_CACHE": "1",
            "CACHE_KEY_PREFIX": f"hit-cost-{os.getpid()}",
        }
        prepare(tmp, env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import bench

        from newsroom.wsgi import application

        def call(app, path: str) -> bytes:
            sent = []
            body = b"".join(app(environ_for(path), lambda status, headers, exc=None: sent.append((status, headers))))
            if not sent[0][0].startswith("200"):
                raise SystemExit(f"{path} answered {sent[0][0]}")
            return sent, body

        for name, path in PAGES.items():
            if options.page not in (name, "both"):
                continue
            call(application, path)  # the miss, which stores the page
            sent, body = call(application, path)
            if os.environ.get("HIT_HEADERS"):
                print(sent)
            if ("X-Page-Cache", "hit") not in sent[0][1]:
                raise SystemExit(f"{path} was not a front hit: {sent[0][1]}")
            snapshot = tmp / f"{name}.html"
            snapshot.write_bytes(body)
            bench._SNAPSHOT = body
            if options.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(options.requests):
                    call(application, path)
                profile.disable()
                print(f"{name} ({path}), {options.requests} hits, {len(body)} bytes:")
                order, lines = os.environ.get("HIT_SORT", "tottime"), int(os.environ.get("HIT_LINES", "30"))
                pstats.Stats(profile).sort_stats(order).print_stats(lines)
                continue
            for label, app in (("front hit", application), ("ceiling", bench.ceiling)):
                cpu, wall = [], []
                for _ in range(options.rounds):
                    started, started_wall = time.process_time(), time.perf_counter()
                    for _ in range(options.requests):
                        call(app, path)
                    cpu.append((time.process_time() - started) / options.requests * 1e6)
                    wall.append((time.perf_counter() - started_wall) / options.requests * 1e6)
                load = os.getloadavg()[0]
                print(
                    f"{name:8} {label:10} {statistics.median(cpu):7.1f} µs processor, {statistics.median(wall):7.1f} µs"
                    f" wall a request (medians of {options.rounds} x {options.requests});"
                    f" {len(body)} bytes; load {load:.1f}"
                )


if __name__ == "__main__":
    main()
