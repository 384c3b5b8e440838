"""Journeys through the site in a real Chromium, driven by Playwright against pytest-django's live server.

Each journey is a plain function taking a Page, so a later one can carry on from where another
ends (a moderator approving the comment a reader just posted, an editor publishing a story).
Every test also checks that the browser logged no error: a Content Security Policy violation is
logged as one, and the site allows no inline script or style.
"""

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from articles.models import Article, StatusChange
from comments.models import Comment
from roles.groups import apply_roles
from tests.browser import log_in
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ModeratorFactory,
    SectionFactory,
    UserFactory,
)
from tests.images.files import image_upload

# The live server is another thread, so the data must be committed for it to see: no
# transaction around each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    log_in(page, moderator_username)
    # The index says there is work waiting and links to the queue.
    page.get_by_role("link", name="Comments (1 pending)").click()
    row = page.get_by_role("row").filter(has_text=body[:40])
    expect(row.get_by_text("first comment from this email address")).to_be_visible()  # the rule that held it
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Approve selected comments")
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.get_by_text("1 comment approved.")).to_be_visible()


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


def test_editor_previews_a_draft_and_shares_it_with_a_colleague_without_a_login(
    page: Page, browser: Browser, live_server, browser_errors: list[str], admin_user
) -> None:
    draft = ArticleFactory(headline="Port strike talks resume", slug="port-strike-talks")
    log_in(page, admin_user.username)

    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    page.get_by_label("Headline").fill("Port strike talks resume on Monday")
    share_link = page.locator(".field-preview_links a[href*='/preview/']").last.get_attribute("href")
    page.get_by_role("button", name="Save and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Port strike talks resume on Monday")
    expect(page.get_by_role("status").filter(has_text="Preview — Draft, not published")).to_be_visible()

    colleague = browser.new_context(base_url=live_server.url)
    try:
        shared = colleague.new_page()
        response = shared.goto(share_link)
        assert response is not None and response.ok, response
        expect(shared.get_by_role("heading", level=1)).to_have_text("Port strike talks resume on Monday")
    finally:
        colleague.close()


# Editors and writers in the admin ------------------------------------------------------------

# A word processor's copy: classes, inline styles, spans, a list made of paragraphs, an image, a table
# and a script. What the body editor keeps of it is what the site's HTML policy allows.
WORD_PROCESSOR_PASTE = (
    '<p class="MsoNormal" style="margin:0cm;font-family:Calibri"><span style="color:#1F497D">From the '
    "<b>mayor</b>&#39;s office:</span></p>"
    '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·</span> '
    "<i>Two lanes</i> open at six</p>"
    '<img src="file:///C:/Users/press/image001.png"><table><tr><td>Toll</td><td>Free</td></tr></table>'
    "<script>alert(1)</script>"
)
# Google Docs wraps a copy in <b style="font-weight:normal"> and marks bold and italic with styles alone.
WEB_PAGE_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
    '<p dir="ltr" style="line-height:1.38"><span style="font-weight:700;color:#000000">Tolls</span>'
    '<span style="font-weight:400"> are </span><span style="font-style:italic">waived</span>'
    "<span> this week.</span></p></b>"
)


@pytest.fixture
def roles(transactional_db) -> None:
    """The Writer and Editor groups, made by the code their migration runs.

    Tables are emptied after each test here, which takes the rows that migrations made with them."""
    apply_roles(apps)


def body_editor(page: Page):
    """The rich-text editor's writing area (ProseMirror's content-editable element)."""
    editor = page.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_be_visible()
    return editor


