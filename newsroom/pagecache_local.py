"""Copies of current pages kept in each app process, answered without asking Redis while Redis says nothing changed.

Measured under `make bench` on the 2-core machine, a gunicorn app that does nothing but one Redis round trip for a
few bytes and then returns the article's bytes from memory answers about 66% of the ceiling, and one that reads the
82 KB page from Redis about 62%: on a shared machine, the round trip itself (its system calls, the switch to Redis
and back) costs more than the page's size, so a hit that asks Redis anything cannot pass about two thirds of the
ceiling. The only way up is not to ask.

pagecache.lookup's own rule says when not asking is safe: a copy found current while the generation counter read G
stays current while the counter still reads G and the copy has not expired, since every purge moves the counter
(pagecache.purge_pages). Redis's server-assisted client-side caching (CLIENT TRACKING in broadcast mode) pushes a
message to this process's tracking connection whenever the counter changes, or the database is flushed; so the
counter need not be read while nothing has arrived. Redis sends that message in the same turn of its event loop as
its reply to the purge's command, so by the time the editor's request that purged has finished, the message has
reached every app server on a local network (tests/newsroom/test_pagecache_local.py checks it a hundred times).

Guards, each of which makes this process ask Redis again:
- nothing is answered from here unless the tracking connection is up and has nothing unread; anything that arrives
  on it (a change of the counter, a flush, the server closing the connection) drops every copy and the connection,
  which is made again (tracking on) before any new copy is kept;
- a purge made by this process drops its copies at once, without waiting for its own message;
- a copy is checked with Redis again once it is TRUST_SECONDS old, even if nothing arrived, so a connection that
  died without a word (a network cut) keeps a copy at most that long: the issue's "within a second";
- the page's own expiry is checked on every use, as for any stored page;
- a copy kept from a lookup that a drop overtook (another thread's) is not kept.
The copies are bounded in bytes (NEWSROOM_PAGE_CACHE_LOCAL_BYTES, least recently used dropped first; 0 turns this
off) and only made with Redis as the cache: the local-memory cache already lives in the process. See
docs/caching.md ("Copies in each app process").
"""

import os
import threading
import time
from collections import OrderedDict
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches

from newsroom.cache_backend import ResilientRedisCache

# How long a copy is answered from here before it is checked with Redis again, whatever the tracking says.
TRUST_SECONDS = 1.0
# After a failure to start tracking (Redis away), how long the process waits before trying again: asking costs a
# connect per request otherwise, and ResilientRedisCache already answers those requests as misses.
RETRY_SECONDS = 2.0
# The tracking connection's name in Redis (CLIENT LIST), followed by the process id.
TRACKING_NAME = "newsroom-page-copies"
# What a copy costs besides its page: the entry's dictionary, headers and keys.
OVERHEAD_BYTES = 2048

Copy = tuple[dict, int]  # the stored entry and the generation it was found current at


class LocalCopies:
    """One process's copies and the Redis connection that tells it when they end (see the module's docstring)."""

    def __init__(self, watched: str) -> None:
        self.watched = watched  # the generation counter's cache key
        self._lock = threading.Lock()
        self._copies: OrderedDict[str, tuple[dict, int, float, int]] = OrderedDict()
        self._bytes = 0
        self._connection: Any = None
        self._pid = 0
        self._retry_at = 0.0
        self._enabled: bool | None = None
        # Moved on every drop: a lookup that began before a drop must not keep what it read.
        self.epoch = 0

    # The hit path --------------------------------------------------------------------------------------------

    def find(self, key: str) -> tuple[Copy | None, int | None]:
        """The copy of this page, if one may be answered without asking Redis, and the epoch to pass to keep()
        (None when this process cannot keep copies now)."""
        if not self.enabled:
            return None, None
        with self._lock:
            if not self._tracking():
                return None, None
            found = self._copies.get(key)
            if found is None:
                return None, self.epoch
            entry, generation, checked_at, size = found
            if time.monotonic() - checked_at >= TRUST_SECONDS or entry["expires"] <= time.time():
                del self._copies[key]
                self._bytes -= size
                return None, self.epoch
            self._copies.move_to_end(key)
            return (entry, generation), self.epoch

    def keep(self, epoch: int | None, key: str, entry: dict, generation: int) -> None:
        """Keep a copy that pagecache.lookup found current at this generation, asked after find() gave `epoch`."""
        size = len(entry.get("content") or b"") + OVERHEAD_BYTES
        limit = settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES
        if epoch is None or size > limit:
            return
        with self._lock:
            if epoch != self.epoch:
                return
            previous = self._copies.pop(key, None)
            if previous is not None:
                self._bytes -= previous[3]
            while self._copies and self._bytes + size > limit:
                self._bytes -= self._copies.popitem(last=False)[1][3]
            self._copies[key] = (entry, generation, time.monotonic(), size)
            self._bytes += size

    def drop(self) -> None:
        """Forget every copy (this process purged something, or the settings changed)."""
        with self._lock:
            self._drop_copies()

    # Tracking ------------------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        if self._enabled is None:
            self._enabled = settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES > 0 and isinstance(
                caches["default"], ResilientRedisCache
            )
        return self._enabled

    def reset(self) -> None:
        """Start over: no copies, no connection, the settings read again."""
        with self._lock:
            self._drop_copies()
            self._close()
            self._enabled = None
            self._retry_at = 0.0

    def _tracking(self) -> bool:
        """Whether Redis is pushing this process the counter's changes and has pushed nothing since the last look;
        when it has (or the connection is gone), every copy is dropped and tracking started again."""
        connection = self._connection
        if connection is not None and self._pid == os.getpid():
            try:
                if not connection.can_read(timeout=0):
                    return True
            except (redis.RedisError, OSError):
                pass
        if connection is not None or self._copies:
            self._drop_copies()
            self._close()
        if time.monotonic() < self._retry_at:
            return False
        try:
            self._connection = self._track()
        except (redis.RedisError, OSError):
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        self._pid = os.getpid()
        return True

    def _track(self) -> Any:
        """A connection of its own (RESP3, so the messages come on it) with broadcast tracking of the counter."""
        backend = caches["default"]
        watched = backend.make_and_validate_key(self.watched)
        pool = backend._cache._get_connection_pool(False)
        # Named, so that CLIENT LIST tells an operator what the connection is for.
        name = f"{TRACKING_NAME}-{os.getpid()}"
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3, "client_name": name})
        try:
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", watched)
            connection.read_response()
        except BaseException:
            connection.disconnect()
            raise
        return connection

    def _drop_copies(self) -> None:
        self._copies.clear()
        self._bytes = 0
        self.epoch += 1

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()  # in a forked child, redis-py closes only the child's descriptor
            self._connection = None
