"""Two app servers on one PostgreSQL, one Redis and one media bucket behave as one site.

Two real gunicorn processes on different ports, configured as production is (DEBUG off), share the test's
PostgreSQL database, a Redis key space and an S3 bucket on moto's server. A reader and an editor move
between them: a comment posted on one and approved on the other appears on both, whose page caches had
the page before; a sign-in on one is a sign-in on the other; a preview link made by one opens on the other;
a picture uploaded through one is served to readers of the other; the comment rate limit and the sign-in
lockout count requests to both. Nothing of this may live in one process's memory or on one server's disk.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection

from articles.models import Article
from comments.models import Comment
from tests.articles.admin_forms import change_form_data
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.images.files import image_bytes
from tests.services import free_port, script
from tests.varnish import VCL, Varnish, require_varnishd, running_varnishd

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple 42"

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


class Visitor:
    """One browser: its cookies (the Secure ones too, as behind a TLS proxy) go to whichever server it asks."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        server: str,
        method: str,
        path: str,
        form: dict | None = None,
        body: bytes | None = None,
        content_type: str = "",
    ) -> Answer:
        host, port = urlsplit(server).hostname, urlsplit(server).port
        headers = {"Origin": server}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            headers["Content-Type"] = content_type
        link = http.client.HTTPConnection(host, port, timeout=30)
        try:
            link.request(method, path, body, headers)
            response = link.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""') or "max-age=0" in cookie.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
        finally:
            link.close()

    def get(self, server: str, path: str) -> Answer:
        return self.request(server, "GET", path)

    def post(self, server: str, path: str, form: dict) -> Answer:
        return self.request(server, "POST", path, form=form)


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(rf'value="([^"]*)" name="{name}"', page)
    assert match, f"no {name} field on the page"
    return unescape(match.group(1))


class AppServer:
    """gunicorn serving the site, with the environment production gives it."""

    def __init__(self, env: dict[str, str], log_file: Path) -> None:
        self.log_file = log_file
        log = log_file.open("w")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server stopped: {self.log_file.read_text()}")
            try:
                if Visitor().get(self.url, "/robots.txt").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app server did not answer within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextlib.contextmanager
def app_servers(request, tmp_path: Path, edge_url: str = "") -> Iterator[tuple[AppServer, AppServer]]:
    """Two gunicorns on the test's PostgreSQL, Redis and bucket, purging the edge at `edge_url` if one is given."""
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not set: this run is on SQLite (app servers share PostgreSQL).")
    redis_url = request.getfixturevalue("redis_url")
    s3_storage, s3_server = request.getfixturevalue("s3_storage"), request.getfixturevalue("s3_server")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex[:8]}",
        "DJANGO_SECRET_KEY": "two-servers-test-only-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSROOM_MEDIA_STORAGE": "s3",
        "NEWSROOM_S3_BUCKET": s3_storage,
        "NEWSROOM_S3_ENDPOINT_URL": s3_server,
        "NEWSROOM_S3_REGION": "us-east-1",
        "NEWSROOM_S3_ACCESS_KEY_ID": "test-only",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "test-only",
        "NEWSROOM_COMMENT_MIN_SECONDS": "0",
        "NEWSROOM_COMMENT_RATE_PER_IP": "3",
        "NEWSROOM_LOGIN_FAILURE_LIMIT": "5",
        "NEWSROOM_IMAGE_FORMATS": "jpeg",
        "NEWSROOM_IMAGE_WIDTHS": "480",
        "NEWSROOM_IMAGE_PHOTO_WIDTHS": "128",
        "NEWSROOM_EDGE_PURGE_URLS": edge_url,
    }
    env.pop("DJANGO_DEBUG", None)
    # Production serves hashed static files from the manifest collectstatic writes (make serve runs it too).
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=REPO, env=env, check=True
    )
    first, second = AppServer(env, tmp_path / "one.log"), AppServer(env, tmp_path / "two.log")
    try:
        first.wait()
        second.wait()
        yield first, second
    finally:
        first.stop()
        second.stop()


@pytest.fixture
def servers(request, tmp_path) -> Iterator[tuple[AppServer, AppServer]]:
    with app_servers(request, tmp_path) as both:
        yield both


