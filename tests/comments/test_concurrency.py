"""Many readers posting at once against a real server: each accepted comment stored once, no 500.

The posts go over HTTP to a live server from several threads, each fetching the page for its form
token first, as a browser does. Some forms are sent twice at the same moment (a
double click), which must store one comment. On PostgreSQL (CI's second pass) the server answers
each request in a thread of its own with its own database connection, so the inserts really race.

SQLite's test database lives in memory, reachable only through the one connection the test
holds; Django's live server lends that connection to every request thread at once, which breaks
its transactions (a test-harness limit, not the site's). There the server answers one request at
a time, so the clients still race and double submits still arrive together, but the database
writes do not overlap.
"""

import http.client
import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from django.urls import reverse

from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory, CommentFactory

# The live server runs in other threads, which must see committed data.
pytestmark = pytest.mark.django_db(transaction=True)

# Eight readers with five comments each: enough for the requests to overlap on a two-core machine,
# few enough to finish in seconds. Every third form is sent twice at once.
READERS, POSTS_EACH = 8, 5
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Job:
    body: str
    email: str
    reply: bool
    double: bool


class OneAtATimeServer(WSGIServer):
    # Room for every reader's connection to wait its turn instead of being dropped.
    request_queue_size = 64

    def __init__(self, *args, connections_override=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)


class OneAtATimeLiveServerThread(LiveServerThread):
    server_class = OneAtATimeServer


@pytest.fixture
def server_url(transactional_db, settings) -> Iterator[str]:
    """A live server: threaded on PostgreSQL, one request at a time on in-memory SQLite (see above)."""
    shared = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    thread_class = OneAtATimeLiveServerThread if shared else LiveServerThread
    thread = thread_class("localhost", StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


class Reader:
    """One reader's connection to the live server, with the cookies it was given."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, text
        finally:
            connection.close()

    def form(self, path: str) -> dict[str, str]:
        status, html = self.request("GET", path)
        assert status == 200, html[:500]
        fields = dict(re.findall(r'<input type="hidden" name="(token|parent)" value="([^"]*)"', html))
        assert "token" in fields
        return fields


def test_comments_posted_at_once_are_each_stored_once_and_nothing_fails(server_url, settings):
    # The server runs in this process, so these settings reach it.
    settings.COMMENTS_MIN_SECONDS = 0  # the form is sent the moment it arrives
    settings.COMMENTS_RATE_PER_IP = settings.COMMENTS_RATE_PER_EMAIL = 10_000  # every post comes from 127.0.0.1
    ModerationSettings.objects.update_or_create(pk=1, defaults={"auto_approve_known_authors": False})
    article = ArticleFactory(published=True)
    parent = CommentFactory(article=article, status=Comment.Status.APPROVED)
    post_path = reverse("comments:post", args=[article.slug])
    jobs = [
        Job(
            body=f"Reader {reader}, comment {n}: a view of my own.",
            email=f"reader{reader}@example.com",
            reply=n % 2 == 1,
            double=(reader * POSTS_EACH + n) % 3 == 0,
        )
        for reader in range(READERS)
        for n in range(POSTS_EACH)
    ]
    statuses: Counter[int] = Counter()
    answers: dict[str, list[int]] = {}
    lock = threading.Lock()

    def post(job: Job) -> None:
        reader = Reader(server_url)
        page = article.get_absolute_url() + (f"?reply_to={parent.pk}" if job.reply else "")
        fields = reader.form(page)
        body = urlencode({**fields, "name": "Reader", "email": job.email, "body": job.body})
        senders = 2 if job.double else 1
        start = threading.Barrier(senders)

        def send() -> int:
            start.wait(timeout=TIMEOUT_SECONDS)
            return reader.request("POST", post_path, body)[0]

        with ThreadPoolExecutor(max_workers=senders) as pool:
            results = list(pool.map(lambda _: send(), range(senders)))
        with lock:
            statuses.update(results)
            answers[job.body] = results

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        list(pool.map(post, jobs))

    assert sum(statuses.values()) == len(jobs) + sum(job.double for job in jobs)
    assert not [status for status in statuses if status >= 500], statuses
    assert set(statuses) == {302}, answers  # every post, and every repeat of one, was accepted
    stored = Counter(Comment.objects.exclude(pk=parent.pk).values_list("body", flat=True))
    assert stored == Counter(job.body for job in jobs)  # each exactly once
    replies = Comment.objects.filter(parent=parent).count()
    assert replies == sum(job.reply for job in jobs)
