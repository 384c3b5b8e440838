"""How many comments a reader may post: requests counted per key in the shared cache.

Counts live in Django's cache, so with REDIS_URL every app server adds to the same count; with the
local-memory cache of development each process counts alone.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


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
    # add() then incr(): both atomic in Redis and in the local-memory cache, so concurrent requests
    # each get their own number.
    cache.add(cache_key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=limit.seconds)
        count = 1
    if count <= limit.count:
        return 0
    return max(1, int((window + 1) * limit.seconds - time.time()))
