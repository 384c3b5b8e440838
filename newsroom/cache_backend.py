"""Django's Redis cache, made to survive Redis going away.

The cache only speeds the site up: with Redis unreachable every page can still be made from the
database. Django's own backend raises on every call instead, so one stopped Redis would answer each
reader with a 500. This backend answers a read as a miss and drops a write, says so in the log once
per outage (not once per request), stops knocking for a few seconds after each failure so pages are
not slowed by a connection attempt per cache call, and picks the server up again by itself.

Counting (incr) is the exception: a rate limit that silently counted nothing would let everything
through, so incr() raises CacheUnavailable and the caller chooses its fallback (newsroom/ratelimit.py).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Refused, reset, timed out, name not resolved: the server is not there. Other Redis errors (a wrong
# type, a script error) are bugs and keep raising.
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class CacheUnavailable(Exception):
    """The shared cache cannot be reached, so a count kept in it cannot be trusted."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis.Redis per connection pool instead of building one for every call.

    Building a redis.Redis (its table of reply callbacks) costs more than a cached page's whole round trip; the
    object holds no connection of its own (the pool does) and is safe to share between threads."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get_many(self, keys: Any) -> dict:
        """Django's get_many (one MGET), sent on a connection this thread keeps for it.

        A page cache hit is one MGET, and redis-py's way through its pool (taking a connection, polling it for
        stray data, counting it for its metrics, giving it back) cost about as much processor time as the rest of
        the command. A connection held by one thread never carries another's reply, and one that fails is closed,
        so it never holds a reply half read either: the checks the pool makes have nothing to find."""
        keys = list(keys)
        values = self._read("MGET", *keys)
        loads = self._serializer.loads
        return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}

    def _read(self, *command: Any) -> Any:
        held = self.__dict__.setdefault("_held", threading.local())
        connection = getattr(held, "connection", None)
        if connection is None or held.pid != os.getpid():  # a forked process makes its own
            pool = self._get_connection_pool(False)
            connection = held.connection = pool.connection_class(**pool.connection_kwargs)
            held.pid = os.getpid()
        # A connection that has answered before may have been closed since (Redis restarted, or its idle timeout):
        # that is found out only by using it, and is no outage, so the command is sent once more on a new socket,
        # as redis-py's pool would have done. A new connection that fails is an unreachable server.
        answered_before = connection.is_connected
        try:
            return self._send(connection, command)
        except redis.exceptions.ConnectionError:
            if not answered_before:
                raise
        return self._send(connection, command)

    @staticmethod
    def _send(connection: Any, command: tuple) -> Any:
        try:
            connection.send_command(*command)
            return connection.read_response()
        except BaseException:
            connection.disconnect()  # never left with a reply half read
            raise


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to "no cache" while the server is unreachable."""

    # After a failure, calls in the next few seconds skip Redis: a closed port answers at once, but a
    # host that drops packets costs the whole connect timeout, and a page makes several cache calls.
    retry_after = 2.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down = False

    # Outage bookkeeping ------------------------------------------------------------------------

    @property
    def resting(self) -> bool:
        """Whether calls skip Redis for now, after a failure (see retry_after)."""
        return self._down and time.monotonic() < self._down_until

    def _call(self, method: Callable[..., T], fallback: Callable[[], T], *args: Any, **kwargs: Any) -> T:
        if self.resting:
            return fallback()
        try:
            result = method(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(exc)
            return fallback()
        if self._down:
            self._recovered()
        return result

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.retry_after
            if self._down:
                return
            self._down = True
        logger.warning(
            "Redis cache at %s is unreachable (%s): pages are served without the cache until it answers again.",
            self._redacted_location(),
            exc,
        )

    def _recovered(self) -> None:
        with self._lock:
            if not self._down:
                return
            self._down = False
        logger.warning("Redis cache at %s answers again: the cache is back in use.", self._redacted_location())

    def _redacted_location(self) -> str:
        # The URL may carry a password (redis://:secret@host); the log shows only where it is.
        return ", ".join(server.rsplit("@", 1)[-1] for server in self._servers)

    @property
    def is_unreachable(self) -> bool:
        """True while this process counts the server as gone (since its last failed call)."""
        return self._down

    def validate_key(self, key: str) -> None:
        """Nothing to check: Django's check warns of keys memcached would refuse, and Redis takes any key. Checked
        character by character, it cost a page cache hit more than its round trip (a hit reads ~16 keys)."""

    # The cache API ------------------------------------------------------------------------------

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(super().get, lambda: default, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._call(super().get_many, dict, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(super().has_key, lambda: False, key, version)

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(super().add, lambda: False, key, value, timeout, version)

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(super().set, lambda: None, key, value, timeout, version)

    def set_many(self, data: dict, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        # Django's contract: the keys that failed to be stored.
        return self._call(super().set_many, lambda: list(data), data, timeout, version)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(super().touch, lambda: False, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(super().delete, lambda: False, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call(super().delete_many, lambda: None, keys, version)

    def clear(self) -> bool:
        return self._call(super().clear, lambda: False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def unavailable() -> int:
            raise CacheUnavailable(f"Redis cache at {self._redacted_location()} is unreachable")

        return self._call(super().incr, unavailable, key, delta, version)
