"""Two-factor sign-in for staff: adding an authenticator app from the admin, the login asking for its codes, and
the setting that makes it required for superusers and editors. Codes are computed from the device's real key."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
TWO_FACTOR = reverse("admin:two_factor")


def code(device: TOTPDevice) -> str:
    """What the person's app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client: Client, username: str, password: str = PASSWORD, otp_token: str = ""):
    form = {"username": username, "password": password, "otp_token": otp_token, "next": INDEX}
    return client.post(LOGIN, form, REMOTE_ADDR="192.0.2.10")


@pytest.fixture
def clock():
    """A clock the test moves on: an app shows a new code every 30 seconds, and a code works only once."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def later(clock, seconds: int = 60) -> None:
    clock.shift(timedelta(seconds=seconds))


def enrolled(user, clock) -> TOTPDevice:
    """`user` with an authenticator app added through the two-factor page, as a person does it."""
    client = Client()
    client.force_login(user)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)
    assert client.post(TWO_FACTOR, {"otp_token": code(device)}).status_code == 302
    device.refresh_from_db()
    later(clock)
    return device


def test_a_staff_member_adds_an_authenticator_app_from_the_admin(client, desk_editor, clock):
    client.force_login(desk_editor)
    assert f'href="{TWO_FACTOR}"' in client.get(INDEX).content.decode()  # in the admin's user links

    page = client.get(TWO_FACTOR).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, allowed by the CSP's img-src data:
    device = TOTPDevice.objects.get(user=desk_editor, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", page).group(1)
    assert secret.rstrip("=") in unescape(device.config_url)

    done = client.post(TWO_FACTOR, {"otp_token": code(device)})

    assert done.status_code == 302 and done.url == INDEX
    device.refresh_from_db()
    assert device.confirmed
    # The secret is never shown again.
    again = client.get(TWO_FACTOR).content.decode()
    assert "Two-factor sign-in is on" in again
    assert secret not in again and "<img" not in again


def test_a_wrong_code_does_not_turn_two_factor_sign_in_on(client, desk_editor, clock):
    client.force_login(desk_editor)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=desk_editor)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post(TWO_FACTOR, {"otp_token": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_once_added_the_login_asks_for_the_code_as_well_as_the_password(desk_editor, clock):
    device = enrolled(desk_editor, clock)

    without_code = log_in(Client(), "dana")
    assert without_code.status_code == 200
    assert "the code from your authenticator app" in without_code.content.decode()
    later(clock, 5)
    wrong_code = log_in(Client(), "dana", otp_token="000000" if code(device) != "000000" else "111111")
    assert wrong_code.status_code == 200
    later(clock)

    client = Client()
    right = log_in(client, "dana", otp_token=code(device))
    assert right.status_code == 302
    assert client.get(INDEX).status_code == 200


def test_a_wrong_code_with_the_right_password_counts_towards_the_lockout(desk_editor, clock):
    device = enrolled(desk_editor, clock)
    for _ in range(5):
        later(clock, 5)
        log_in(Client(), "dana", otp_token="12345" + ("9" if code(device)[-1] != "9" else "8"))
    assert AccessAttempt.objects.get(username="dana").failures_since_start == 5

    later(clock)
    assert log_in(Client(), "dana", otp_token=code(device)).status_code == 429


def test_a_code_works_only_once(desk_editor, clock):
    device = enrolled(desk_editor, clock)
    used = code(device)
    assert log_in(Client(), "dana", otp_token=used).status_code == 302

    assert log_in(Client(), "dana", otp_token=used).status_code == 200


def test_staff_without_an_app_sign_in_with_the_password_alone_when_not_required(desk_editor):
    client = Client()
    assert log_in(client, "dana").status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["superusers", "editors"]


def test_when_required_an_editor_without_an_app_is_sent_to_add_one_before_anything_else(required, desk_editor, clock):
    client = Client()
    assert log_in(client, "dana").status_code == 302

    for url in (INDEX, reverse("admin:articles_article_changelist"), reverse("articles:home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"{TWO_FACTOR}?next=")
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200
    assert "Your role needs two-factor sign-in" in page.content.decode()

    device = TOTPDevice.objects.get(user=desk_editor)
    done = client.post(TWO_FACTOR, {"otp_token": code(device), "next": reverse("admin:articles_article_changelist")})
    assert done.url == reverse("admin:articles_article_changelist")
    assert client.get(INDEX).status_code == 200


def test_when_required_signing_in_with_the_code_opens_the_admin_at_once(required, desk_editor, clock):
    device = enrolled(desk_editor, clock)
    client = Client()

    assert log_in(client, "dana", otp_token=code(device)).status_code == 302

    assert client.get(INDEX).status_code == 200  # the session is confirmed by the code: no detour


def test_when_required_superusers_are_sent_too_but_writers_are_not(required, admin_user, writer):
    superuser, writer_client = Client(), Client()
    superuser.force_login(admin_user)
    writer_client.force_login(writer)

    assert superuser.get(INDEX).url.startswith(TWO_FACTOR)
    assert writer_client.get(INDEX).status_code == 200


def test_when_required_a_session_not_confirmed_by_a_code_asks_for_one(required, desk_editor, clock):
    device = enrolled(desk_editor, clock)
    client = Client()
    client.force_login(desk_editor)  # a session from before the app was added

    assert client.get(INDEX).url.startswith(TWO_FACTOR)
    page = client.get(TWO_FACTOR).content.decode()
    assert "Type the code your authenticator app shows" in page
    assert "<img" not in page  # no new secret

    assert client.post(TWO_FACTOR, {"otp_token": code(device)}).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_the_two_factor_page_never_sends_anyone_to_another_site(desk_editor, clock):
    client = Client()
    client.force_login(desk_editor)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=desk_editor)

    done = client.post(TWO_FACTOR, {"otp_token": code(device), "next": "https://evil.example/"})

    assert done.url == INDEX


def test_logging_out_is_never_blocked_by_the_requirement(required, desk_editor):
    client = Client()
    client.force_login(desk_editor)

    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(INDEX).url.startswith(LOGIN)


def test_readers_pages_do_not_read_the_session_for_the_requirement(required, client):
    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
