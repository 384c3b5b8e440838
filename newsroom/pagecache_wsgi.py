"""The page cache's front door: a WSGI layer that answers a cache hit before Django sees the request.

A hit through Django costs the request object, the request_started/finished signals and every middleware
before PageCacheMiddleware, several times what reading the page costs. Here, in front of Django (newsroom/wsgi.py),
an anonymous GET or HEAD for a current stored page is answered with the page's stored status, headers and bytes:
one cache round trip (pagecache.lookup), no HttpResponse, no middleware.

It keeps every guarantee of the page cache because it decides nothing of its own:
- the address, the host check (ALLOWED_HOSTS) and what makes a reader's page personal are pagecache's own
  functions on a request made from the same environ; a refused host, a personal cookie, `Authorization` or
  any method but GET and HEAD goes to Django, which answers as it always does (a bad host is its 400);
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

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from newsroom import pagecache

StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]

CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


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
        # A copy: WSGIRequest rewrites PATH_INFO in the environ it is given, and Django will make its own.
        request = WSGIRequest(environ.copy())
        if pagecache.is_personal(request) or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return None
        try:
            key = pagecache.cache_key(request)
        except DisallowedHost:
            return None  # Django refuses the host, with its own 400 page
        return pagecache.lookup(key)

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
