"""The site's URLs: the admin, then each app's own routes."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from articles.caching import sitemap_page
from articles.sitemaps import NEWS_WINDOW, news_sitemap, sitemap_index, sitemap_section
from newsroom import views
from newsroom.media import serve_media
from newsroom.robots import robots_txt

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Publishing"

# A post too large to read is answered with a page that says so (413), other bad requests as before.
handler400 = "newsroom.errors.bad_request"
# A database that cannot be reached answers 503 with Retry-After; other errors the usual 500 page.
handler500 = "newsroom.errors.server_error"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin's; the answer is the site's."""

    # Not permanent: the hashed file name changes with the icon, and browsers keep a 301 for good.
    permanent = False

    def get_redirect_url(self, *args, **kwargs) -> str:
        # Resolved per request, not at import: the hashed name comes from the manifest collectstatic writes.
        return static("favicon.svg")


# Uploads on this machine's disk, with DEBUG on or off: see newsroom/media.py. With object storage, MEDIA_URL is
# the bucket's or CDN's address and readers never ask this site for media.
media_patterns = (
    [path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", serve_media, name="media")]
    if settings.MEDIA_URL.startswith("/")
    else []
)

urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("robots.txt", robots_txt, name="robots_txt"),
    # An index listing one sitemap per kind of page, each split into pages of a block of ids (articles/sitemaps.py).
    path("sitemap.xml", sitemap_page(sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", sitemap_page(sitemap_section), name="sitemap_section"),
    path("news-sitemap.xml", sitemap_page(news_sitemap, news_window=NEWS_WINDOW), name="news_sitemap"),
    # Before the admin's own URLs, whose catch-all would answer these addresses with a 404.
    # NEWSROOM_ADMIN_PATH moves the admin (and its password reset) elsewhere; robots.txt follows it.
    path(f"{settings.ADMIN_PATH}password_reset/", include("newsroom.password_reset")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("authors/", include("authors.urls")),
    path("comments/", include("comments.urls")),
    path("pages/<slug:slug>/", include(([path("", views.page_detail, name="detail")], "pages"))),
    *media_patterns,
    path("", include("articles.urls")),
]
