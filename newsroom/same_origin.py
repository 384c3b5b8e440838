"""Is a POST sent from one of this site's own pages? The check that replaces the CSRF cookie on forms whose
pages are cached and shared (the comment form; see docs/caching.md).

A cross-site request forgery needs a victim's browser, and every browser in use says where a POST comes
from: `Sec-Fetch-Site` (Chrome, Edge, Firefox, Safari since 2023) and `Origin` (sent on every cross-origin
POST by every current browser). Older browsers, and privacy settings that drop `Origin`, still send a
`Referer`, which the site's own Referrer-Policy (strict-origin-when-cross-origin) keeps on same-origin
posts. A request with none of the three did not come from a browser page at all (a script or a program),
which CSRF is not about: what protects the form from programs is its signed, dated, article-bound token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

# Sec-Fetch-Site values a form on this site's pages can produce: the page's own origin, or the user typing
# or bookmarking the address ("none"). "same-site" is a sibling subdomain, which is another site here.
_OWN = {"same-origin", "none"}


def is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says the request comes from a page of another site."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE", "").strip().lower()
    if fetch_site:
        return fetch_site not in _OWN
    origin = request.META.get("HTTP_ORIGIN", "").strip()
    if origin:
        return not _is_own_origin(request, origin)
    referer = request.META.get("HTTP_REFERER", "").strip()
    if referer:
        parts = urlsplit(referer)
        return not (parts.scheme and parts.netloc and _is_own_origin(request, f"{parts.scheme}://{parts.netloc}"))
    return False


def _is_own_origin(request: HttpRequest, origin: str) -> bool:
    # "null" (a sandboxed frame, a file: page, some redirects) never matches: it names no site.
    own = f"{request.scheme}://{request.get_host()}"
    trusted = {value.rstrip("/").lower() for value in settings.CSRF_TRUSTED_ORIGINS}
    origin = origin.rstrip("/").lower()
    return origin == own.lower() or origin in trusted
