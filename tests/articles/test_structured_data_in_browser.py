"""Structured data in a real Chromium under the site's Content-Security-Policy: JSON-LD is data, so the policy that
forbids inline script neither blocks nor reports it, and no headline can turn it into a script that runs."""

import pytest
from playwright.sync_api import Page

from articles.models import Article
from tests.factories import ArticleFactory

# The live server is another thread: the data must be committed for it to see.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "</script><script>alert(1)</script> <!-- x"


def test_json_ld_passes_the_content_security_policy_and_runs_nothing(page: Page, browser_errors: list[str]) -> None:
    story = ArticleFactory(published=True, headline=HOSTILE, article_type=Article.Type.OPINION, tags=[HOSTILE])

    response = page.goto(story.get_absolute_url())

    assert response is not None and response.ok
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # One script element, the JSON-LD, holding the headline as text: the browser parsed no second one.
    assert page.eval_on_selector_all("script", "scripts => scripts.map(s => s.type)") == ["application/ld+json"]
    graph = page.eval_on_selector('script[type="application/ld+json"]', "s => JSON.parse(s.textContent)")
    article = graph["@graph"][0]
    assert (article["@type"], article["headline"], article["keywords"]) == ("OpinionNewsArticle", HOSTILE, [HOSTILE])
    assert page.get_by_role("heading", level=1).text_content() == HOSTILE
    # A CSP violation, an uncaught error or an alert() would each be logged here.
    assert browser_errors == []
