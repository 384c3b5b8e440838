"""The page cache: public pages, as anonymous readers get them, kept whole in Django's cache and purged exactly.

A story that goes viral is asked for thousands of times a minute by readers without cookies, all getting the
same bytes. Views that make such pages are wrapped in `public_page`; for them this middleware
- answers an anonymous GET or HEAD from the cache, with no query and no template (a hit);
- otherwise lets the view render, then keeps the bytes and headers, keyed by scheme, host, path and the
  query string in a normal order, for PAGE_CACHE_SECONDS or until the page would change by itself
  (surrogate.ends_by), whichever is sooner;
- sends `Cache-Control: public, max-age=..., s-maxage=...` and the page's surrogate keys, so a Varnish or a CDN
  in front keeps the page too, and an ETag and Last-Modified, answering 304 to a conditional request.

A reader with a session (staff), a one-time message or a "remember me" cookie gets a page made for them:
never from the cache, never stored, and marked private so no shared cache stores it either.

Invalidation is by surrogate key, correct across several app servers sharing the cache, without any index
that one process keeps in memory and without a global flush. A counter in the cache (the generation) is read
before a page is rendered and stored with it; purging keys raises the counter and records its new value
against each key. A stored page is good while none of its keys has been purged at a generation above its
own: a purge that commits after the render began always lands above it, so a page rendered from rows read
before a change can never pass for one made after it. See docs/caching.md.
"""

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from newsroom import surrogate
from newsroom.cache_backend import CacheUnavailable
from newsroom.pagecache_local import EDGE_FETCH, LocalCopies

GENERATION_KEY = "pagecache:generation"
# Each app process's copies of current pages, answered while Redis reports no change of the counter
# (newsroom/pagecache_local.py).
LOCAL = LocalCopies(GENERATION_KEY)


@receiver(setting_changed)
def _settings_changed(**kwargs: object) -> None:
    LOCAL.reset()


# Set in the WSGI environ by the front (newsroom/pagecache_wsgi.py): its Lookup of this address, so the middleware
# neither reads the cache again nor stores the page itself, leaving that to the front (FRONT_KEEP).
FRONT = "newsroom.pagecache.lookup"
FRONT_KEEP = "newsroom.pagecache.keep"
# Headers that belong to one response, never to the stored page.
NOT_STORED = {"set-cookie", "x-page-cache", "date", "age"}


def public_page(view: Callable | None = None, *, chrome: bool = True) -> Callable:
    """Mark a view as making a public page: the same for every anonymous reader, so it may be cached.

    `chrome`: the page is HTML with the site's navigation and footer, so it shows the sections and the
    publication record. A view wrapped here names what else it shows with newsroom.surrogate.tag().
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request.public_page = True
            request.page_began = timezone.now()  # before the view reads a row; see surrogate.ends_by
            if chrome:
                surrogate.tag(request, *surrogate.CHROME)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def personal_cookies() -> set[str]:
    """Cookies that make a reader's page their own: a login, a one-time message, the remembered commenter."""
    return {
        settings.SESSION_COOKIE_NAME,
        CookieStorage.cookie_name,
        settings.COMMENTS_REMEMBER_COOKIE,
        *settings.NEWSROOM_PAGE_CACHE_PERSONAL_COOKIES,
    }


def is_personal(request: HttpRequest) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or not personal_cookies().isdisjoint(request.COOKIES)


