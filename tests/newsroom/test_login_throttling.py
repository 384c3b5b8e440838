"""Guessing a staff password: after five failures for one account or from one address, logins are refused for
fifteen minutes, even with the right password, on every app server, until the cool-off ends or an administrator
lifts the lock."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
LIMIT = 5


def attempt(client: Client, username: str, password: str, address: str = "192.0.2.10", **headers: str):
    """One login as a browser sends it, from `address`."""
    return client.post(
        LOGIN, {"username": username, "password": password, "next": INDEX}, REMOTE_ADDR=address, **headers
    )


def signed_in(client: Client) -> bool:
    return client.get(INDEX).status_code == 200


@pytest.fixture
def staff(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_thirty_wrong_passwords_lock_the_account_after_five_and_the_right_one_is_then_refused(client, staff):
    statuses = [attempt(client, "admin", f"guess-{n}").status_code for n in range(30)]

    assert statuses == [200] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    refused = attempt(client, "admin", PASSWORD)
    assert refused.status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_says_why_and_for_how_long_without_naming_the_account(client, staff):
    for n in range(LIMIT):
        response = attempt(client, "admin", f"guess-{n}")

    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed sign-ins" in page
    assert "try again in 15 minutes" in page
    assert "admin" not in page.replace("administrator", "")
    assert "Traceback" not in page
    assert '<section class="error-page">' in page  # the site's own error page layout


def test_the_right_password_works_again_once_the_cool_off_has_passed(client, staff):
    for n in range(LIMIT):
        attempt(client, "admin", f"guess-{n}")
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert attempt(client, "admin", PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert attempt(client, "admin", PASSWORD).status_code == 302
        assert signed_in(client)


def test_an_administrator_lifts_the_lock_with_axes_reset_username(client, staff):
    for n in range(LIMIT):
        attempt(client, "admin", f"guess-{n}")
    assert attempt(client, "admin", PASSWORD).status_code == 429

    call_command("axes_reset_username", "admin")

    assert attempt(client, "admin", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_administrator_sees_the_locked_account_in_the_admin_and_deleting_it_lifts_the_lock(client, staff):
    UserFactory(username="dana", is_staff=True)
    for n in range(LIMIT):
        attempt(client, "dana", f"guess-{n}", address="198.51.100.1")
    superuser = Client()
    superuser.force_login(staff)
    listing = superuser.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "dana" in listing.content.decode()

    record = AccessAttempt.objects.get(username="dana")
    superuser.post(reverse("admin:axes_accessattempt_delete", args=[record.pk]), {"post": "yes"})

    assert attempt(Client(), "dana", PASSWORD, address="198.51.100.1").status_code == 302


def test_spraying_several_accounts_from_one_address_locks_the_address(client, staff):
    UserFactory(username="alice", is_staff=True)
    UserFactory(username="bob", is_staff=True)
    for n in range(3):
        attempt(client, "alice", f"guess-{n}", address="203.0.113.5")
    for n in range(2):
        attempt(client, "bob", f"guess-{n}", address="203.0.113.5")

    # Neither account has failed five times, but the address has: nobody signs in from it.
    assert attempt(Client(), "admin", PASSWORD, address="203.0.113.5").status_code == 429
    # From elsewhere both accounts still work.
    assert attempt(Client(), "alice", PASSWORD, address="198.51.100.7").status_code == 302
    assert attempt(Client(), "bob", PASSWORD, address="198.51.100.8").status_code == 302


def test_guessing_one_account_from_several_addresses_locks_the_account(client, staff):
    for n, address in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.1", "203.0.113.2"]):
        attempt(Client(), "admin", f"guess-{n}", address=address)

    # No address has failed five times, but the account has: it is locked wherever the login comes from.
    assert attempt(Client(), "admin", PASSWORD, address="198.51.100.9").status_code == 429
    UserFactory(username="alice", is_staff=True)
    assert attempt(Client(), "alice", PASSWORD, address="203.0.113.1").status_code == 302


def test_behind_a_proxy_the_reader_address_is_counted_and_a_forged_header_changes_nothing(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        # Each time a different invented address on the left, which only the client wrote.
        forwarded = f"6.6.6.{n}, 203.0.113.5"
        attempt(Client(), f"nobody-{n}", "guess", address=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    locked = attempt(Client(), "admin", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.5")
    assert locked.status_code == 429
    assert AccessAttempt.objects.filter(ip_address="203.0.113.5").count() == LIMIT
    # Another reader behind the same proxy is not the one guessing, and signs in.
    other = attempt(Client(), "admin", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302


def test_the_lock_is_kept_in_the_database_every_app_server_reads(client, staff):
    # Failures recorded by another app server are rows in the shared database, not this process's memory.
    AccessAttempt.objects.create(
        username="admin",
        ip_address="198.51.100.50",
        user_agent="elsewhere",
        failures_since_start=LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info=LOGIN,
    )

    assert attempt(client, "admin", PASSWORD, address="192.0.2.99").status_code == 429


def test_a_locked_out_address_cannot_send_password_reset_emails_either(client, staff):
    staff.email = "admin@example.com"
    staff.save()
    for n in range(LIMIT):
        attempt(client, f"nobody-{n}", "guess", address="203.0.113.5")

    refused = client.post(reverse("admin_password_reset"), {"email": "admin@example.com"}, REMOTE_ADDR="203.0.113.5")

    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert mail.outbox == []
    allowed = client.post(reverse("admin_password_reset"), {"email": "admin@example.com"}, REMOTE_ADDR="192.0.2.1")
    assert allowed.status_code == 302
    assert len(mail.outbox) == 1


def test_setting_a_new_password_from_the_emailed_link_lifts_the_accounts_lock(client, staff):
    staff.email = "admin@example.com"
    staff.save()
    for n in range(LIMIT):
        attempt(Client(), "admin", f"guess-{n}", address=f"203.0.113.{n}")
    client.post(reverse("admin_password_reset"), {"email": "admin@example.com"}, REMOTE_ADDR="192.0.2.1")
    link = re.search(r"https?://testserver(/\S+/password_reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR="192.0.2.1").url
    new = "a-long-new-passphrase-17"
    done = client.post(form_url, {"new_password1": new, "new_password2": new}, REMOTE_ADDR="192.0.2.1")
    assert done.status_code == 302

    assert attempt(Client(), "admin", new, address="192.0.2.1").status_code == 302


@pytest.mark.parametrize(
    "form",
    [
        {"username": "admin"},
        {"password": "x"},
        {"username": "a" * 10_000, "password": "x"},
        {"username": "ad\x00min", "password": "x"},
        {"username": "admin", "password": "x" * 100_000},
        {"username": ["admin", "other"], "password": "x"},
    ],
)
def test_odd_login_posts_get_the_form_back_never_a_server_error(staff, form):
    client = Client(raise_request_exception=False)
    for _ in range(LIMIT + 1):
        response = client.post(LOGIN, form, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="M" * 5000)
        assert response.status_code in {200, 429}


@pytest.mark.parametrize("address", ["", "not-an-address", "2001:db8::1", "::ffff:192.0.2.1"])
def test_any_client_address_is_counted_without_a_server_error(staff, address):
    client = Client(raise_request_exception=False)
    statuses = [attempt(client, "admin", f"guess-{n}", address=address).status_code for n in range(LIMIT + 1)]

    assert statuses == [200] * (LIMIT - 1) + [429] * 2
