"""What one render of the article and home pages costs in processor time, in-process, and where it goes.

Seeds a throwaway SQLite database exactly as `make bench` does (the demo site, the demo article with 50
approved comments in threads, 30 more stories with pictures), then calls the WSGI application the way
gunicorn does (every middleware, DEBUG off, the page cache off) and prints the processor time a request
costs, per round of requests. With --profile, cProfile's largest entries instead. Processor time moves less
with a shared machine's load than wall time, and the page cache is off, so this is the render path that
`make bench`'s "page cache off" rows serve; timings live here, never in the test suite.

    .venv/bin/python scripts/render_cost.py                      # both pages, 5 rounds of 40 requests
    .venv/bin/python scripts/render_cost.py --page article --profile
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python scripts/render_cost.py   # the shared cache, as the bench
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import ARTICLE, HOME, SEED  # noqa: E402 (scripts/ is put on the path just above)

PAGES = {"article": ARTICLE, "home": HOME}


def prepare(tmp: Path, env: dict[str, str]) -> None:
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",)):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    seed = SEED.format(articles=30, comments=50)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", seed], cwd=ROOT, env=env, check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=[*PAGES, "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40, help="requests a round (default 40)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's 40 largest entries instead")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-render-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "render-cost-only-not-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{tmp / 'render.sqlite3'}",
            "NEWSROOM_PAGE_CACHE": "0",
            "CACHE_KEY_PREFIX": f"render-cost-{os.getpid()}",
        }
        prepare(tmp, env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        from newsroom.wsgi import application

        def request(path: str) -> bytes:
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "80",
                "HTTP_HOST": "127.0.0.1",
                "REMOTE_ADDR": "127.0.0.1",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
            }
            statuses = []
            body = b"".join(application(environ, lambda status, headers, exc=None: statuses.append(status)))
            if not statuses[0].startswith("200"):
                raise SystemExit(f"{path} answered {statuses[0]}")
            return body

        for name, path in PAGES.items():
            if options.page not in (name, "both"):
                continue
            for _ in range(5):  # the first requests fill the template and query caches of the process
                request(path)
            if options.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(options.requests):
                    request(path)
                profile.disable()
                print(f"{name} ({path}), {options.requests} requests:")
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
                continue
            rounds = []
            for _ in range(options.rounds):
                started = time.process_time()
                for _ in range(options.requests):
                    request(path)
                rounds.append((time.process_time() - started) / options.requests * 1000)
            shown = " ".join(f"{ms:.1f}" for ms in rounds)
            load = os.getloadavg()[0]
            print(f"{name:8} {statistics.median(rounds):6.1f} ms a request (median; rounds: {shown}); load {load:.1f}")


if __name__ == "__main__":
    main()
