"""The admin on a 1280 px laptop, measured in a real Chromium: the lists and the article form fit the
screen without scrolling sideways, with data as long as a newsroom's gets (70-character headlines, long
screening rules, IPv6 addresses, bylines of several people)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Article
from comments.models import Comment
from tests.browser import log_in
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 13-inch laptop's browser window, the smallest screen the desk works on.
LAPTOP = {"width": 1280, "height": 800}
# 70 characters, the longest headline publishing allows (Article.publish_problems).
LONGEST_HEADLINE = "Wagner mercenaries quit Mali as Russia's Africa Corps takes over bases"
LONG_RULE = "moderation word: disinformation (held for a moderator to read it before it shows)"
IPV6 = "2001:0db8:85a3:0000:0000:8a2e:0370:7334"


@pytest.fixture
def laptop(open_page: Callable[[], Page]) -> Page:
    page = open_page()
    page.set_viewport_size(LAPTOP)
    return page


@pytest.fixture
def editor(transactional_db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def sideways_scrollers(page: Page) -> list[str]:
    """What scrolls sideways: the page itself, or the box the admin wraps a list's table in (which scrolls
    on its own rather than widen the page)."""
    return page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll(".results")]
            .filter(box => box.scrollWidth > box.clientWidth)
            .map(box => `${box.tagName}.${box.className}: ${box.scrollWidth} > ${box.clientWidth}`)"""
    )


def newsroom_articles() -> list[Article]:
    """Stories with the longest headline, a byline of three and a schedule, some with comments waiting."""
    section = SectionFactory(name="International affairs")
    byline = [AuthorFactory(name=name) for name in ("Marie-Christine Okonkwo-Abernathy", "Jean-Baptiste Ouédraogo")]
    byline.append(AuthorFactory(name="Anastasia Konstantinopoulou"))
    stories = [
        ArticleFactory(headline=f"{LONGEST_HEADLINE[:-2]} {n}", section=section, authors=byline, published=True)
        for n in range(10, 14)
    ]
    stories.append(
        ArticleFactory(
            headline=LONGEST_HEADLINE,
            section=section,
            authors=byline,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=3),
        )
    )
    for story in stories[:3]:
        CommentFactory.create_batch(2, article=story, status=Comment.Status.APPROVED)
        CommentFactory(article=story, status=Comment.Status.PENDING)
    return stories


def test_comment_queue_fits_a_laptop_screen(laptop: Page, editor, browser_errors: list[str]) -> None:
    stories = newsroom_articles()
    for story in stories:
        CommentFactory(
            article=story,
            name="Maximilian Alexander von Hohenberg-Wittelsbach",
            email="maximilian.alexander.von.hohenberg@correspondents.example.org",
            body="A long reader's comment " * 20,
            held_by_rule=LONG_RULE,
            ip_address=IPV6,
        )
    log_in(laptop, editor.username, "/admin/comments/comment/")
    for header in ("Status", "Rule", "Created", "IP"):
        column = laptop.locator("#result_list thead th").filter(has_text=header).first
        expect(column).to_be_visible()
        box = column.bounding_box()
        assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], header
    assert sideways_scrollers(laptop) == []
    assert browser_errors == []


def test_article_list_fits_a_laptop_screen(laptop: Page, editor, browser_errors: list[str]) -> None:
    newsroom_articles()
    log_in(laptop, editor.username, "/admin/articles/article/")
    expect(laptop.locator("#result_list tbody tr")).to_have_count(5)
    assert sideways_scrollers(laptop) == []
    assert browser_errors == []


def test_article_form_fits_a_laptop_screen(laptop: Page, editor, browser_errors: list[str]) -> None:
    """The headline box shows a whole 70-character headline and the signed preview link stays inside its
    row, so the form needs no sideways scrolling."""
    story = newsroom_articles()[0]
    log_in(laptop, editor.username, f"/admin/articles/article/{story.pk}/change/")
    headline = laptop.locator("#id_headline")
    headline.fill(LONGEST_HEADLINE)
    assert headline.evaluate("box => box.scrollWidth <= box.clientWidth")

    share_link = laptop.locator(".field-preview_links a").last
    row = laptop.locator(".field-preview_links")
    link_box, row_box = share_link.bounding_box(), row.bounding_box()
    assert link_box is not None and row_box is not None
    assert link_box["x"] + link_box["width"] <= row_box["x"] + row_box["width"]
    assert sideways_scrollers(laptop) == []
    assert browser_errors == []


def test_delete_is_kept_apart_from_save_and_preview(laptop: Page, editor, browser_errors: list[str]) -> None:
    story = ArticleFactory()
    log_in(laptop, editor.username, f"/admin/articles/article/{story.pk}/change/")
    row = laptop.locator(".submit-row")
    neighbours = row.locator("a.deletelink").evaluate(
        "link => [link.previousElementSibling, link.nextElementSibling].map(el => el && (el.value || el.textContent))"
    )
    assert "Save and preview" not in neighbours
    preview = row.get_by_role("button", name="Save and preview").bounding_box()
    delete = row.get_by_role("link", name="Delete").bounding_box()
    assert preview is not None and delete is not None
    # At least a button's width of room between them, so a slip of the pointer cannot reach Delete.
    assert delete["x"] - (preview["x"] + preview["width"]) >= preview["width"]
    assert browser_errors == []


def test_pending_count_on_the_index_opens_the_queue_at_pending(laptop: Page, editor, browser_errors: list[str]):
    story = ArticleFactory(published=True)
    CommentFactory(article=story, body="Waiting for a moderator to read it.", status=Comment.Status.PENDING)
    CommentFactory(article=story, body="Already on the site for everyone.", status=Comment.Status.APPROVED)
    log_in(laptop, editor.username)
    laptop.get_by_role("link", name="Comments (1 pending)").click()
    expect(laptop.locator("#changelist-filter li.selected").filter(has_text="Pending")).to_be_visible()
    expect(laptop.get_by_text("Waiting for a moderator")).to_be_visible()
    expect(laptop.get_by_text("Already on the site")).to_have_count(0)
    assert browser_errors == []
