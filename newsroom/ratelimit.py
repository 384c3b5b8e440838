"""How often one address or one email may do something that costs others (a comment posted, a password reset
mail sent): requests counted per key in the shared cache.

Counts live in Django's cache, so with REDIS_URL every app server adds to the same count; with the
local-memory cache of development each process counts alone. While Redis is unreachable each process
counts alone too, in its own memory: the limit still holds per app server, so several servers let
through at most that many times the count, where no limit at all would let a flood through.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

from newsroom.cache_backend import CacheUnavailable

# Where counts go while the shared cache is unreachable (see the module's docstring).
_local_counts = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds`, per key."""

    count: int
    seconds: int


def hit(scope: str, key: str, limit: Limit) -> int:
    """Count one hit for `key` and return how many seconds to wait if that was over the limit (else 0).

    A fixed window: simple and one cache round trip or two, at the price of allowing up to twice the
    count across a window boundary. The key is hashed, so no email address is written to the cache.
    """
    window = int(time.time() // limit.seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    # add() then incr(), so concurrent requests each get their own number. The key outlives its window
    # (two windows' time): Django's Redis incr() checks that the key exists and increments it in two
    # commands, and a key expiring between them would come back without a timeout and stay for ever.
    # No request counts on a window once it has passed, since the window's number is in the key.
    try:
        count = _count(cache, cache_key, limit)
    except CacheUnavailable:
        count = _count(_local_counts, cache_key, limit)
    if count <= limit.count:
        return 0
    return max(1, int((window + 1) * limit.seconds - time.time()))


def _count(store: BaseCache, cache_key: str, limit: Limit) -> int:
    store.add(cache_key, 0, timeout=2 * limit.seconds)
    try:
        return store.incr(cache_key)
    except ValueError:  # evicted between add() and incr() (a full cache drops keys early)
        store.set(cache_key, 1, timeout=2 * limit.seconds)
        return 1
