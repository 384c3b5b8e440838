"""WSGI entry point; production serves it with gunicorn (`gunicorn newsroom.wsgi`).

Django sits behind the page cache's front (newsroom/pagecache_wsgi.py), which answers a cached public page
for an anonymous reader without going through Django at all."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from newsroom.pagecache_wsgi import PageCacheFront  # noqa: E402  (needs the settings configured above)

application = PageCacheFront(django_application)
