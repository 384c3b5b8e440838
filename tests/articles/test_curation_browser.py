"""The home page's lead and cards, and the related stories, as a reader's browser lays them out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from articles.models import Article, LeadStory
from tests.factories import ArticleFactory, SectionFactory
from tests.images.files import image_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Wagner mercenaries have officially left Mali after three and a half years of fighting insurgents. " * 4


def story(hours: float, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=hours), **kwargs
    )


def card_boxes(page: Page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """cards => cards.map(card => {
            const summary = card.querySelector('.card__summary');
            const box = card.getBoundingClientRect();
            return {top: Math.round(box.top), left: Math.round(box.left), width: Math.round(box.width),
                    summary: summary.getBoundingClientRect().height,
                    line: parseFloat(getComputedStyle(summary).lineHeight)};
        })""",
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_lead_opens_the_home_page_and_long_standfirsts_stay_within_three_lines(
    page: Page, browser_errors: list[str], few_renditions, width
):
    section = SectionFactory(name="World", slug="world")
    chosen = story(
        9, headline="The chosen lead", summary=LONG, section=section, hero_image=image_upload("h.png", (800, 450))
    )
    chosen.hero_alt = "A desert road"
    chosen.save(update_fields=["hero_alt"])
    for n in range(6):
        story(n + 1, headline=f"Story {n}", summary=LONG if n % 2 else "One short line.", section=section)
    LeadStory.objects.create(article=chosen)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/")

    lead = card_boxes(page, ".lead-story .card")
    cards = card_boxes(page, ".card-list .card")
    assert page.locator(".lead-story .card__headline").inner_text() == "The chosen lead"
    assert len(lead) == 1 and len(cards) == 6
    assert lead[0]["top"] < min(card["top"] for card in cards)
    for card in [*lead, *cards]:
        assert card["summary"] <= 3 * card["line"] + 1, card
    if width == 1280:
        # Three cards a row, their tops level.
        assert len({card["top"] for card in cards[:3]}) == 1
        assert lead[0]["width"] > cards[0]["width"] * 2
    assert browser_errors == []


def test_related_stories_show_as_cards_under_the_story(page: Page, browser_errors: list[str]):
    section = SectionFactory(name="World", slug="world")
    article = story(5, headline="The story", section=section, tags=["Mali"])
    for n in range(5):
        story(n + 1, headline=f"Related {n}", section=section, tags=["Mali"] if n < 2 else [])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(article.get_absolute_url())

    related = page.locator(".related")
    assert related.get_by_role("heading", level=2, name="Related stories").is_visible()
    assert related.locator(".card__headline").all_inner_texts() == ["Related 0", "Related 1", "Related 2", "Related 3"]
    # One row of four on a laptop.
    assert len({box["top"] for box in card_boxes(page, ".related .card")}) == 1
    assert browser_errors == []
