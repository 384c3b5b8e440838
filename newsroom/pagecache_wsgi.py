"""The page cache's front door: a WSGI layer that answers a cache hit before Django sees the request.

A hit through Django costs the request object, the request_started/finished signals and every middleware
before PageCacheMiddleware, several times what reading the page costs. Here, in front of Django (newsroom/wsgi.py),
an anonymous GET or HEAD for a current stored page is answered with the page's stored status, headers and bytes:
one cache round trip (pagecache.lookup), no HttpResponse, no middleware.

It keeps every guarantee of the page cache because it decides nothing of its own:
- the address, the host check (ALLOWED_HOSTS) and what makes a reader's page personal are pagecache's own
  functions on a request made from the same environ (the address's key worked out once per address, see
  page_key); a refused host, a personal cookie, `Authorization` or any method but GET and HEAD goes to Django,
  which answers as it always does (a bad host is its 400);
- whether a page is current is pagecache.lookup's answer, the generation check that stays exact across servers;
- the page is stored here, on a miss, with the headers the whole middleware stack sent (security headers,
  Permissions-Policy, CSP, X-Frame-Options...), so a hit sends exactly what the miss sent, plus `Age` and
  `X-Page-Cache: hit`. Only pages stored this way are answered here; one stored by the middleware alone (the
  test client, the cache audit) is answered by the middleware, under the stack that adds the rest;
- a conditional request (If-None-Match, If-Modified-Since...) goes to Django with the page already read, and
  the middleware answers it (304 or not) by Django's own rules, as it always did;
- with the cache unreachable, the lookup finds nothing and Django renders the page.

A hit sends no request_started/request_finished signal: it touches no database connection for
close_old_connections to look after.
"""

import math
import time
from collections.abc import Callable, Iterable
from contextlib import suppress

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver

from newsroom import pagecache
from newsroom.pagecache_local import EDGE_FETCH

StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]

CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")

# Every environ value that the page's key, Django's host check and the HTTPS redirect read (WSGIRequest's path,
# scheme and get_host(), pagecache.cache_key): together with the settings, they decide the key, so the key worked
# out once for them is the key for every request that has them. SECURE_PROXY_SSL_HEADER's header is added to these.
ADDRESS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "SCRIPT_URL",
    "REDIRECT_URL",
    "PATH_INFO",
    "QUERY_STRING",
)
# The page key for each such set of values, or None where the front serves nothing (a host Django refuses, plain
# HTTP under SECURE_SSL_REDIRECT). Addresses only, never a page: what is stored and whether it is current is read
# from the shared cache on every request. Bounded, since addresses are readers' choice (so many, and an address
# kept only when short: a request line and its headers may run to kilobytes each); emptied when a setting changes
# (tests), as every value depends on the settings.
_KEYS: dict[tuple, str | None] = {}
_KEYS_KEPT = 10_000
_KEPT_LENGTH = 1_000
_FIELDS: list[tuple[str, ...]] = []


@receiver(setting_changed)
def _forget_addresses(**kwargs: object) -> None:
    _KEYS.clear()
    _FIELDS.clear()


def _fields() -> tuple[str, ...]:
    if not _FIELDS:
        proxy = settings.SECURE_PROXY_SSL_HEADER
        _FIELDS.append(ADDRESS + ((proxy[0],) if proxy else ()))
    return _FIELDS[0]


def page_key(environ: dict) -> str | None:
    """The page cache's key for this request's address, or None if the front serves nothing there.

    Worked out by Django's own request (host check, scheme, path) and pagecache.cache_key the first time an address
    is seen, then read from _KEYS: building a WSGIRequest and checking the host cost a hit about a third of its
    time in Python."""
    signature = tuple(map(environ.get, _fields()))
    try:
        return _KEYS[signature]
    except KeyError:
        pass
    # A copy: WSGIRequest rewrites PATH_INFO in the environ it is given, and Django will make its own.
    request = WSGIRequest(environ.copy())
    key = None
    if not settings.SECURE_SSL_REDIRECT or request.is_secure():
        with suppress(DisallowedHost):  # Django refuses the host, with its own 400 page
            key = pagecache.cache_key(request)
    if sum(len(value) for value in signature if isinstance(value, str)) <= _KEPT_LENGTH:
        if len(_KEYS) >= _KEYS_KEPT:
            # The oldest address goes, not all of them: a client walking through made-up query strings would
            # otherwise empty the store again and again, and every reader's hit would pay the first-time cost.
            del _KEYS[next(iter(_KEYS))]
        _KEYS[signature] = key
    return key


class PageCacheFront:
    """Wraps Django's WSGI application (see the module's docstring)."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        found = self.look_up(environ)
        if found is None:
            return self.app(environ, start_response)
        entry = found.entry
        if entry is not None and entry.get("final") and not any(name in environ for name in CONDITIONAL):
            # How old the copy is: a shared cache in front counts it against s-maxage, so it keeps the page no
            # longer than this cache does. Rounded up, so never a moment longer (a scheduled story is due).
            age = str(math.ceil(time.time() - entry["created"]))
            start_response(entry["status_line"], [*entry["headers"], ("Age", age), ("X-Page-Cache", "hit")])
            return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry["content"]]
        environ[pagecache.FRONT] = found
        return self.render(environ, start_response)

    def look_up(self, environ: dict) -> pagecache.Lookup | None:
        """What the cache holds for this request, or None for a request the page cache does not serve."""
        if not settings.NEWSROOM_PAGE_CACHE or environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return None
        # Personal: pagecache.is_personal's rule, on every request. Without a Cookie header a request has no cookie
        # at all, so only `Authorization` can make it personal; with one, Django's own request reads the cookies.
        if "HTTP_AUTHORIZATION" in environ:
            return None
        if environ.get("HTTP_COOKIE") and pagecache.is_personal(WSGIRequest(environ.copy())):
            return None
        key = page_key(environ)
        return None if key is None else pagecache.lookup(key, local=EDGE_FETCH not in environ)

    def render(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """Let Django answer; when the middleware asks for the page to be kept, keep what Django sent."""
        sent: list = []

        def capture(status: str, headers: list, exc_info: object = None) -> Callable[[bytes], object]:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        kept = environ.get(pagecache.FRONT_KEEP)
        if kept is None or not sent:
            return result
        key, entry, lifetime = kept
        headers = sent[1]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result  # set by the stack around the page: never shared
        if not sent[0].startswith("200 "):
            # A 304 for this asker carries neither the page's bytes nor its headers: the middleware's copy is
            # kept instead, and answered by the middleware, inside the stack, until a 200 replaces it.
            if sent[0].startswith("304 "):
                cache.set(key, entry, lifetime)
            return result
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        stored = [(name, value) for name, value in headers if name.lower() not in pagecache.NOT_STORED]
        final = {**entry, "status_line": sent[0], "headers": stored, "content": content, "final": True}
        cache.set(key, final, lifetime)
        return [content]
