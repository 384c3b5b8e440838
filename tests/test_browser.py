"""Journeys through the site in a real Chromium, driven by Playwright against pytest-django's live server.

Each journey is a plain function taking a Page, so a later one can carry on from where another
ends (a moderator approving the comment a reader just posted, an editor publishing a story).
Every test also checks that the browser logged no error: a Content Security Policy violation is
logged as one, and the site allows no inline script or style.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import image_upload

# The live server is another thread, so the data must be committed for it to see: no
# transaction around each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
        # this module alone.
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
def page(browser: Browser, live_server, browser_errors: list[str]) -> Iterator[Page]:
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            browser_errors.append(f"{message.location.get('url', '')}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_errors.append(f"uncaught: {error}"))
    yield page
    context.close()


def reader_comments(page: Page, article: Article, *, name: str, email: str, body: str) -> None:
    """A reader finds the story on the home page, reads it and posts a comment.

    Ends on the article page the form redirected to, showing the confirmation."""
    response = page.goto("/")
    assert response is not None and response.ok, response
    # A "no CSP violations" check means nothing if no policy was sent.
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    page.get_by_role("link", name=article.headline, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.headline)

    # By role and label, as assistive technology finds them: the "Comments" section is labelled too.
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("awaiting moderation")).to_be_visible()


def test_reader_comment_waits_for_moderation(page: Page, browser_errors: list[str]) -> None:
    article = ArticleFactory(
        published=True,
        headline="Harbour bridge reopens after a year of repairs",
        hero_image=image_upload("bridge.png", (1600, 900)),
        hero_alt="The bridge at dawn",
        authors=[AuthorFactory(photo=image_upload("face.png", (400, 400)))],
    )
    body = "Took the bus over it this morning. Worth the wait."

    reader_comments(page, article, name="Ada Reader", email="ada@example.com", body=body)

    assert page.url.split("#")[0].endswith(article.get_absolute_url())
    comment = Comment.objects.get(article=article)
    assert (comment.name, comment.body, comment.status) == ("Ada Reader", body, Comment.Status.PENDING)
    # Not shown anywhere on the page, hidden markup included, until a moderator approves it.
    assert body not in page.content()
    # Chromium chose a WebP rendition from the <picture>, fetched it and drew it.
    hero = page.get_by_role("img", name="The bridge at dawn")
    expect(hero).to_have_js_property("complete", True)
    assert hero.evaluate("img => img.naturalWidth > 0 && img.currentSrc").endswith(".webp")
    assert browser_errors == []
