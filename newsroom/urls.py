"""The site's URLs: the admin, then each app's own routes."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Publishing"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Pages without an icon link (the admin's) make browsers ask for /favicon.ico. Resolved on request,
    # since the hashed name comes from the static files manifest.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("authors/", include("authors.urls")),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Only the development server serves uploads; production puts media behind the web
    # server or object storage.
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
