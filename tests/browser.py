"""The browser every Playwright test drives: Debian's Chromium, launched once per module, with pages that
log what the browser reports as an error (CSP violations included). Registered as a plugin by
tests/conftest.py, so any test module may ask for `page`, `open_page` or `browser_errors`.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from tests.factories import PASSWORD

# Without the networking flags Chromium calls home at start and on a closed network logs the
# failures; there is no GPU, and a root user has no sandbox.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]
# Long enough for a cold start on a busy two-core CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as env:
        # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses
        # ORM calls from a thread where a loop runs. The tests call the ORM only between browser
        # steps, never from inside the loop, so the check is lifted while Playwright runs, for
        # the one module using it.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def browser_errors() -> list[str]:
    """What the browser logged as an error during the test, CSP violations included."""
    return []


@pytest.fixture
def open_page(browser: Browser, live_server, browser_errors: list[str]) -> Iterator[Callable[[], Page]]:
    """Opens pages in fresh browser contexts (no cookies: another person) whose relative URLs go to the live
    server; everything they log as an error lands in browser_errors."""
    contexts: list[BrowserContext] = []

    def open_one() -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                browser_errors.append(f"{message.location.get('url', '')}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: browser_errors.append(f"uncaught: {error}"))
        # A script that ran would most likely say so with alert(); none may.
        page.on("dialog", lambda dialog: (browser_errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        return page

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[[], Page]) -> Page:
    return open_page()


def log_in(page: Page, username: str, next_url: str = "/admin/") -> None:
    """Staff sign in through the admin's login form (every factory user has the same password)."""
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
