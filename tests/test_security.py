"""Headers and error pages every response carries, checked as a browser would receive them."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    article = ArticleFactory(published=True)
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_production_settings_secure_cookies_and_send_hsts(settings):
    # The settings module derives these from DEBUG at import; tests run with DEBUG off.
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000


def test_hsts_header_is_sent_over_https(client):
    response = client.get(reverse("articles:home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_server_error_shows_the_sites_own_page(settings):
    settings.ROOT_URLCONF = "tests.urls_broken"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_settings_refuse_to_start_in_production_without_a_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_browsers_asking_for_favicon_ico_get_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


@pytest.mark.parametrize("url", [reverse("articles:home"), "/no-such-page/", reverse("admin:login"), "/robots.txt"])
def test_every_response_refuses_the_browser_features_no_page_uses(client, url):
    response = client.get(url)

    policy = {item.strip() for item in response["Permissions-Policy"].split(",")}
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ):
        assert f"{feature}=()" in policy
    # interest-cohort (FLoC) was withdrawn; browsers warn about features they do not know.
    assert not any(item.startswith("interest-cohort") for item in policy)
