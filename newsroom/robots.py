"""robots.txt: where the sitemaps are, and which addresses crawlers should leave alone."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

# A route argument's value while reversing a route for a rule; replaced by robots.txt's "*" after.
_PLACEHOLDER = "0"


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Every crawler may read the site except the admin and previews of unpublished stories.

    The rules are reversed from the routes, so moving the admin or a preview address moves its rule too.
    Previews also answer with `X-Robots-Tag: noindex`; this keeps well-behaved crawlers from fetching them.
    """
    disallowed = [
        reverse("admin:index"),
        _any_value("articles:preview", "pk"),
        _any_value("articles:shared_preview", "token"),
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        "",
        # The Sitemap line takes a full URL (https://www.sitemaps.org/protocol.html#submit_robots).
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _any_value(route: str, argument: str) -> str:
    """The route's path with its argument as "*", which matches any characters in a rule (RFC 9309, 2.2.3)."""
    path = reverse(route, kwargs={argument: _PLACEHOLDER})
    return path.replace(f"/{_PLACEHOLDER}/", "/*/", 1)