@pytest.fixture
def edge(request, tmp_path) -> Iterator[tuple[Varnish, AppServer, AppServer]]:
    """One varnishd in front of both app servers (deploy/varnish/app-servers.vcl, a round-robin director), purged
    by both, as docs/deployment.md sets several app servers up."""
    require_varnishd()
    port = free_port()
    with app_servers(request, tmp_path, edge_url=f"http://127.0.0.1:{port}/") as (first, second):
        folder = tmp_path / "varnish"
        folder.mkdir()
        # newsroom.vcl's default backend is the first app server; app-servers.vcl adds the second.
        (folder / "newsroom.vcl").write_text(script("serve").vcl_with_backend(VCL.read_text(), "127.0.0.1", first.port))
        several = (VCL.parent / "app-servers.vcl").read_text()
        several = several.replace("@BACKEND2_HOST@", "127.0.0.1").replace("@BACKEND2_PORT@", str(second.port))
        (folder / "app-servers.vcl").write_text(several)
        with running_varnishd(folder / "app-servers.vcl", folder, port=port) as varnish:
            yield varnish, first, second


def sign_in(visitor: Visitor, server: str, username: str, password: str) -> Answer:
    page = visitor.get(server, "/admin/login/?next=/admin/")
    form = {
        "username": username,
        "password": password,
        "next": "/admin/",
        "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
    }
    return visitor.post(server, "/admin/login/?next=/admin/", form)


def post_comment(visitor: Visitor, server: str, article: Article, n: int) -> Answer:
    page = visitor.get(server, article.get_absolute_url())
    assert page.status == 200
    form = {
        "name": f"Reader {n}",
        "email": f"reader{n}@example.com",
        "body": f"Comment number {n} from a reader.",
        "token": hidden(page.text, "token"),
    }
    if 'name="csrfmiddlewaretoken"' in page.text:  # a form still protected by the CSRF cookie
        form["csrfmiddlewaretoken"] = hidden(page.text, "csrfmiddlewaretoken")
    return visitor.post(server, f"/comments/post/{article.slug}/", form)


