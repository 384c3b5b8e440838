"""Copies of current pages kept in each app process, answered without asking Redis while Redis says nothing changed.

Under `make bench` on the 2-core machine, a gunicorn app that does nothing but one Redis round trip for a few bytes
and then returns the article's bytes from memory answers about two thirds of the ceiling (the row "ceiling after one
Redis round trip"): on a shared machine the round trip itself (its system calls, the switch to Redis and back) costs
more than the page's size, so a hit that asks Redis anything cannot pass that. The only way up is not to ask.

pagecache.lookup's own rule says when not asking is safe: a copy found current while the generation counter read G
stays current while the counter still reads G and the copy has not expired, since every purge moves the counter
(pagecache.purge_pages). Redis's server-assisted client-side caching (CLIENT TRACKING in broadcast mode) pushes a
message to this process's tracking connection whenever the counter changes, or the database is flushed; so the
counter need not be read while nothing has arrived. Redis sends that message in the same turn of its event loop as
its reply to the purge's command, before it: on one host, by the time the purging request has its reply, the
message is readable here (tests/newsroom/test_pagecache_local.py checks it a hundred times). Across hosts it is sent
first but may arrive later (a lost packet), so a copy is never trusted for long, and the edge never gets one.

Guards, each of which makes this process ask Redis again:
- nothing is answered from here unless the tracking connection is up and every message on it has been read;
  a message drops every copy, a closed or failing connection drops them and the connection, which is made again
  (outside the lock, never while the cache backend is resting after a failure) before a copy is kept again;
- every HEARTBEAT_SECONDS the connection is asked whether tracking is still on (CLIENT TRACKINGINFO), so one that
  went silent without closing (a NAT or load balancer forgetting it, a host gone without a word) is found out;
- a copy is checked with Redis again once it is TRUST_SECONDS old, whatever the connection says;
- a purge made by this process drops its copies at once, without waiting for its own message;
- the page's own expiry is checked on every use, as for any stored page;
- a copy read by a lookup that a drop overtook (another thread's) is not kept (the epoch);
- a request from the edge cache filling itself (Varnish sets X-Newsroom-Edge-Fetch, deploy/varnish/newsroom.vcl) is
  answered from Redis, never from a copy: a copy a purge has just ended must not be kept at the edge for s-maxage.
The copies are bounded in bytes (NEWSROOM_PAGE_CACHE_LOCAL_BYTES, least recently used dropped first; 0 turns this
off) and only made with one Redis server as the cache: the local-memory cache already lives in the process, and with
replicas the tracking connection and the reads could see different servers. See docs/caching.md.
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
# How often the tracking connection is asked whether it still tracks: a connection can die without closing.
HEARTBEAT_SECONDS = 5.0
# After a failure to start tracking, how long the process waits before trying again (as the cache backend does).
RETRY_SECONDS = 2.0
# The tracking connection's name in Redis (CLIENT LIST), followed by the process id.
TRACKING_NAME = "newsroom-page-copies"
# What a copy costs besides its bytes, headers and keys: the dictionaries and tuples around them.
OVERHEAD_BYTES = 1024
# Set on the edge cache's own requests to the app (deploy/varnish/newsroom.vcl): never answered from a copy.
EDGE_FETCH = "HTTP_X_NEWSROOM_EDGE_FETCH"

Copy = tuple[dict, int]  # the stored entry and the generation it was found current at


def copy_size(entry: dict) -> int:
    """About what a copy holds in memory: its bytes, its headers (the CSP is long) and its surrogate keys."""
    headers = sum(len(name) + len(value) for name, value in entry.get("headers", ()))
    keys = sum(len(key) + 50 for key in entry.get("keys", ()))
    return len(entry.get("content") or b"") + headers + keys + OVERHEAD_BYTES


class LocalCopies:
    """One process's copies and the Redis connection that tells it when they end (see the module's docstring)."""

    def __init__(self, watched: str) -> None:
        self.watched = watched  # the generation counter's cache key
        self._lock = threading.Lock()
        self._copies: OrderedDict[str, tuple[dict, int, float, int]] = OrderedDict()
        self._bytes = 0
        self._connection: Any = None
        self._pid = 0
        self._verified_at = 0.0
        self._connecting = False
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
            tracking = self._tracking()
            if tracking:
                return self._copy(key), self.epoch
            if tracking is None:  # connecting in another thread, or resting after a failure
                return None, None
            self._connecting = True
        # Connecting takes round trips (up to the connect timeout for a host that drops packets): not under the
        # lock, so other threads ask Redis meanwhile instead of waiting.
        try:
            connection = self._track()
        except (redis.RedisError, OSError):
            with self._lock:
                self._connecting = False
                self._retry_at = time.monotonic() + RETRY_SECONDS
            return None, None
        with self._lock:
            self._connecting = False
            self._close()
            self._connection, self._pid, self._verified_at = connection, os.getpid(), time.monotonic()
            self._drop_copies()
            return None, self.epoch

    def keep(self, epoch: int | None, key: str, entry: dict, generation: int) -> None:
        """Keep a copy that pagecache.lookup found current at this generation, asked after find() gave `epoch`."""
        size = copy_size(entry)
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
        """Forget every copy (this process purged something)."""
        with self._lock:
            self._drop_copies()

    def reset(self) -> None:
        """Start over: no copies, no connection, the settings read again (a setting changed)."""
        with self._lock:
            self._drop_copies()
            self._close()
            self._enabled = None
            self._retry_at = 0.0

    @property
    def enabled(self) -> bool:
        if self._enabled is None:
            backend = caches["default"]
            self._enabled = (
                settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES > 0
                and isinstance(backend, ResilientRedisCache)
                and len(backend._servers) == 1
            )
        return self._enabled

    # Under the lock ------------------------------------------------------------------------------------------

    def _copy(self, key: str) -> Copy | None:
        found = self._copies.get(key)
        if found is None:
            return None
        entry, generation, checked_at, size = found
        if time.monotonic() - checked_at >= TRUST_SECONDS or entry["expires"] <= time.time():
            del self._copies[key]
            self._bytes -= size
            return None
        self._copies.move_to_end(key)
        return entry, generation

    def _tracking(self) -> bool | None:
        """True while Redis is tracking the counter for this process, with every message read (each drops every
        copy); False when this thread should connect; None when it should not try now."""
        connection = self._connection
        if connection is not None and self._pid == os.getpid():
            try:
                if connection.can_read(timeout=0):
                    self._drop_copies()
                    while connection.can_read(timeout=0):
                        connection.read_response(push_request=True)  # a message; redis-py answers None for it
                if time.monotonic() - self._verified_at >= HEARTBEAT_SECONDS:
                    self._verify(connection)
                return True
            except (redis.RedisError, OSError):
                pass
        if connection is not None or self._copies:
            self._drop_copies()
            self._close()
        if self._connecting or time.monotonic() < self._retry_at or caches["default"].resting:
            return None
        return False

    def _verify(self, connection: Any) -> None:
        connection.send_command("CLIENT", "TRACKINGINFO")
        while (info := connection.read_response(push_request=True)) is None:
            self._drop_copies()  # a message that came before the answer
        if not isinstance(info, dict) or b"bcast" not in info.get(b"flags", ()):
            raise redis.ConnectionError("Redis no longer tracks the page cache's counter for this process")
        self._verified_at = time.monotonic()

    def _track(self) -> Any:
        """A connection of its own (RESP3, so the messages come on it) with broadcast tracking of the counter."""
        backend = caches["default"]
        watched = backend.make_and_validate_key(self.watched)
        pool = backend._cache._get_connection_pool(True)
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
