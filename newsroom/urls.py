"""The site's URLs: the admin, then each app's own routes."""

from django.conf import settings
from django.conf.urls.static import static as file_serving_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from articles.caching import sitemap_page
from articles.sitemaps import NEWS_WINDOW, SITEMAPS, news_sitemap
from newsroom import views
from newsroom.robots import robots_txt

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Publishing"

# A post too large to read is answered with a page that says so (413), other bad requests as before.
handler400 = "newsroom.errors.bad_request"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin's; the answer is the site's."""

    # Not permanent: the hashed file name changes with the icon, and browsers keep a 301 for good.
    permanent = False

    def get_redirect_url(self, *args, **kwargs) -> str:
        # Resolved per request, not at import: the hashed name comes from the manifest collectstatic writes.
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("robots.txt", robots_txt, name="robots_txt"),
    # An index listing one sitemap per kind of page, each split into pages of Sitemap.limit URLs.
    path(
        "sitemap.xml",
        sitemap_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_page(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("news-sitemap.xml", sitemap_page(news_sitemap, news_window=NEWS_WINDOW), name="news_sitemap"),
    # Before the admin's own URLs, whose catch-all would answer these addresses with a 404.
    path("admin/password_reset/", include("newsroom.password_reset")),
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("comments/", include("comments.urls")),
    path("pages/<slug:slug>/", include(([path("", views.page_detail, name="detail")], "pages"))),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Only the development server serves uploads; production puts media behind the web
    # server or object storage. django.conf.urls.static.static is imported under another name: a second
    # `static` here once replaced the favicon view's URL helper, and /favicon.ico failed with DEBUG on.
    urlpatterns += file_serving_patterns(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
