"""Each app process's copies of current pages (newsroom/pagecache_local.py): answered without asking Redis only while
Redis's tracking connection says nothing changed, and never once it cannot say.

To tell a copy's answer from Redis's, these tests delete the stored page in Redis behind the cache's back (no purge
announces that): a copy still answers "hit", Redis would answer "miss". Purges, the way pages really end, are tested
with the front's tests (tests/newsroom/test_pagecache_front.py), across processes too."""

import os
import time

import pytest
import redis
from django.core.cache import cache

from newsroom import pagecache_local
from newsroom.pagecache import GENERATION_KEY, LOCAL, purge_pages
from newsroom.pagecache_local import TRACKING_NAME, copy_size
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def stored_page_keys(settings) -> list[str]:
    """The stored pages' keys, as the cache names them (without its prefix and version)."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    found = redis.Redis.from_url(os.environ["REDIS_URL"]).scan_iter(match=f"{prefix}:*:pagecache:page:*")
    return [key.decode().split(":", 2)[2] for key in found]


def delete_stored_pages(server: redis.Redis, settings) -> None:
    keys = [cache.make_key(key) for key in stored_page_keys(settings)]
    assert keys
    server.delete(*keys)


def silence_tracking() -> None:
    """Messages stop reaching this process while its tracking connection stays open, as when a NAT or a load
    balancer forgets an idle connection, or a Redis host vanishes without a word."""
    LOCAL._connection.send_command("CLIENT", "TRACKING", "OFF")
    assert LOCAL._connection.read_response() == b"OK"


def copy_kept(front, url: str) -> None:
    front(url)
    assert front(url)["X-Page-Cache"] == "hit"  # found current in Redis: now kept in this process too


def test_a_kept_copy_is_answered_without_asking_redis(front, server, settings):
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    assert front(url)["X-Page-Cache"] == "hit"


def test_when_redis_drops_the_tracking_connection_no_copy_is_answered(front, server, settings):
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    name = f"{TRACKING_NAME}-{os.getpid()}"
    (tracking,) = [client for client in server.client_list() if client["name"] == name]
    server.client_kill_filter(_id=tracking["id"])
    assert front(url)["X-Page-Cache"] == "miss"
    # Tracking starts again by itself, and pages are kept again.
    copy_kept(front, url)
    assert any(client["name"] == name for client in server.client_list())


def test_an_emptied_cache_ends_every_copy(front):
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    cache.clear()  # FLUSHDB: Redis tells every tracking connection
    assert front(url)["X-Page-Cache"] == "miss"


def test_a_copy_is_checked_with_redis_again_once_it_is_old_enough(front, server, settings, monkeypatch):
    """However quiet the tracking connection, a copy is asked about again after TRUST_SECONDS (a second), so a
    connection lost without a word (a network cut) cannot keep one alive longer."""
    monkeypatch.setattr(pagecache_local, "TRUST_SECONDS", 0.0)
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    assert front(url)["X-Page-Cache"] == "miss"


def test_copies_fit_the_bytes_setting_the_least_recently_used_going_first(front, server, settings):
    first, second, third = (ArticleFactory(published=True).get_absolute_url() for _ in range(3))
    for url in (first, second, third):
        front(url)
    sizes = [copy_size(cache.get(key)) for key in stored_page_keys(settings)]
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = sum(sorted(sizes)[1:])  # room for two (a change empties the copies)
    assert front(first)["X-Page-Cache"] == "hit"  # kept
    assert front(second)["X-Page-Cache"] == "hit"  # kept
    assert front(first)["X-Page-Cache"] == "hit"  # used again: now the second is the least recently used
    assert front(third)["X-Page-Cache"] == "hit"  # kept, and the second dropped to make room
    delete_stored_pages(server, settings)
    assert front(first)["X-Page-Cache"] == "hit"
    assert front(third)["X-Page-Cache"] == "hit"
    assert front(second)["X-Page-Cache"] == "miss"


def test_without_the_bytes_setting_no_copy_is_kept(front, server, settings):
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = 0
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    assert front(url)["X-Page-Cache"] == "miss"


def test_a_counter_moved_by_another_connection_is_noticed_by_the_very_next_request(
    front, server, settings, monkeypatch
):
    """What the copies rely on: by the time another app server's purge has its reply from Redis, the message to this
    process is already readable. Tried a hundred times, with no pause between the purge and the next request."""
    url = ArticleFactory(published=True).get_absolute_url()
    counter = cache.make_key(GENERATION_KEY)
    monkeypatch.setattr(pagecache_local, "TRUST_SECONDS", 60.0)  # so only the message can end the copy
    for _ in range(100):
        copy_kept(front, url)
        delete_stored_pages(server, settings)
        server.incr(counter)  # as purge_pages on another app server does
        assert front(url)["X-Page-Cache"] == "miss"


def test_a_tracking_connection_gone_silent_is_found_out_by_its_heartbeat(front, server, settings, monkeypatch):
    monkeypatch.setattr(pagecache_local, "TRUST_SECONDS", 60.0)  # so only the heartbeat can notice
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    silence_tracking()
    delete_stored_pages(server, settings)
    assert front(url)["X-Page-Cache"] == "hit"  # no heartbeat due yet: the copy is still trusted
    monkeypatch.setattr(pagecache_local, "HEARTBEAT_SECONDS", 0.0)
    assert front(url)["X-Page-Cache"] == "miss"


def test_this_process_purge_ends_its_copies_without_waiting_for_its_message(front):
    story = ArticleFactory(published=True)
    url = story.get_absolute_url()
    copy_kept(front, url)
    silence_tracking()
    purge_pages([f"article-{story.pk}"])
    assert front(url)["X-Page-Cache"] == "miss"


def test_a_page_read_before_another_thread_saw_a_purge_is_not_kept(server):
    """One thread finds no copy and asks Redis; meanwhile a purge lands and another thread's request reads its
    message: what the first thread read may predate the purge, so it is not kept."""
    _, epoch = LOCAL.find("pagecache:page:one")
    server.incr(cache.make_key(GENERATION_KEY))
    LOCAL.find("pagecache:page:other")  # the other thread's request
    LOCAL.keep(epoch, "pagecache:page:one", {"content": b"page", "expires": time.time() + 60}, 1)
    assert LOCAL.find("pagecache:page:one")[0] is None


def test_the_edge_cache_filling_itself_is_answered_from_redis_never_from_a_copy(front, server, settings):
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    assert front(url, X_NEWSROOM_EDGE_FETCH="1")["X-Page-Cache"] == "miss"
