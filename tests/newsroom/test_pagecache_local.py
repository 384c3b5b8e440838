"""Each app process's copies of current pages (newsroom/pagecache_local.py): answered without asking Redis only while
Redis's tracking connection says nothing changed, and never once it cannot say.

To tell a copy's answer from Redis's, these tests delete the stored page in Redis behind the cache's back (no purge
announces that): a copy still answers "hit", Redis would answer "miss". Purges, the way pages really end, are tested
with the front's tests (tests/newsroom/test_pagecache_front.py), across processes too."""

import os

import pytest
import redis
from django.core.cache import cache

from newsroom import pagecache_local
from newsroom.pagecache import GENERATION_KEY
from newsroom.pagecache_local import OVERHEAD_BYTES, TRACKING_NAME
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def delete_stored_pages(server: redis.Redis, settings) -> None:
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(server.scan_iter(match=f"{prefix}:*:pagecache:page:*"))
    assert keys
    server.delete(*keys)


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
    first, second = (ArticleFactory(published=True).get_absolute_url() for _ in range(2))
    room_for_one = max(len(front(first).body), len(front(second).body)) + OVERHEAD_BYTES
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = room_for_one  # (a changed setting also empties the copies)
    assert front(first)["X-Page-Cache"] == "hit"  # kept
    assert front(second)["X-Page-Cache"] == "hit"  # kept, and the first dropped to make room
    delete_stored_pages(server, settings)
    assert front(second)["X-Page-Cache"] == "hit"
    assert front(first)["X-Page-Cache"] == "miss"


def test_without_the_bytes_setting_no_copy_is_kept(front, server, settings):
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = 0
    url = ArticleFactory(published=True).get_absolute_url()
    copy_kept(front, url)
    delete_stored_pages(server, settings)
    assert front(url)["X-Page-Cache"] == "miss"


def test_a_counter_moved_by_another_connection_is_noticed_by_the_very_next_request(front, server, settings):
    """What the copies rely on: by the time another app server's purge has its reply from Redis, the message to this
    process is already readable. Tried a hundred times, with no pause between the purge and the next request."""
    url = ArticleFactory(published=True).get_absolute_url()
    counter = cache.make_key(GENERATION_KEY)
    for _ in range(100):
        copy_kept(front, url)
        delete_stored_pages(server, settings)
        server.incr(counter)  # as purge_pages on another app server does
        assert front(url)["X-Page-Cache"] == "miss"