def test_two_app_servers_behave_as_one_site(servers, settings):
    one, two = (server.url for server in servers)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    editor = UserFactory(username="chief", is_staff=True, is_superuser=True)
    editor.set_password(PASSWORD)
    editor.save()
    article = ArticleFactory(published=True, headline="Wagner exits Mali", authors=[AuthorFactory()])
    draft = ArticleFactory(headline="A story still in the works")
    reader, desk = Visitor(), Visitor()

    # A sign-in on one server is a sign-in on the other: sessions live in the database.
    assert sign_in(desk, one, "chief", PASSWORD).status == 302
    assert desk.get(two, "/admin/").status == 200

    # Both servers have the story's page before the comment exists, as their caches would.
    assert "Comment number 1" not in reader.get(one, article.get_absolute_url()).text
    assert "Comment number 1" not in reader.get(two, article.get_absolute_url()).text
    # Posted on the first server: a first comment from this address waits for a moderator.
    assert post_comment(reader, one, article, 1).status == 302
    comment = Comment.objects.get(body__startswith="Comment number 1")
    assert comment.status == Comment.Status.PENDING
    # Approved on the second server: both servers show it on the next request.
    changelist = desk.get(two, "/admin/comments/comment/")
    approve = {
        "action": "approve",
        "_selected_action": [comment.pk],
        "index": 0,
        "csrfmiddlewaretoken": hidden(changelist.text, "csrfmiddlewaretoken"),
    }
    assert desk.post(two, "/admin/comments/comment/", approve).status == 302
    assert "Comment number 1" in reader.get(one, article.get_absolute_url()).text
    assert "Comment number 1" in reader.get(two, article.get_absolute_url()).text

    # A preview link the first server gives opens on the second, for someone not signed in.
    change = desk.get(one, f"/admin/articles/article/{draft.pk}/change/").text
    link = re.search(r'(https?://[^"<\s]+/preview/[^"<\s]+/)', change)
    assert link, "no shareable preview link on the change form"
    assert "A story still in the works" in Visitor().get(two, urlsplit(link.group(1)).path).text

    # A picture uploaded through the first server is served to readers of the second, from the bucket.
    add = desk.get(one, "/admin/authors/author/add/")
    boundary = uuid.uuid4().hex
    fields = {
        "name": "Awa Traoré",
        "slug": "awa-traore",
        "bio": "Reports from Bamako.",
        "csrfmiddlewaretoken": hidden(add.text, "csrfmiddlewaretoken"),
        "_save": "Save",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="awa.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + image_bytes((600, 600), "JPEG")
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    saved = desk.request(
        one, "POST", "/admin/authors/author/add/", body=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert saved.status == 302, saved.text[:2000]
    author_page = reader.get(two, "/authors/awa-traore/").text
    photo = next((tag for tag in re.findall(r"<img[^>]+>", author_page) if 'alt="Awa Traoré"' in tag), "")
    source = re.search(r'src="([^"]+)"', photo)
    assert source, "the author's photo is not on the other server's page"
    address = urlsplit(unescape(source.group(1)))
    assert address.netloc and address.netloc != urlsplit(one).netloc  # from the bucket, not an app server's disk
    picture = Visitor().get(f"{address.scheme}://{address.netloc}", address.path)
    assert picture.status == 200 and picture.headers["content-type"] == "image/jpeg"

    # The comment rate limit (3 in the window) counts posts to both servers.
    assert post_comment(reader, two, article, 2).status == 302
    assert post_comment(reader, one, article, 3).status == 302
    assert post_comment(reader, two, article, 4).status == 429
    assert not Comment.objects.filter(body__startswith="Comment number 4").exists()

    # The sign-in lockout (5 failures) counts failures on both servers: the fifth, on either, locks the account,
    # and then even the right password is refused.
    intruder = Visitor()
    for attempt in range(4):
        assert sign_in(intruder, (one, two)[attempt % 2], "chief", "wrong guess").status == 200
    assert sign_in(intruder, one, "chief", "wrong guess").status == 429
    assert sign_in(Visitor(), two, "chief", PASSWORD).status == 429


def backend_requests(varnish: Varnish) -> dict[str, int]:
    """How many requests the edge sent to each app server, by backend name, from varnishstat's counters."""
    stats = subprocess.run(
        [str(Path(varnish.varnishadm).with_name("varnishstat")), "-n", varnish.workdir, "-1", "-f", "VBE.*.req"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in stats.splitlines():
        name, value = line.split()[:2]
        backend = name.rsplit(".", 2)[-2]
        counts[backend] = counts.get(backend, 0) + int(value)
    return counts


def test_an_edit_or_approval_on_either_server_reaches_readers_through_the_edge(edge, settings):
    varnish, first, second = edge
    one, two = first.url, second.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    editor = UserFactory(username="chief", is_staff=True, is_superuser=True)
    editor.set_password(PASSWORD)
    editor.save()
    article = ArticleFactory(published=True, headline="Wagner exits Mali", authors=[AuthorFactory()])
    path = article.get_absolute_url()
    desk, reader = Visitor(), Visitor()
    assert sign_in(desk, one, "chief", PASSWORD).status == 302

    # A second anonymous request through the edge is answered by the edge.
    assert varnish.get(path).headers["x-cache"] == "MISS"
    cached = varnish.get(path)
    assert cached.headers["x-cache"] == "HIT" and "Wagner exits Mali" in cached.body
    # The second app server has the page in its own (shared) page cache too.
    reader.get(two, path)
    assert reader.get(two, path).headers["x-page-cache"] == "hit"

    # An edit saved through the first server's admin...
    change = f"/admin/articles/article/{article.pk}/change/"
    token = hidden(desk.get(one, change).text, "csrfmiddlewaretoken")
    edit = change_form_data(article, headline="Wagner leaves Mali", csrfmiddlewaretoken=token, _save="Save")
    saved = desk.post(one, change, edit)
    assert saved.status == 302, saved.text[:2000]
    # ...is on the second server's next answer, rendered afresh, and on the edge's.
    direct = reader.get(two, path)
    assert direct.headers["x-page-cache"] == "miss" and "Wagner leaves Mali" in direct.text
    fresh = varnish.get(path)
    assert fresh.headers["x-cache"] == "MISS" and "Wagner leaves Mali" in fresh.body
    assert "Wagner exits Mali" not in fresh.body
    assert varnish.get(path).headers["x-cache"] == "HIT"

    # A comment posted on the first server and approved on the second shows through the edge at once.
    assert post_comment(reader, one, article, 1).status == 302
    comment = Comment.objects.get(body__startswith="Comment number 1")
    assert comment.status == Comment.Status.PENDING
    held = varnish.get(path)
    assert held.headers["x-cache"] == "HIT" and "Comment number 1" not in held.body
    changelist = desk.get(two, "/admin/comments/comment/")
    approve = {
        "action": "approve",
        "_selected_action": [comment.pk],
        "index": 0,
        "csrfmiddlewaretoken": hidden(changelist.text, "csrfmiddlewaretoken"),
    }
    assert desk.post(two, "/admin/comments/comment/", approve).status == 302
    shown = varnish.get(path)
    assert shown.headers["x-cache"] == "MISS" and "Comment number 1" in shown.body

    # The edge spread its misses over both app servers (round robin), so both rendered pages for it.
    served = backend_requests(varnish)
    assert served.get("default", 0) > 0 and served.get("app2", 0) > 0, served
