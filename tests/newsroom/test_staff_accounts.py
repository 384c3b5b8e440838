"""Staff accounts hold: passwords Django's validators accept, a session that ends when the password changes
elsewhere, and an admin that can live at another address."""

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

import newsroom.urls
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("short1!", "This password is too short"),
        ("password123", "This password is too common"),
        ("48151623429876", "This password is entirely numeric"),
        ("dana-desk-editor", "The password is too similar to the"),
    ],
)
def test_the_admin_refuses_a_weak_new_password(desk_editor, weak, reason):
    desk_editor.first_name, desk_editor.email = "Dana", "dana-desk-editor@example.com"
    desk_editor.save()
    client = Client()
    client.force_login(desk_editor)

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )

    assert response.status_code == 200
    assert reason in response.content.decode()
    desk_editor.refresh_from_db()
    assert desk_editor.check_password(PASSWORD)


def test_the_admin_sets_a_new_password_when_it_is_strong(desk_editor):
    client = Client()
    client.force_login(desk_editor)
    strong = "quiet-lantern-harbour-91"

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )

    assert response.status_code == 302
    desk_editor.refresh_from_db()
    assert desk_editor.check_password(strong)


def test_changing_the_password_ends_the_accounts_other_sessions(desk_editor):
    laptop, phone = Client(), Client()
    laptop.force_login(desk_editor)
    phone.force_login(desk_editor)
    index = reverse("admin:index")
    assert phone.get(index).status_code == 200
    strong = "quiet-lantern-harbour-91"

    laptop.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )

    assert laptop.get(index).status_code == 200  # the session that changed it stays signed in
    signed_out = phone.get(index)
    assert signed_out.status_code == 302
    assert signed_out.url.startswith(reverse("admin:login"))


@pytest.fixture
def admin_at_desk(settings):
    """The URLs as a site with NEWSROOM_ADMIN_PATH=desk/ has them; Django's own afterwards."""
    settings.ADMIN_PATH = "desk/"
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_the_admin_can_live_at_another_address(admin_at_desk, client, admin_user):
    assert reverse("admin:index") == "/desk/"
    assert client.get("/desk/login/").status_code == 200
    assert client.get("/desk/password_reset/").status_code == 200
    assert client.get("/admin/login/").status_code == 404

    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /desk/" in robots
    assert "/admin/" not in robots

    UserFactory(username="chief", is_staff=True, is_superuser=True)
    signed_in = client.post("/desk/login/", {"username": "chief", "password": PASSWORD, "next": "/desk/"})
    assert signed_in.status_code == 302
    assert client.get("/desk/").status_code == 200


def test_an_admin_path_that_is_not_a_plain_path_stops_the_site_at_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_ADMIN_PATH": "//evil.example/"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "NEWSROOM_ADMIN_PATH" in result.stderr
