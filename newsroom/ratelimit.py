"""The reader's address, and counting requests per key in the shared cache.

Counts live in Django's cache, so with REDIS_URL every app server adds to the same count; with the
local-memory cache of development each process counts alone.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    Each trusted proxy appends the address it was reached from, so with N proxies the client is
    the Nth entry from the right and everything left of it came from the client itself. A header
    shorter than that did not pass through every proxy, so REMOTE_ADDR is used instead: a forged
    header can never move the address anywhere but to the sender's own.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    return _valid_ip(hops[-proxies]) or remote


def _valid_ip(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6:
        # A zone ("fe80::1%eth0") names an interface of the proxy, not the reader, and the database's
        # address field refuses it. A dual-stack socket reports an IPv4 reader as ::ffff:a.b.c.d, which
        # would otherwise escape a blocklist line or rate limit written for a.b.c.d.
        if address.scope_id:
            address = ipaddress.IPv6Address(str(address).partition("%")[0])
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
    return str(address)


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
