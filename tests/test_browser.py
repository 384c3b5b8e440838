"""Journeys through the site in a real Chromium, driven by Playwright against pytest-django's live server.

Each journey is a plain function taking a Page, so a later one can carry on from where another
ends (a moderator approving the comment a reader just posted, an editor publishing a story).
Every test also checks that the browser logged no error: a Content Security Policy violation is
logged as one, and the site allows no inline script or style.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory

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


@pytest.fixture(autouse=True)
def _people_type_fast_here(settings) -> None:
    """Playwright fills a form in milliseconds, which the spam screen takes for a program; the
    live server runs in this process, so the setting reaches it. Every other rule stays on."""
    settings.COMMENTS_MIN_SECONDS = 0


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


def moderator_approves(page: Page, moderator_username: str, body: str) -> None:
    """A moderator logs in to the admin, finds the comment first in the queue and approves it."""
    page.goto("/admin/")
    page.get_by_label("Username").fill(moderator_username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    # The index says there is work waiting and links to the queue.
    page.get_by_role("link", name="Comments (1 pending)").click()
    row = page.get_by_role("row").filter(has_text=body[:40])
    expect(row.get_by_text("first comment from this email address")).to_be_visible()  # the rule that held it
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Approve selected comments")
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.get_by_text("1 comment approved.")).to_be_visible()


def test_reader_comment_waits_for_moderation(page: Page, browser_errors: list[str]) -> None:
    article = ArticleFactory(published=True, headline="Harbour bridge reopens after a year of repairs")
    body = "Took the bus over it this morning. Worth the wait."

    reader_comments(page, article, name="Ada Reader", email="ada@example.com", body=body)

    assert page.url.split("#")[0].endswith(article.get_absolute_url())
    comment = Comment.objects.get(article=article)
    assert (comment.name, comment.body, comment.status) == ("Ada Reader", body, Comment.Status.PENDING)
    # Not shown anywhere on the page, hidden markup included, until a moderator approves it.
    assert body not in page.content()
    assert browser_errors == []


def test_moderator_approves_and_the_reader_then_sees_the_comment(
    open_page: Callable[[], Page], browser_errors: list[str]
) -> None:
    article = ArticleFactory(published=True, headline="Night buses return to the ring road")
    moderator = ModeratorFactory(username="desk-moderator")  # the role alone, not a superuser
    body = "The 2 a.m. bus was full on its first night."
    reader = open_page()

    reader_comments(reader, article, name="Ada Reader", email="ada@example.com", body=body)
    moderator_approves(open_page(), moderator.username, body)
    reader.reload()

    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    shown = reader.locator(f"#comment-{comment.pk}")
    expect(shown).to_contain_text(body)
    expect(shown).to_contain_text("Ada Reader")
    expect(reader.get_by_role("heading", name="1 comment")).to_be_visible()
    assert browser_errors == []


def test_a_reply_appears_under_its_parent(page: Page, browser_errors: list[str]) -> None:
    article = ArticleFactory(published=True, headline="Library opens on Sundays")
    parent = CommentFactory(article=article, status=Comment.Status.APPROVED, name="Ada", body="At last!")
    # An earlier approved comment makes the replier a known author, published at once.
    CommentFactory(article=article, status=Comment.Status.APPROVED, email="bea@example.com")

    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Reply to Ada").click()
    expect(page.get_by_role("heading", name="Reply to Ada")).to_be_visible()
    page.get_by_role("textbox", name="Name").fill("Bea")
    page.get_by_role("textbox", name="Email").fill("bea@example.com")
    page.get_by_role("textbox", name="Comment").fill("And until eight in the evening.")
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    reply = Comment.objects.get(parent=parent)
    assert page.url.endswith(f"#comment-{reply.pk}")  # the reader lands on their reply
    nested = page.locator(f"#comment-{parent.pk} > .comment-replies > #comment-{reply.pk}")
    expect(nested).to_contain_text("And until eight in the evening.")
    expect(nested.get_by_role("link", name="Ada")).to_have_attribute("href", f"#comment-{parent.pk}")
    assert browser_errors == []


def test_a_hostile_comment_shows_as_text(page: Page, browser_errors: list[str]) -> None:
    article = ArticleFactory(published=True, headline="Council votes on the new bridge")
    CommentFactory(article=article, status=Comment.Status.APPROVED, email="eve@example.com")
    hostile = '<script>alert("body")</script><img src=x onerror=alert("img")> <b>bold?</b>'

    page.goto(article.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill('<img src=x onerror=alert("name")>')
    page.get_by_role("textbox", name="Email").fill("eve@example.com")
    page.get_by_role("textbox", name="Comment").fill(hostile)
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get(body=hostile)
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".comment__body")).to_have_text(hostile)
    expect(shown.locator(".comment__name")).to_have_text('<img src=x onerror=alert("name")>')
    assert shown.locator("img, script, b").count() == 0
    assert browser_errors == []  # no alert() ran, no CSP violation
