"""A staff member turns on two-factor sign-in in a real Chromium, as they would with their phone: the QR code
shows under the Content-Security-Policy, the secret typed into an "app" (computed here) gives the code, and the
next login asks for it. Then the same person guesses wrong five times and meets the lockout page."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str) -> str:
    """What an authenticator app shows now for the base32 `secret` (30-second steps, six digits)."""
    return f"{totp(base64.b32decode(secret), step=30, t0=0, digits=6):06d}"


@pytest.fixture
def clock():
    """The clock of this process, the live server's threads included, moved on by the test rather than waited for:
    a code works only once, and the app shows the next one 30 seconds later."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def test_a_staff_member_turns_on_two_factor_sign_in_and_the_login_then_asks_for_the_code(
    page: Page, browser_errors: list[str], clock
) -> None:
    UserFactory(username="dana", is_staff=True, is_superuser=True)
    log_in(page, "dana")

    page.get_by_role("link", name="Two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code holding the secret shown below")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth > 0", qr.element_handle())  # drawn, not blocked by the CSP
    secret = page.locator("code").inner_text()
    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is on")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("the code from your authenticator app if you have set one up")).to_be_visible()

    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    clock.shift(timedelta(seconds=60))
    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert browser_errors == []


def test_five_wrong_passwords_in_the_browser_end_on_the_lockout_page(page: Page, browser_errors: list[str]) -> None:
    UserFactory(username="dana", is_staff=True)
    page.goto("/admin/login/")
    for n in range(5):
        page.get_by_label("Username").fill("dana")
        page.get_by_label("Password").fill(f"guess-{n}")
        page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()
    expect(page.get_by_text("Please try again in 15 minutes")).to_be_visible()
    # Chromium reports the page's own status (429) as a failed load; nothing else may go wrong.
    assert [error for error in browser_errors if "status of 429" not in error] == []