def choose_in_autocomplete(page: Page, field: str, text: str) -> None:
    """Type into the admin's select2 box for `field` and pick the answer that matches."""
    page.locator(f".field-{field} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def paste(editor, html: str) -> None:
    """Paste HTML into the editor, as the browser delivers a paste from another program."""
    editor.evaluate(
        """(element, html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "pasted")
            element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }))
        }""",
        html,
    )


def editor_publishes(page: Page, *, headline: str) -> None:
    """An editor writes a story in the admin with every part a reader sees, and publishes it."""
    log_in(page, "dana", "/admin/articles/article/add/")
    page.get_by_label("Headline").fill(headline)
    page.get_by_label("Summary").fill("Two lanes open at six in the morning, a year after the bridge closed.")

    editor = body_editor(page)
    editor.click()
    page.keyboard.type("The bridge is open again")
    page.locator(".prose-menubar__selected").click()
    page.locator(".prose-menubar__option[data-name=heading2]").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Repairs took ")
    bold = page.get_by_role("button", name="bold", exact=True)
    bold.click()
    page.keyboard.type("a whole year")
    bold.click()
    page.keyboard.type(" and cost more than planned.")
    page.keyboard.press("Enter")
    paste(editor, WORD_PROCESSOR_PASTE)
    expect(editor.locator("strong", has_text="mayor")).to_be_visible()
    page.keyboard.press("Enter")
    paste(editor, WEB_PAGE_PASTE)
    expect(editor.locator("em", has_text="waived")).to_be_visible()
    pasted = page.locator("#id_body").input_value()
    for leftover in ("class=", "style=", "<span", "<img", "<table", "<script", "<b ", "Mso", "docs-internal"):
        assert leftover not in pasted, pasted
    assert "<strong>Tolls</strong> are <em>waived</em> this week." in pasted, pasted

    hero = image_upload("harbour.png", (1200, 675))
    page.locator("#id_hero_image").set_input_files(
        files=[{"name": "harbour.png", "mimeType": "image/png", "buffer": hero.read()}]
    )
    page.get_by_label("Alt text").fill("Cars crossing the reopened harbour bridge at dawn")
    page.get_by_label("Source name").fill("City Hall")
    page.get_by_label("Source url").fill("https://example.com/bridge")
    page.get_by_label("Section:").select_option(label="City")
    choose_in_autocomplete(page, "tags", "Transport")
    choose_in_autocomplete(page, "author", "Amadou Diallo")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")


@pytest.mark.usefixtures("roles")
def test_editor_writes_a_story_in_the_rich_text_editor_and_readers_see_it_on_the_home_page(
    page: Page, browser_errors: list[str]
) -> None:
    UserFactory(username="dana", is_staff=True, roles=["Editor"])
    AuthorFactory(name="Amadou Diallo")
    SectionFactory(name="City", slug="city")
    headline = "Harbour bridge reopens after a year of repairs"

    editor_publishes(page, headline=headline)

    article = Article.objects.get(headline=headline)
    assert article.is_published
    assert article.byline_authors[0].name == "Amadou Diallo"
    assert list(article.tags.names()) == ["Transport"]
    assert (article.hero_width, article.source_url) == (1200, "https://example.com/bridge")
    assert [(s.from_status, s.to_status, s.by.username) for s in StatusChange.objects.all()] == [
        ("draft", "published", "dana")
    ]
    assert "<h2>The bridge is open again</h2>" in article.body
    assert "<strong>a whole year</strong>" in article.body

    response = page.goto("/")
    assert response is not None and response.ok
    page.get_by_role("link", name=headline, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    expect(page.get_by_role("heading", level=2, name="The bridge is open again")).to_be_visible()
    expect(page.locator(".story strong", has_text="a whole year")).to_be_visible()
    expect(page.get_by_role("img", name="Cars crossing the reopened harbour bridge at dawn")).to_be_visible()
    assert browser_errors == []


@pytest.mark.usefixtures("roles")
def test_writer_submits_a_draft_for_review_and_cannot_publish_it(page: Page, browser_errors: list[str]) -> None:
    writer = UserFactory(username="wendy", is_staff=True, roles=["Writer"])
    AuthorFactory(name="Wendy Writer", user=writer)
    headline = "Night buses return to the harbour route"

    log_in(page, "wendy", "/admin/articles/article/add/")
    status = page.get_by_label("Status")
    expect(status.locator("option")).to_have_text(["Draft", "In review"])
    expect(page.locator("#id_published_at_0")).to_have_count(0)  # when it goes out is the editor's call
    expect(page.locator(".field-author .select2-selection")).to_contain_text("Wendy Writer")
    page.get_by_label("Headline").fill(headline)
    page.get_by_label("Summary").fill("The late-night service is back from Monday.")
    body_editor(page).click()
    page.keyboard.type("Buses run every half hour until two.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    page.get_by_label("Status").select_option(label="In review")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    article = Article.objects.get(headline=headline)
    assert (article.status, article.created_by) == (Article.Status.IN_REVIEW, writer)

    # Forced from a tampered page: the status field is given the option it never offered.
    page.get_by_label("Status").evaluate(
        "select => { select.add(new Option('Published', 'published')); select.value = 'published' }"
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist")).to_contain_text("Select a valid choice")

    # Forced through the list's actions, which offer no publishing.
    page.goto("/admin/articles/article/")
    expect(page.get_by_role("link", name=headline)).to_be_visible()
    actions = page.get_by_label("Action")
    expect(actions.locator("option")).to_have_text(["---------", "Submit selected drafts for review"])
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forced = page.request.post(
        "/admin/articles/article/",
        form={"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": str(article.pk)},
        headers={"Referer": page.url},
    )
    assert forced.ok  # the list again, with "no action selected"

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert not article.is_published
    assert [(s.from_status, s.to_status) for s in article.status_changes.all()] == [("draft", "review")]
    assert browser_errors == []


@pytest.mark.usefixtures("roles")
def test_editor_publishing_without_a_byline_is_told_at_the_top_and_keeps_the_chosen_picture(
    page: Page, browser_errors: list[str]
) -> None:
    UserFactory(username="dana", is_staff=True, roles=["Editor"])
    AuthorFactory(name="Amadou Diallo")
    headline = "Ferry timetable changes for the winter"

    log_in(page, "dana", "/admin/articles/article/add/")
    page.get_by_label("Headline").fill(headline)
    page.get_by_label("Summary").fill("Fewer crossings from November.")
    body_editor(page).click()
    page.keyboard.type("The last ferry leaves at nine.")
    hero = image_upload("ferry.png", (1200, 675))
    page.locator("#id_hero_image").set_input_files(
        files=[{"name": "ferry.png", "mimeType": "image/png", "buffer": hero.read()}]
    )
    page.get_by_label("Alt text").fill("The ferry at the quay")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".byline-errors")).to_contain_text("Put at least one author on the byline before publishing.")
    expect(page.locator("#id_hero_image_helptext")).to_contain_text("The picture you chose, ferry.png, is kept")
    choose_in_autocomplete(page, "author", "Amadou Diallo")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article = Article.objects.get(headline=headline)
    assert article.is_published
    assert (article.hero_width, article.hero_alt) == (1200, "The ferry at the quay")
    assert article.byline_authors[0].name == "Amadou Diallo"
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


@pytest.mark.usefixtures("roles")
def test_editor_deletes_a_story_with_comments_and_its_conversation_goes_with_it(
    page: Page, browser_errors: list[str]
) -> None:
    UserFactory(username="dana", is_staff=True, roles=["Editor"])
    article = ArticleFactory(published=True, headline="Duplicate: ferry timetable changes")
    first = CommentFactory(article=article, status=Comment.Status.APPROVED, body="Which ferries?")
    CommentFactory(article=article, parent=first, root=first, status=Comment.Status.APPROVED, body="All of them.")
    address = article.get_absolute_url()
    assert page.goto(address).ok

    log_in(page, "dana", f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_text("Are you sure you want to delete the article")).to_be_visible()
    # The summary says how much of the conversation goes.
    expect(page.get_by_role("listitem").filter(has_text="Comments: 2")).to_be_visible()
    expect(page.get_by_text("permission to delete")).to_have_count(0)
    page.get_by_role("button", name="Yes, I’m sure").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was deleted successfully")

    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.filter(article_id=article.pk).exists()
    assert browser_errors == []
    gone = page.goto(address)
    assert gone is not None and gone.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()  # the site's own 404 page
    assert [error for error in browser_errors if "404" not in error] == []


# A reader on a phone -------------------------------------------------------------------------------

PHONE = {"width": 375, "height": 667}


def long_story(headline: str) -> Article:
    """A story long enough that, on a phone, the comment form is thousands of pixels below the headline."""
    body = "".join(
        f"<p>Paragraph {n} of the story, long enough to wrap over several lines on a phone.</p>" for n in range(60)
    )
    article = ArticleFactory(published=True, headline=headline, body=body)
    for n in range(8):
        CommentFactory(article=article, status=Comment.Status.APPROVED, body=f"Earlier comment {n}. " * 20)
    return article


def send_comment(page: Page, *, name: str, email: str, body: str) -> None:
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("button", name="Post comment").click()


def test_a_reader_on_a_phone_lands_at_what_to_fix_and_then_at_their_comment(
    open_page: Callable[[], Page], browser_errors: list[str]
) -> None:
    article = long_story("Ferry timetable changes from June")
    CommentFactory(article=article, status=Comment.Status.APPROVED, email="ada@example.com")  # a known author
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url())

    send_comment(page, name="Ada", email="ada@", body="")

    expect(page).to_have_title(re.compile(r"^Error: Ferry timetable"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem with your comment")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()  # a screen reader starts there too
    assert page.evaluate("window.scrollY") > 2000  # it is the page, not its top, that moved
    for label, error in (("Comment", "This field is required."), ("Email", "Enter a valid email address.")):
        summary.get_by_role("link", name=f"{label}: {error}").click()
        field = page.get_by_role("textbox", name=label)
        expect(field).to_be_focused()
        expect(field).to_be_in_viewport()
        expect(page.locator(f"label[for='{field.get_attribute('id')}']")).to_be_in_viewport()
        expect(field).to_have_accessible_description(re.compile(re.escape(error)))

    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill("The 7:15 is gone, then.")
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get(body="The 7:15 is gone, then.")
    assert comment.status == Comment.Status.APPROVED
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()
    assert page.url.endswith(f"#comment-{comment.pk}")
    expect(page).not_to_have_title(re.compile("^Error"))

    # A first-time commenter's comment is held: they land at the message saying so.
    newcomer = open_page()
    newcomer.set_viewport_size(PHONE)
    newcomer.goto(article.get_absolute_url())
    send_comment(newcomer, name="Bea", email="bea@example.com", body="Will the night boat stay?")
    expect(newcomer.get_by_text("awaiting moderation")).to_be_in_viewport()
    assert browser_errors == []


def test_without_javascript_the_reader_still_lands_at_the_summary_and_its_links_reach_the_fields(
    browser: Browser, live_server
) -> None:
    article = long_story("Ferry timetable changes from June")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(article.get_absolute_url())
        send_comment(page, name="", email="ada@example.com", body="Will the night boat stay?")
        expect(page).to_have_title(re.compile(r"^Error: "))
        summary = page.get_by_role("alert").filter(has_text="There is a problem with your comment")
        expect(summary).to_be_in_viewport()
        summary.get_by_role("link", name="Name: This field is required.").click()
        expect(page.get_by_role("textbox", name="Name")).to_be_in_viewport()
        assert page.url.endswith("#id_name")
    finally:
        context.close()
