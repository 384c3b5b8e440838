"""The page cache's front (newsroom/pagecache_wsgi.py): the WSGI application gunicorn serves answers a cached page
before Django, and still sends what Django would, refuses what Django refuses and drops what a purge ended.

These tests call the WSGI application itself, as gunicorn does, with the environ a WSGI server builds."""

import threading
from collections.abc import Callable

import pytest
import redis
from django.core.cache import cache
from django.core.signals import request_started
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import moderate_comments
from newsroom import pagecache_local
from newsroom.pagecache import GENERATION_KEY, purge_pages
from newsroom.pagecache_wsgi import _KEYS
from tests.factories import ArticleFactory, CommentFactory
from tests.services import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def story():
    return ArticleFactory(published=True, headline="Port reopens")


@pytest.fixture
def django_requests():
    """How many requests reached Django."""
    seen = []

    def count(**kwargs) -> None:
        seen.append(1)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def test_a_second_anonymous_request_is_answered_before_django_with_the_misses_headers_and_bytes(
    front, story, django_requests, django_assert_num_queries
):
    miss = front(story.get_absolute_url())
    assert (miss.status, miss["X-Page-Cache"]) == ("200 OK", "miss")
    with django_assert_num_queries(0):
        hit = front(story.get_absolute_url())
    assert (hit.status, hit["X-Page-Cache"]) == ("200 OK", "hit")
    assert len(django_requests) == 1
    assert hit.body == miss.body
    assert hit.page_headers() == miss.page_headers()
    assert int(hit["Age"]) in (0, 1)


