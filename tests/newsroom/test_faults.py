"""The site when a service goes away: a database that cannot be reached answers a readable 503 and the
site recovers by itself when it returns; Redis unreachable is served without the cache, rate limits
kept per process, one line in the log; a save cut off half-way leaves nothing half-written.

Nothing is mocked: the database is reached through a relay the test unplugs (tests/services.py) or a
connection pointed at a closed port; Redis is a server of the test's own that it stops and starts."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import close_old_connections, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save
from django.test import Client
from django.urls import path, reverse
from reversion.models import Version

from articles.models import Article
from articles.services import save_article
from comments.models import Comment
from newsroom.cache_backend import ResilientRedisCache
from newsroom.ratelimit import Limit, hit
from roles.groups import apply_roles
from tests.articles.admin_forms import change_form_data, change_url
from tests.comments.posting import form_data
from tests.conftest import require_service
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.services import RedisServer, Relay, free_port


class ServerClient(Client):
    """The test client with the request boundaries a WSGI server has.

    Django's server closes a broken or expired database connection at the start and end of each request
    (the request_started/finished signals); the test client leaves that out on purpose, so this puts it
    back: recovering from a lost connection is exactly what is under test here."""

    def request(self, **request):
        close_old_connections()
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def reader() -> Client:
    # As a browser sees it: the error page, where the test client would re-raise the view's exception.
    return Client(raise_request_exception=False)


def server_reader() -> Client:
    """reader() with a server's request boundaries; only in tests whose rows are committed, since closing
    the connection would end the transaction a plain database test runs in."""
    return ServerClient(raise_request_exception=False)


@contextlib.contextmanager
def database_reached_at(**changes: object) -> Iterator[BaseDatabaseWrapper]:
    """Requests in the block reach the database through a connection with these settings changed.

    A second connection replaces the test's own for the block, so the test's transaction is untouched."""
    original = connections["default"]
    wrapper = original.__class__({**original.settings_dict, **changes}, alias="default")
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        with contextlib.suppress(Exception):
            wrapper.close()
        connections["default"] = original


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The site is temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


def unreachable_settings(tmp_path: Path) -> dict[str, object]:
    if connection.vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": free_port()}  # nothing listens there
    return {"NAME": str(tmp_path / "no-such-folder" / "db.sqlite3")}  # SQLite cannot open it


@pytest.mark.django_db
def test_every_reader_page_answers_a_readable_503_while_the_database_cannot_be_reached(tmp_path):
    article = ArticleFactory(published=True)
    pages = [reverse("articles:home"), article.get_absolute_url(), reverse("articles:search") + "?q=mali"]
    with database_reached_at(**unreachable_settings(tmp_path)):
        for url in pages:
            assert_unavailable_page(reader().get(url))
        # A reader's comment is refused the same way, not with a 500.
        assert_unavailable_page(reader().post(reverse("comments:post", args=[article.slug]), form_data()))
    for url in pages:
        assert reader().get(url).status_code == 200


def fails_with_a_bug(request):
    raise RuntimeError("deliberate failure for the 500 page test")


# This module doubles as a URLconf with the site's own error handler and a view that fails with a bug.
urlpatterns = [path("bug/", fails_with_a_bug)]
handler500 = "newsroom.errors.server_error"


@pytest.mark.django_db
def test_a_programming_error_is_still_a_500_not_a_503(settings):
    settings.ROOT_URLCONF = __name__
    response = reader().get("/bug/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert not response.has_header("Retry-After")


# PostgreSQL stopping under a running site --------------------------------------------------------


@pytest.fixture
def unpluggable_postgresql() -> Iterator[Relay]:
    """The test database, reached through a relay whose plug the test can pull."""
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not set: this run is on SQLite.")
    target = connection.settings_dict
    relay = Relay(target["HOST"] or "127.0.0.1", int(target["PORT"] or 5432))
    relay.start()
    with database_reached_at(HOST="127.0.0.1", PORT=relay.port, CONN_MAX_AGE=60):
        yield relay
    relay.stop()


# Committed rows: the relay's connection is not the test's.
@pytest.mark.django_db(transaction=True)
def test_the_site_answers_503_while_postgresql_is_away_and_recovers_by_itself(unpluggable_postgresql):
    article = ArticleFactory(published=True, headline="Wagner exits Mali")
    client = server_reader()
    assert client.get(article.get_absolute_url()).status_code == 200  # a kept connection, through the relay

    unpluggable_postgresql.stop()
    assert_unavailable_page(client.get(article.get_absolute_url()))
    assert_unavailable_page(client.get(reverse("articles:home")))

    unpluggable_postgresql.start()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Wagner exits Mali" in response.content.decode()


@pytest.fixture
def pull_plug_after_save():
    """pull(model, relay): the database goes away just after the next row of `model` is written,
    before its transaction commits."""
    receivers = []

    def pull(model, relay: Relay) -> None:
        def cut(**kwargs: object) -> None:
            relay.stop()

        post_save.connect(cut, sender=model, weak=False)
        receivers.append((cut, model))

    yield pull
    for receiver, model in receivers:
        post_save.disconnect(receiver, sender=model)


# Committed rows: the relay's connection is not the test's.
@pytest.mark.django_db(transaction=True)
def test_a_comment_cut_off_half_way_is_not_stored(unpluggable_postgresql, pull_plug_after_save):
    article = ArticleFactory(published=True)
    pull_plug_after_save(Comment, unpluggable_postgresql)

    response = server_reader().post(reverse("comments:post", args=[article.slug]), form_data(body="Cut off mid-save."))

    assert_unavailable_page(response)
    unpluggable_postgresql.start()
    close_old_connections()  # the next request's start, which drops the lost connection
    assert not Comment.objects.filter(body="Cut off mid-save.").exists()


# Committed rows: the relay's connection is not the test's.
@pytest.mark.django_db(transaction=True)
def test_an_article_save_cut_off_half_way_changes_nothing(unpluggable_postgresql, pull_plug_after_save):
    # A transactional test starts from an emptied database: the roles' groups come back as migrate makes them.
    apply_roles(apps)
    desk_editor = UserFactory(username="dana", is_staff=True, roles=["Editor"])
    article = ArticleFactory(published=True, headline="Before the edit", authors=[AuthorFactory()])
    article.tags.add("Mali")
    versions = Version.objects.get_for_object(article).count()
    client = server_reader()
    client.force_login(desk_editor)
    data = change_form_data(article, headline="After the edit", tags=["Mali", "Sahel"])
    # The article's row is written first; the byline rows, tags and revision would follow.
    pull_plug_after_save(Article, unpluggable_postgresql)

    response = client.post(change_url(article), data)

    assert_unavailable_page(response)
    unpluggable_postgresql.start()
    close_old_connections()  # the next request's start, which drops the lost connection
    article.refresh_from_db()
    assert article.headline == "Before the edit"
    assert sorted(article.tags.names()) == ["Mali"]
    assert Version.objects.get_for_object(article).count() == versions


# Redis stopping under a running site -------------------------------------------------------------


@pytest.fixture
def own_redis(tmp_path, settings) -> Iterator[RedisServer]:
    """The site's cache on a Redis server of this test's own, which the test may stop."""
    if RedisServer.binary is None:
        require_service("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backend.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    server.stop()


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "newsroom.cache_backend"]


@pytest.mark.django_db
def test_pages_and_comments_keep_working_while_redis_is_away(own_redis, caplog, settings, monkeypatch):
    settings.COMMENTS_RATE_PER_IP = 1000
    article = ArticleFactory(published=True, headline="Wagner exits Mali")
    client = reader()
    assert client.get(article.get_absolute_url()).status_code == 200
    caplog.set_level(logging.WARNING, logger="newsroom.cache_backend")

    own_redis.stop()
    # Every call tries the server, so what is tested is the log, not the pause between attempts.
    monkeypatch.setattr(ResilientRedisCache, "retry_after", 0.0)
    for _ in range(5):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(reverse("articles:home")).status_code == 200
    response = client.post(reverse("comments:post", args=[article.slug]), form_data(body="Posted without Redis."))
    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted without Redis.").exists()
    down = cache_warnings(caplog)
    assert len(down) == 1, down  # once for the outage, not once per request
    assert "unreachable" in down[0]

    own_redis.start()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:home")).status_code == 200
    messages = cache_warnings(caplog)
    assert len(messages) == 2 and "answers again" in messages[1], messages


@pytest.mark.django_db
def test_a_redis_restarted_between_two_requests_is_no_outage(own_redis, page_cache, caplog):
    """The page cache reads on a connection each thread keeps (newsroom/cache_backend.py). Redis closes it when it
    restarts (or when the connection idles past its timeout); that is found out only by using it, and the read is
    sent again on a new socket instead of counting the server as gone for a while."""
    url = ArticleFactory(published=True).get_absolute_url()
    client = reader()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    caplog.set_level(logging.WARNING, logger="newsroom.cache_backend")
    own_redis.stop()
    own_redis.start()
    assert client.get(url)["X-Page-Cache"] == "miss"  # the restarted server holds nothing yet
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert cache_warnings(caplog) == []


@pytest.mark.django_db
def test_rate_limits_still_hold_in_each_app_server_while_redis_is_away(own_redis):
    own_redis.stop()
    limit = Limit(count=3, seconds=600)
    assert [hit("faults", "203.0.113.9", limit) for _ in range(3)] == [0, 0, 0]
    assert hit("faults", "203.0.113.9", limit) > 0
    assert hit("faults", "198.51.100.7", limit) == 0  # each address still counts alone


@pytest.mark.django_db
def test_too_many_comments_while_redis_is_away_still_get_the_429_page(own_redis, settings):
    settings.COMMENTS_RATE_PER_IP = 2
    article = ArticleFactory(published=True)
    url = reverse("comments:post", args=[article.slug])
    own_redis.stop()
    client = reader()
    for n in range(2):
        response = client.post(url, form_data(email=f"r{n}@example.com"), REMOTE_ADDR="203.0.113.77")
        assert response.status_code == 302
    response = client.post(url, form_data(email="r3@example.com"), REMOTE_ADDR="203.0.113.77")
    assert response.status_code == 429
    assert Comment.objects.filter(article=article).count() == 2


@pytest.mark.django_db
def test_an_edit_made_while_redis_is_away_is_not_hidden_by_a_page_cached_before_it(
    own_redis, settings, page_cache, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis keeps its pages through a network cut: the purge the edit could not write is written when Redis
    answers again, before a copy from before the edit is served."""
    relay = Relay("127.0.0.1", own_redis.port)
    relay.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{relay.port}/0"}}
    article = ArticleFactory(published=True, headline="Before the outage")
    client = reader()
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    relay.stop()
    monkeypatch.setattr(ResilientRedisCache, "retry_after", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Edited during the outage"
        save_article(article)
    during = client.get(article.get_absolute_url())
    relay.start()
    after = client.get(article.get_absolute_url())

    assert "Edited during the outage" in during.content.decode()
    assert after.status_code == 200
    assert "Edited during the outage" in after.content.decode()
    assert "Before the outage" not in after.content.decode()
    relay.stop()