def cache_key(request: HttpRequest) -> str:
    """The stored page's key: scheme, host, path and the query with its parameters sorted, so ?b=2&a=1 and
    ?a=1&b=2 are one page. The host is in it because the page names its own address (canonical link)."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "pagecache:page:" + hashlib.sha256(address.encode()).hexdigest()


def _marker(key: str) -> str:
    return f"pagecache:purged:{key}"


def current_generation(value: int | None = None) -> int:
    """The generation counter, created on first use. It starts from the clock in milliseconds rather than 0,
    so a counter lost from the cache (evicted, or Redis restarted) comes back above every purge recorded
    before: pages stored under the lost counter are then treated as stale, never the reverse."""
    if value is not None:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, int(time.time() * 1000), None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def _raise_generation() -> int:
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # not created yet (or evicted)
        current_generation()
        return cache.incr(GENERATION_KEY)


# Purges this process could not write while the shared cache was unreachable. Pages stored before the outage are
# still there when it answers again, so the purges are written then: at this process's next purge or page lookup,
# before it serves anything from the cache.
_UNSENT: set[str] = set()


def purge_pages(keys: Iterable[str]) -> None:
    """End every stored page showing any of these keys, on every app server sharing the cache."""
    keys = set(keys) | _UNSENT
    if not keys:
        return
    # This process's own copies end now; the other processes' end with the message Redis sends them when the
    # counter moves.
    LOCAL.drop()
    try:
        generation = _raise_generation()
        # Kept as long as a page stored before the purge can live, plus a margin.
        failed = cache.set_many({_marker(key): generation for key in keys}, settings.NEWSROOM_PAGE_CACHE_SECONDS + 60)
        # Raised again once the records are written: a process that found a page current while the counter read
        # some value may skip its records for as long as it still reads that value (lookup()), since any purge
        # whose records it could have missed moves the counter after writing them.
        _raise_generation()
        # Again: another thread may have kept a copy between the first raise and now, and this process must not
        # depend on its own message for its own purge.
        LOCAL.drop()
    except CacheUnavailable:
        _UNSENT.update(keys)
        return
    written = {key for key in keys if _marker(key) not in set(failed)}
    _UNSENT.difference_update(written)
    _UNSENT.update(keys - written)


def is_current(entry: dict, purged: dict | None = None) -> bool:
    """Whether a stored page is still good: not expired, and none of its keys purged since it was rendered.
    `purged`: purge records already read (by lookup()); the ones missing from it are read now."""
    if entry["expires"] <= time.time():
        return False
    purged = dict(purged or {})
    unread = [marker for marker in map(_marker, entry["keys"]) if marker not in purged]
    if unread:
        purged.update(cache.get_many(unread))
    return not any(purged.get(_marker(name), 0) > entry["generation"] for name in entry["keys"])


# What this process learnt of each page, by page key: the purge records it needs (a hint that lets the next lookup
# read them with the page, in one round trip; the records checked are always the ones the entry read names), and,
# once found current, which copy (created, generation) and what the counter read then. Bounded, since addresses
# are readers' choice.
_SEEN: dict[str, tuple[list[str], tuple | None, int | None]] = {}
_SEEN_KEPT = 10_000


@dataclass
class Lookup:
    """What the cache holds for one address: the page if it is current, and the generation before any render."""

    key: str
    entry: dict | None
    generation: int | None


def lookup(key: str, *, local: bool = True) -> Lookup:
    """Read a page, the generation and (from what this process learnt) the page's purge records in one round trip.

    A copy found current while the counter read G is current while the counter still reads G (and it has not
    expired): purge_pages moves the counter after writing its records, so no purge has finished since. Then the
    records are not read at all; and while Redis reports no change of the counter, nothing is read (LOCAL), unless
    `local` is False (the edge cache filling itself)."""
    if _UNSENT:
        purge_pages(())
        if _UNSENT:  # still not written: any copy found could be one of those the purges end
            return Lookup(key, None, None)
    kept, epoch = LOCAL.find(key) if local else (None, None)
    if kept is not None:
        return Lookup(key, *kept)
    records, checked, counter = _SEEN.get(key, ([], None, None))
    found = cache.get_many([key, GENERATION_KEY] if checked else [key, GENERATION_KEY, *records])
    entry, generation = found.get(key), found.get(GENERATION_KEY)
    if entry is None:
        return Lookup(key, None, generation)
    copy = (entry["created"], entry["generation"])
    if copy == checked and generation is not None and generation == counter:
        current = entry["expires"] > time.time()
    else:
        # A record absent from the answer is absent from the cache: never purged (or since expired). The counter
        # was read with these records or before the rest, as the rule above needs.
        current = is_current(entry, {} if checked else {marker: found.get(marker, 0) for marker in records})
    if len(_SEEN) >= _SEEN_KEPT:
        _SEEN.clear()
    if copy != checked:  # the records of the copy already checked are the ones noted then
        records = [_marker(name) for name in entry["keys"]]
    _SEEN[key] = (records, copy if current else None, generation)
    if not current:
        return Lookup(key, None, generation)
    if generation is not None:
        LOCAL.keep(epoch, key, entry, generation)
    return Lookup(key, entry, generation)


def keep(request: HttpRequest, key: str, entry: dict, lifetime: int) -> None:
    """Store a page. Under the WSGI front (newsroom/pagecache_wsgi.py) the front stores it once the whole
    middleware stack has added its headers, so a hit it answers sends exactly what this miss sent."""
    if FRONT in request.META:
        request.META[FRONT_KEEP] = (key, entry, lifetime)
    else:
        cache.set(key, entry, lifetime)


class PageCacheMiddleware:
    """See the module's docstring. Placed before the session, CSRF and messages middleware, so a hit skips them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        enabled = settings.NEWSROOM_PAGE_CACHE
        shared = request.method in {"GET", "HEAD"} and not is_personal(request)
        key = generation = None
        if enabled and shared:
            found = request.META.get(FRONT) or lookup(cache_key(request), local=EDGE_FETCH not in request.META)
            key = found.key
            if found.entry is not None:
                return self.from_cache(request, found.entry)
            generation = current_generation(found.generation)
        response = self.get_response(request)
        if not getattr(request, "public_page", False):
            return response
        if not shared or response.cookies or response.streaming:
            # Someone's own page, or one that sets a cookie: no shared cache may keep it.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if response.status_code != 200 or "Cookie" in response.get("Vary", ""):
            return response
        return self.store(request, response, key=key, generation=generation, enabled=enabled)

    def store(
        self, request: HttpRequest, response: HttpResponse, *, key: str | None, generation: int | None, enabled: bool
    ) -> HttpResponse:
        now = time.time()
        keys = sorted(surrogate.keys_of(request))
        response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["Last-Modified"] = http_date(now)
        if not enabled:
            # No page cache: the page is still the same for everyone, but no cache anywhere keeps it, since
            # nothing would know how long it may (its deadlines are worked out only for the cache).
            patch_cache_control(response, public=True, no_cache=True)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        lifetime, grace = self.lifetime(request, now)
        if lifetime < 1:
            patch_cache_control(response, public=True, no_cache=True)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        control = {"public": True, "max_age": min(settings.NEWSROOM_BROWSER_MAX_AGE, lifetime), "s_maxage": lifetime}
        if grace:
            # Serving the old copy while a fresh one is fetched is right only while the page cannot have changed
            # by itself; a purge removes copies outright, so stale ones are never purged ones.
            control["stale_while_revalidate"] = grace
        patch_cache_control(response, **control)
        if keys:
            response["xkey"] = response["Surrogate-Key"] = " ".join(keys)
            response["Cache-Tag"] = ",".join(keys)
        if request.method == "GET" and key is not None:
            entry = {
                "status": response.status_code,
                "headers": [(name, value) for name, value in response.items() if name.lower() not in NOT_STORED],
                "content": response.content,
                "keys": keys,
                "generation": generation,
                "created": now,
                "expires": now + lifetime,
            }
            keep(request, key, entry, lifetime)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], last_modified=int(now), response=response)

    def lifetime(self, request: HttpRequest, now: float) -> tuple[int, int]:
        """Seconds the page may be kept (PAGE_CACHE_SECONDS, or less when it changes by itself sooner), and
        seconds a cache in front may serve it past that while it fetches a fresh copy (STALE_SECONDS, or less:
        never past the page's next change by itself, such as a scheduled story falling due just after expiry)."""
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        until = None  # whole seconds, less the margin, before the page changes by itself
        current = timezone.now()
        for deadline in surrogate.deadlines_of(request):
            when = deadline(request.page_began)
            if when is not None:
                # A second early: a cache in front counts from when it received the page, a moment later.
                left = math.floor((when - current).total_seconds()) - 1
                until = left if until is None else min(until, left)
        if until is None:
            return seconds, settings.NEWSROOM_STALE_SECONDS
        seconds = min(seconds, until)
        return seconds, max(0, min(settings.NEWSROOM_STALE_SECONDS, until - seconds))

    def from_cache(self, request: HttpRequest, entry: dict) -> HttpResponse:
        response = HttpResponse(b"" if request.method == "HEAD" else entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        # How old the copy is: a shared cache in front counts it against s-maxage, so it keeps the page no
        # longer than this cache does. Rounded up, so that is never a moment longer (a scheduled story is due).
        response["Age"] = str(math.ceil(time.time() - entry["created"]))
        response["X-Page-Cache"] = "hit"
        answer = get_conditional_response(
            request, etag=response.get("ETag"), last_modified=int(entry["created"]), response=response
        )
        if answer is not response:  # Django's 304 keeps only a few of the headers; a cache in front needs the age too
            answer["Age"] = response["Age"]
        return answer
