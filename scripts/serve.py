"""Production on one machine, in one command (`make serve`): gunicorn behind Varnish, DEBUG off.

What it does, in order, stopping at the first problem before anything is started:

1. checks the production settings it needs (a secret key, the host names) and names every one missing;
2. applies migrations, collects static files (whitenoise serves them, hashed, cached for ever) and, only
   when the database is empty, loads the demo content;
3. starts gunicorn on 127.0.0.1:APP_PORT with a worker count from the machine's cores, and varnishd on
   HOST:PORT in front of it with deploy/varnish/newsroom.vcl (without varnishd, gunicorn takes HOST:PORT);
4. on Ctrl-C or SIGTERM stops Varnish, then lets gunicorn finish its requests, and exits 0.

Uploads are served by the app itself under /media/ with long-lived cache headers (newsroom/media.py),
so Varnish keeps them; with NEWSROOM_MEDIA_STORAGE=s3 readers fetch them from the bucket instead.
The database and cache come from DATABASE_URL and REDIS_URL as everywhere (SQLite and each worker's
memory when unset). See docs/deployment.md for the TLS proxy in front and every variable.

    PORT=8000 HOST=127.0.0.1 WEB_CONCURRENCY=5 make serve
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
# gunicorn's advice for its sync workers: (2 x cores) + 1, enough to keep every core busy while
# some workers wait on the database.
STOP_SECONDS = 35  # gunicorn's graceful timeout is 30 s: in-flight requests finish first
START_SECONDS = 60


class Refused(Exception):
    """A problem the operator must fix before anything starts; str() says what to do."""


def log(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


# Settings ---------------------------------------------------------------------------------------------


def missing_settings(environ: Mapping[str, str]) -> list[str]:
    """Every production setting that is missing or unsafe, each as a sentence naming its variable.

    Checked before Django is loaded, so all of them are reported at once rather than the first one
    newsroom/settings.py would stop at.
    """
    problems = []
    if environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        problems.append("DJANGO_DEBUG is on: this is the production command. Unset it (make run is for development).")
    key = environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        problems.append(
            "DJANGO_SECRET_KEY is not set. Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    elif len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        # The same test as Django's own deployment check (security.W009).
        problems.append("DJANGO_SECRET_KEY is too weak: use at least 50 random characters (see the command above).")
    if not environ.get("DJANGO_ALLOWED_HOSTS", "").strip():
        problems.append(
            "DJANGO_ALLOWED_HOSTS is not set: the host names readers use, comma-separated (news.example.com)."
        )
    return problems


def port_from(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise Refused(f"{name} must be a port number (1-65535), not {raw!r}.")
    return int(raw)


def worker_count(environ: Mapping[str, str]) -> int:
    """WEB_CONCURRENCY (gunicorn's own variable) if set, else (2 x cores this process may use) + 1."""
    raw = environ.get("WEB_CONCURRENCY", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise Refused(f"WEB_CONCURRENCY must be a whole number of workers, 1 or more, not {raw!r}.")
        return int(raw)
    return 2 * len(os.sched_getaffinity(0)) + 1


def host_port(host: str, port: int) -> str:
    """host:port as gunicorn's --bind and varnishd's -a take it, an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_port_free(host: str, port: int, name: str) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            where = host_port(host, port)
            raise Refused(f"{where} ({name}) cannot be used: {exc.strerror}. Choose another: {name}=...") from exc


# Preparing the site ------------------------------------------------------------------------------------


def prepare_site() -> None:
    """Migrate, collect static files and, into an empty database only, load the demo; in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise Refused(str(exc)) from exc
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    database = settings.DATABASES["default"]
    log(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    log(f"cache: {cache}" + ("" if os.environ.get("REDIS_URL") else " (each worker its own: set REDIS_URL to share)"))
    where = settings.MEDIA_URL if settings.MEDIA_STORAGE == "s3" else settings.MEDIA_ROOT
    log(f"media: {settings.MEDIA_STORAGE} ({where})")
    try:
        call_command("migrate", interactive=False, verbosity=1)
    except DatabaseError as exc:
        raise Refused(f"The database cannot be used ({exc}). Check DATABASE_URL and that the server is up.") from exc
    call_command("collectstatic", interactive=False, verbosity=1)

    from articles.models import Article, Section

    if Article.objects.exists() or Section.objects.exists():
        log("The database has content already: the demo is not loaded.")
    else:
        log("The database is empty: loading the demo content (sections, standing pages, one article with its image).")
        call_command("load_demo")
        log("Create an editor's account with: .venv/bin/python manage.py createsuperuser")
    connections.close_all()


# Processes ---------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In each child before it runs: if this script is killed outright, the child gets SIGTERM (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    address: tuple[str, int]  # where it accepts connections once it has started


@dataclass
class Stack:
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, command: list[str], address: tuple[str, int], env: Mapping[str, str]) -> Child:
        # A session of its own: a terminal's Ctrl-C reaches this script only, which stops each child in order.
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), start_new_session=True, preexec_fn=_die_with_parent
        )
        child = Child(name, process, address)
        self.children.append(child)
        return child

    def exited(self) -> Child | None:
        return next((child for child in self.children if child.process.poll() is not None), None)

    def stop(self) -> None:
        """The edge first, so no new request reaches gunicorn, then gunicorn, which finishes what it has."""
        for child in reversed(self.children):
            if child.process.poll() is None:
                log(f"stopping {child.name}")
                child.process.send_signal(signal.SIGTERM)
                try:
                    child.process.wait(STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    log(f"{child.name} did not stop within {STOP_SECONDS} s: killing it")
            # Whatever it left behind (gunicorn's workers, varnishd's cache process) is in its process group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()


def wait_until_listening(stack: Stack, child: Child, interrupted: list[int]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and not interrupted:
        gone = stack.exited()
        if gone is not None:
            raise Refused(f"{gone.name} exited with status {gone.process.returncode} while starting (see above).")
        try:
            with socket.create_connection(child.address, timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    if not interrupted:
        raise Refused(f"{child.name} did not answer on {child.address[0]}:{child.address[1]} within {START_SECONDS} s.")


def vcl_with_backend(source: str, host: str, port: int) -> str:
    """The VCL with its default backend pointed at gunicorn, wherever this machine runs it.

    The file in deploy/ names a backend for a reader of it; the port is this command's choice
    (APP_PORT), so the backend's .host and .port are replaced, or a backend is added after the
    `vcl` line if the file declares none.
    """
    match = re.search(r"backend\s+default\s*\{", source)
    if match is None:
        declaration = f'\nbackend default {{\n    .host = "{host}";\n    .port = "{port}";\n}}\n'
        version = re.search(r"^\s*vcl\s+[\d.]+\s*;[^\n]*\n", source, re.MULTILINE)
        at = version.end() if version else 0
        return source[:at] + declaration + source[at:]
    depth, end = 0, match.end() - 1
    for end in range(match.end() - 1, len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            break
    block = source[match.start() : end + 1]
    block = re.sub(r'\.host\s*=\s*"[^"]*"', f'.host = "{host}"', block, count=1)
    block = re.sub(r'\.port\s*=\s*"[^"]*"', f'.port = "{port}"', block, count=1)
    return source[: match.start()] + block + source[end + 1 :]


def serve(environ: Mapping[str, str]) -> int:
    interrupted: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        if not interrupted:
            log("stopping (Ctrl-C)" if signum == signal.SIGINT else "stopping (SIGTERM)")
        interrupted.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    problems = missing_settings(environ)
    if problems:
        raise Refused("Production settings missing, nothing was started:\n  - " + "\n  - ".join(problems))
    host = environ.get("HOST", "").strip() or "127.0.0.1"
    port = port_from(environ, "PORT", 8000)
    app_port = port_from(environ, "APP_PORT", port + 1)
    workers = worker_count(environ)
    if environ.get("NEWSROOM_VARNISH", "").strip().lower() == "off":
        varnishd, without = None, "NEWSROOM_VARNISH=off"
    else:
        varnishd, without = shutil.which("varnishd"), "varnishd is not installed (apt-get install varnish)"
    if not varnishd:
        log(f"No edge cache: {without}. gunicorn answers on the public port itself.")
    check_port_free(host, port, "PORT")
    if varnishd:
        if not VCL.exists():
            raise Refused(f"{VCL.relative_to(ROOT)} is missing: Varnish has no configuration to start with.")
        check_port_free("127.0.0.1", app_port, "APP_PORT")

    prepare_site()
    if interrupted:
        return 0

    env = {name: value for name, value in environ.items() if name != "DJANGO_DEBUG"}
    if varnishd and not env.get("NEWSROOM_TRUSTED_PROXIES"):
        # Varnish appends the address it was reached from to X-Forwarded-For: one proxy to trust, so the
        # comment rate limits count readers rather than Varnish. Behind a TLS proxy as well, set 2.
        env["NEWSROOM_TRUSTED_PROXIES"] = "1"
        log("NEWSROOM_TRUSTED_PROXIES=1 (Varnish); set it to 2 when a TLS proxy stands in front of Varnish.")
    # Where this machine reaches the public port: a wildcard address through the loopback.
    reachable = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - compared, not bound
    if varnishd and not env.get("NEWSROOM_EDGE_PURGE_URLS"):
        # An edit purges the pages it changes from this Varnish (the page cache's purging, docs/caching.md).
        env["NEWSROOM_EDGE_PURGE_URLS"] = f"http://{host_port(reachable, port)}/"
    stack = Stack()
    with tempfile.TemporaryDirectory(prefix="newsroom-varnish-") as workdir:
        try:
            bind = f"127.0.0.1:{app_port}" if varnishd else host_port(host, port)
            # --no-control-socket: gunicorn keeps one per user by default ($HOME/.gunicorn), which a second
            # site on the machine would fight over; nothing here uses it.
            command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", str(workers), "--bind", bind]
            gunicorn = stack.start(
                f"gunicorn ({workers} workers)",
                [*command, "--no-control-socket"],
                ("127.0.0.1", app_port) if varnishd else (reachable, port),
                env,
            )
            wait_until_listening(stack, gunicorn, interrupted)
            if varnishd and not interrupted:
                vcl = Path(workdir) / "newsroom.vcl"
                vcl.write_text(vcl_with_backend(VCL.read_text(), "127.0.0.1", app_port))
                vcl.chmod(0o644)
                Path(workdir).chmod(0o755)  # varnishd compiles the VCL as its own unprivileged user
                storage = environ.get("VARNISH_STORAGE", "").strip() or "malloc,256m"
                edge = stack.start(
                    "varnishd",
                    [varnishd, "-F", "-f", str(vcl), "-a", host_port(host, port), "-n", f"{workdir}/n", "-s", storage],
                    (reachable, port),
                    env,
                )
                wait_until_listening(stack, edge, interrupted)
            if not interrupted:
                front = f"Varnish ({VCL.relative_to(ROOT)}) in front of gunicorn on 127.0.0.1:{app_port}"
                if not varnishd:
                    front = f"gunicorn directly, no edge cache: {without}"
                log(f"serving http://{host_port(host, port)}/ ({front}, {workers} workers). Ctrl-C stops.")
            while not interrupted:
                gone = stack.exited()
                if gone is not None:
                    log(f"{gone.name} exited with status {gone.process.returncode}: stopping the rest")
                    return 1
                time.sleep(0.2)
        finally:
            stack.stop()
    log("stopped")
    return 0


def main() -> int:
    try:
        return serve(os.environ)
    except Refused as exc:
        log(str(exc))
        return 2


if __name__ == "__main__":
    sys.exit(main())