def test_a_hit_carries_the_security_headers_the_whole_stack_adds(front, story):
    front(story.get_absolute_url())
    hit = front(story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware, outside the page cache
    assert hit["Referrer-Policy"] and hit["Cross-Origin-Opener-Policy"]
    assert hit["Permissions-Policy"]  # newsroom.headers, outside the page cache
    assert hit["X-Frame-Options"] == "DENY" and hit["Content-Security-Policy"]  # inside it
    assert hit.get("Set-Cookie") is None


def test_a_head_request_is_answered_from_the_cache_without_a_body(front, story):
    miss = front(story.get_absolute_url())
    hit = front(story.get_absolute_url(), method="HEAD")
    assert hit["X-Page-Cache"] == "hit"
    assert hit.body == b""
    assert hit["Content-Length"] == str(len(miss.body))


def test_a_head_request_stores_nothing_it_has_no_bytes_of(front, story):
    front(story.get_absolute_url(), method="HEAD")
    assert front(story.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_conditional_request_for_a_cached_page_is_answered_304(front, story):
    miss = front(story.get_absolute_url())
    assert front(story.get_absolute_url(), **{"If-None-Match": miss["ETag"]}).status.startswith("304")
    assert front(story.get_absolute_url(), **{"If-Modified-Since": miss["Last-Modified"]}).status.startswith("304")
    other = front(story.get_absolute_url(), **{"If-None-Match": '"something-else"'})
    assert (other.status, other["X-Page-Cache"], other.body) == ("200 OK", "hit", miss.body)


def test_a_page_first_asked_for_conditionally_is_still_kept(front, story):
    """A cache in front revalidating after a purge gets its 304, and the page is kept for the next readers."""
    home = reverse("articles:home")
    etag = front(home)["ETag"]
    purge_pages(["publication"])  # the copy ends; the page, made again, has the same bytes
    assert front(home, **{"If-None-Match": etag}).status.startswith("304")
    assert front(home)["X-Page-Cache"] == "hit"


def test_a_host_django_refuses_is_refused_with_its_400_even_for_a_cached_address(front, story, settings):
    url = story.get_absolute_url()
    assert front(url, Host="news.example.com").status.startswith("400")  # not allowed: never rendered
    settings.ALLOWED_HOSTS = ["news.example.com"]
    assert front(url, Host="news.example.com")["X-Page-Cache"] == "miss"
    assert front(url, Host="news.example.com")["X-Page-Cache"] == "hit"
    settings.ALLOWED_HOSTS = ["other.example.com"]  # the host was dropped since the page was stored
    assert front(url, Host="news.example.com").status.startswith("400")


def test_a_refused_host_is_refused_at_an_address_another_host_has_cached(front, story):
    """The front keeps each address's key once worked out; the host is part of the address, so a host Django
    refuses gets its 400 at a path whose page is cached for the allowed one."""
    url = story.get_absolute_url()
    front(url)
    assert front(url)["X-Page-Cache"] == "hit"
    assert front(url, Host="news.example.com").status.startswith("400")


def test_a_long_address_is_served_without_its_key_being_kept(front, story):
    """An address is the reader's choice: one of kilobytes is answered as any other, its key worked out each time."""
    url = story.get_absolute_url() + "?" + "&".join(f"p{n}=" + "x" * 40 for n in range(60))
    front(url)
    assert front(url)["X-Page-Cache"] == "hit"
    assert front(url, Host="news.example.com").status.startswith("400")
    assert not any(url.split("?")[1] in signature for signature in _KEYS)


def test_a_stream_of_made_up_addresses_pushes_out_only_the_oldest_kept_keys(front, story, monkeypatch):
    """The store of addresses is bounded; when full, the oldest address goes, so a client walking through
    made-up query strings cannot keep emptying it under the readers of real pages."""
    monkeypatch.setattr("newsroom.pagecache_wsgi._KEYS_KEPT", 3)
    _KEYS.clear()
    url = story.get_absolute_url()
    for n in range(5):
        front(f"{url}?n={n}")
    assert len(_KEYS) == 3
    kept = " ".join(str(signature) for signature in _KEYS)
    assert "n=0" not in kept and "n=1" not in kept and all(f"n={n}" in kept for n in (2, 3, 4))


@pytest.fixture
def https_only(settings) -> None:
    """HTTPS only, behind a TLS proxy; requested before `front`, whose Django reads this when it loads its
    middleware."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


def test_plain_http_is_redirected_at_an_address_cached_over_https(https_only, front, story):
    """The scheme, read from the proxy's header, is part of the address the front keeps a key for."""
    url = story.get_absolute_url()
    front(url, X_Forwarded_Proto="https")
    assert front(url, X_Forwarded_Proto="https")["X-Page-Cache"] == "hit"
    assert front(url).status.startswith("301")


def test_each_host_has_its_own_copy(front, story, settings):
    settings.ALLOWED_HOSTS = ["one.example.com", "two.example.com"]
    front(story.get_absolute_url(), Host="one.example.com")
    other = front(story.get_absolute_url(), Host="two.example.com")
    assert other["X-Page-Cache"] == "miss"
    assert b"two.example.com" in other.body  # the page names its own address


@pytest.mark.parametrize(
    "personal",
    [
        {"Cookie": "sessionid=abc"},
        {"Cookie": "messages=abc"},
        {"Cookie": "comment_author=abc"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["session", "message", "remember-me", "authorization"],
)
def test_a_reader_with_a_personal_cookie_or_credentials_gets_a_fresh_private_page(front, story, personal):
    front(story.get_absolute_url())
    own = front(story.get_absolute_url(), **personal)
    assert own.get("X-Page-Cache") is None
    assert "private" in own["Cache-Control"]


def test_an_analytics_cookie_still_gets_the_shared_copy(front, story):
    front(story.get_absolute_url())
    assert front(story.get_absolute_url(), Cookie="_ga=GA1.1.1")["X-Page-Cache"] == "hit"


def test_a_post_is_never_answered_from_the_cache(front, story):
    front(story.get_absolute_url())
    assert front(story.get_absolute_url(), method="POST").get("X-Page-Cache") is None


def test_a_purge_here_ends_the_copy_the_front_serves(front, story, django_capture_on_commit_callbacks):
    front(story.get_absolute_url())
    comment = CommentFactory(article=story, body="Approved by a moderator.")
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comments(Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED)
    page = front(story.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert b"Approved by a moderator." in page.body


def test_a_purge_on_another_app_server_is_honoured_by_the_next_hit_here(
    front, story, redis_url, other_server, monkeypatch
):
    # The other process takes seconds to start: the copies this one keeps must end by Redis's message, not by age.
    monkeypatch.setattr(pagecache_local, "TRUST_SECONDS", 60.0)
    other = ArticleFactory(published=True)
    for url in (story.get_absolute_url(), other.get_absolute_url()):
        front(url)
        assert front(url)["X-Page-Cache"] == "hit"  # this process now knows the page's purge records
    other_server(f"from newsroom.pagecache import purge_pages; purge_pages(['article-{story.pk}'])")
    assert front(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert front(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_page_checked_while_a_purge_was_half_done_is_not_served_once_the_purge_lands(front, story):
    """A purge raises the counter, writes its records, then raises the counter again; a process that found the page
    current in between must not keep trusting that check once the records are written."""
    url = story.get_absolute_url()
    front(url)
    assert front(url)["X-Page-Cache"] == "hit"
    generation = cache.incr(GENERATION_KEY)  # a purge on another server has begun: the counter is raised...
    assert front(url)["X-Page-Cache"] == "hit"  # ...and its records are not written yet
    cache.set(f"pagecache:purged:article-{story.pk}", generation)  # ...now they are,
    cache.incr(GENERATION_KEY)  # and the purge is done
    assert front(url)["X-Page-Cache"] == "miss"


def redis_commands_during(redis_url: str, prefix: str, action: Callable[[], object]) -> list[str]:
    """The commands that name this test's keys, watched with Redis's MONITOR while `action` runs."""
    commands: list[str] = []
    listening = threading.Event()

    def watch() -> None:
        with redis.Redis.from_url(redis_url).monitor() as monitor:
            listening.set()
            for command in monitor.listen():
                if prefix in command["command"]:
                    commands.append(command["command"].split()[0])
                    if "end-of-test" in command["command"]:
                        return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    listening.wait(5)
    action()
    redis.Redis.from_url(redis_url).get(f"{prefix}:end-of-test")
    watcher.join(10)
    return commands[:-1]


def test_a_hit_asks_redis_nothing_while_no_purge_is_reported(front, story, redis_url, settings):
    """The process's own copy of a page found current is answered without a round trip (newsroom/pagecache_local.py)."""
    front(story.get_absolute_url())
    front(story.get_absolute_url())  # the page found current: this process keeps its copy

    def hit() -> None:
        assert front(story.get_absolute_url())["X-Page-Cache"] == "hit"

    assert redis_commands_during(redis_url, settings.CACHES["default"]["KEY_PREFIX"], hit) == []


def test_without_copies_in_the_process_a_hit_asks_redis_once(front, story, redis_url, settings):
    """The page, the generation and the page's purge records come in one MGET."""
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = 0
    front(story.get_absolute_url())
    front(story.get_absolute_url())  # this process has now seen which purge records the page needs

    def hit() -> None:
        assert front(story.get_absolute_url())["X-Page-Cache"] == "hit"

    assert redis_commands_during(redis_url, settings.CACHES["default"]["KEY_PREFIX"], hit) == ["MGET"]


def test_a_page_stored_without_the_front_is_answered_whole(front, story):
    """The test client and the cache audit store through the middleware alone: the front leaves such a copy to
    the middleware, inside the stack that adds the headers it lacks."""
    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    hit = front(story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Content-Type-Options"] == "nosniff" and hit["Permissions-Policy"]


def test_pages_are_still_served_while_redis_cannot_be_reached(front, story, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "KEY_PREFIX": "front-unreachable",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    for _ in range(2):
        page = front(story.get_absolute_url())
        assert page.status == "200 OK"
        assert b"Port reopens" in page.body


def test_with_the_page_cache_off_every_request_reaches_django(front, story, settings, django_requests):
    settings.NEWSROOM_PAGE_CACHE = False
    for _ in range(2):
        assert front(story.get_absolute_url()).get("X-Page-Cache") is None
    assert len(django_requests) == 2
