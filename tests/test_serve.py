"""`make serve`: production on one machine. It names every missing setting before starting anything,
serves the demo with its images and static files (behind Varnish where it is installed), and Ctrl-C
stops every process it started, exiting 0."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from newsroom.settings import env_bool
from tests.services import free_port, script

REPO = Path(__file__).resolve().parent.parent
SERVE = REPO / "scripts" / "serve.py"
DEMO = "/articles/wagner-exits-mali-as-africa-corps-takes-over-russian-operations/"

serve = script("serve")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment an operator gives `make serve`, with this test's own database, media and ports."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "NEWSROOM_", "PORT", "APP_PORT", "WEB_CONCURRENCY"))
    }
    return {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        # The demo's renditions in one format: encoding WebP as well would only slow the start.
        "NEWSROOM_IMAGE_FORMATS": "jpeg",
        "PORT": str(free_port()),
        "APP_PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        **extra,
    }


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def descendants(pid: int) -> set[int]:
    """Every process below pid, from /proc (gunicorn's workers, varnishd's cache process...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Running:
    """serve.py in a process group of its own, as a terminal runs it, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(SERVE)],
            cwd=REPO,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text()

    def wait_until_serving(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while "Ctrl-C stops." not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"serve.py did not start:\n{self.output()}")
            time.sleep(0.2)

    def ctrl_c(self) -> tuple[int, set[int]]:
        """SIGINT to the whole foreground group, as the terminal's Ctrl-C sends it; the exit status and
        the processes that were running below serve.py."""
        started = descendants(self.process.pid)
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            status = self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"serve.py did not stop on Ctrl-C:\n{self.output()}")
        return status, started


def closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_missing_production_settings_are_all_named_and_nothing_is_started(tmp_path):
    env = production_env(tmp_path, DJANGO_DEBUG="1")
    del env["DJANGO_SECRET_KEY"], env["DJANGO_ALLOWED_HOSTS"]

    finished = subprocess.run([sys.executable, str(SERVE)], cwd=REPO, env=env, capture_output=True, text=True)

    assert finished.returncode == 2
    for name in ("DJANGO_DEBUG is on", "DJANGO_SECRET_KEY is not set", "DJANGO_ALLOWED_HOSTS is not set"):
        assert name in finished.stderr
    assert "nothing was started" in finished.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_a_public_port_already_taken_is_named_and_nothing_is_started(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = production_env(tmp_path, PORT=str(taken.getsockname()[1]))

        finished = subprocess.run([sys.executable, str(SERVE)], cwd=REPO, env=env, capture_output=True, text=True)

    assert finished.returncode == 2
    assert f"127.0.0.1:{env['PORT']} (PORT) cannot be used: Address already in use. Choose another: PORT=..." in (
        finished.stderr
    )
    assert not (tmp_path / "db.sqlite3").exists()


def test_a_weak_secret_key_is_refused():
    assert serve.missing_settings({"DJANGO_SECRET_KEY": "changeme", "DJANGO_ALLOWED_HOSTS": "news.example.com"}) == [
        "DJANGO_SECRET_KEY is too weak: use at least 50 random characters (see the command above)."
    ]


def test_workers_follow_the_cores_unless_web_concurrency_says_otherwise():
    assert serve.worker_count({}) == 2 * len(os.sched_getaffinity(0)) + 1
    assert serve.worker_count({"WEB_CONCURRENCY": "3"}) == 3
    with pytest.raises(serve.Refused, match="WEB_CONCURRENCY must be a whole number"):
        serve.worker_count({"WEB_CONCURRENCY": "many"})


def test_varnish_is_pointed_at_gunicorn_wherever_it_runs():
    with_backend = (REPO / "deploy" / "varnish" / "newsroom.vcl").read_text()
    probed = 'vcl 4.1;\nbackend default {\n  .host = "app";\n  .port = "80";\n  .probe = { .url = "/"; }\n}\n'
    bare = "vcl 4.1;\nsub vcl_recv { return (pass); }\n"

    for source in (with_backend, probed, bare):
        vcl = serve.vcl_with_backend(source, "127.0.0.1", 9123)
        backends = re.findall(r"backend default \{.*?\n\}", vcl, re.DOTALL)
        assert len(backends) == 1
        assert '.host = "127.0.0.1";' in backends[0]
        assert '.port = "9123";' in backends[0]
        assert vcl.startswith("vcl 4.1;")
    assert '.probe = { .url = "/"; }' in serve.vcl_with_backend(probed, "127.0.0.1", 9123)


def test_serve_runs_the_demo_with_its_images_and_stops_on_ctrl_c(tmp_path):
    """The whole production command, twice: into an empty database (the demo is loaded, Varnish in
    front where it is installed), then again on the same data (the demo is left alone) without Varnish."""
    varnishd = shutil.which("varnishd")
    if varnishd is None and env_bool("NEWSROOM_REQUIRE_SERVICES"):
        pytest.fail("varnishd is not installed; NEWSROOM_REQUIRE_SERVICES=1 requires it.", pytrace=False)
    env = production_env(tmp_path)
    port, app_port = int(env["PORT"]), int(env["APP_PORT"])

    first = Running(env, tmp_path / "first.log")
    first.wait_until_serving()
    try:
        status, headers, body = get(port, DEMO)
        assert status == 200
        html = body.decode()
        assert "Wagner Exits Mali" in html
        image = re.search(r'<img[^>]+src="(/media/renditions/[^"]+\.jpg)"', html).group(1)
        status, headers, body = get(port, image)
        assert (status, headers["content-type"]) == (200, "image/jpeg")
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        assert body[:3] == b"\xff\xd8\xff"
        if varnishd:
            assert "varnish" in headers["via"].lower()
            assert len(get(port, image)[1]["x-varnish"].split()) == 2  # the second request is a hit
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        status, headers, _css = get(port, stylesheet)
        assert (status, headers["content-type"].split(";")[0]) == (200, "text/css")
        assert "immutable" in headers["cache-control"]  # hashed by collectstatic, served by whitenoise
    finally:
        status, processes = first.ctrl_c()

    output = first.output()
    assert status == 0, output
    assert "The database is empty: loading the demo content" in output
    assert f"gunicorn ({2} workers)" in output
    assert ("in front of gunicorn" in output) is bool(varnishd)
    # gunicorn's master and two workers, and varnishd's manager and cache process.
    assert len(processes) >= (5 if varnishd else 3)
    assert not [pid for pid in processes if alive(pid)], output
    assert closed(port) and closed(app_port)

    second = Running({**env, "NEWSROOM_VARNISH": "off"}, tmp_path / "second.log")
    second.wait_until_serving()
    try:
        assert get(port, DEMO)[0] == 200
    finally:
        status, processes = second.ctrl_c()
    output = second.output()
    assert status == 0, output
    assert "The database has content already: the demo is not loaded." in output
    assert "No edge cache: NEWSROOM_VARNISH=off. gunicorn answers on the public port itself." in output
    assert not [pid for pid in processes if alive(pid)], output
    assert closed(port)
