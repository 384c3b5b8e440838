"""The URLconf as the run command loads it, with DEBUG on: the favicon and uploads both answer."""

import importlib
from collections.abc import Iterator

import pytest
from django.urls import clear_url_caches

import newsroom.urls
from tests.images.files import image_bytes


@pytest.fixture
def debug_urls(settings) -> Iterator[None]:
    """newsroom.urls read again with DEBUG on, as `manage.py runserver` with DJANGO_DEBUG=1 reads it at start-up;
    the module runs its DEBUG branch only on import, so flipping the setting alone would test nothing."""
    settings.DEBUG = True
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_favicon_redirects_to_the_site_icon_on_the_development_server(client, debug_urls):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


def test_development_server_serves_uploads(client, debug_urls, settings):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "dot.png").write_bytes(image_bytes((4, 4)))

    response = client.get(f"{settings.MEDIA_URL}images/dot.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes((4, 4))
