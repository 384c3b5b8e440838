"""manage.py cache_audit: random editorial changes, and no cached page ever differs from a fresh render.

Each change is followed by a render of every public page (purged, or compared with its cached copy), so the site
audited is as small as can still show every kind of page: two stories to a listing page, so the home page has a
second page, two sections, tags and authors (a page and a feed each), a lead story, a comment, a standing page,
the feeds and the sitemaps, about 30 pages. `max_stories` keeps it that size over a long run. The suite makes 16
changes; NEWSROOM_CACHE_AUDIT_CHANGES=1000 runs the issue's 1,000 (.ci/run does, on Redis and through varnishd).
"""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import LeadStory
from newsroom.models import Page
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

CHANGES = int(os.environ.get("NEWSROOM_CACHE_AUDIT_CHANGES", "16"))
MAX_STORIES = 7


@pytest.fixture
def newsroom_content(db, settings):
    """A compact newsroom with every kind of public page, listings of two stories a page."""
    settings.ARTICLES_PER_PAGE = 2
    sections = [SectionFactory(name=name, slug=name.lower()) for name in ("World", "Sport")]
    authors = [AuthorFactory() for _ in range(2)]
    stories = [
        ArticleFactory(
            published=number < 4,
            section=sections[number % 2],
            authors=[authors[number % 2]],
            tags=[f"topic-{number % 2}"],
        )
        for number in range(5)
    ]
    CommentFactory(article=stories[0], status="approved")
    LeadStory.objects.create(article=stories[1])
    Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>")


def audit(**options) -> str:
    out = StringIO()
    try:
        call_command("cache_audit", stdout=out, **options)
    except CommandError as failed:
        pytest.fail(f"{failed}\n{out.getvalue()}", pytrace=False)
    print(out.getvalue().splitlines()[-1])  # the pages compared and the seconds taken, for `pytest -s`
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache", "newsroom_content")
def test_no_cached_page_is_ever_stale_in_the_shared_redis_cache(redis_url):
    output = audit(changes=12, seed=12, max_stories=MAX_STORIES)
    assert "12 changes" in output
    assert output.rstrip().endswith(" 0 stale."), output


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache", "newsroom_content")
def test_no_page_is_ever_stale_on_redis_or_through_a_real_varnish(redis_url, varnish):
    output = audit(changes=CHANGES, seed=34, edge=varnish.url, max_stories=MAX_STORIES)
    assert f"{CHANGES} changes" in output
    assert output.rstrip().endswith(" 0 stale."), output


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache", "newsroom_content")
def test_the_audit_finds_a_page_left_stale_by_a_change_that_purged_nothing():
    """The audit can fail: a change made behind the purges' back (a raw update) is reported, and the command
    exits non-zero."""
    from articles.models import Article
    from comments.audit import CacheAudit, Report

    auditor = CacheAudit(seed=1, host="localhost")
    auditor.warm()
    Article.objects.published().update(headline="Changed behind the cache's back")
    report = Report()
    auditor.compare(report, "a raw update")
    assert report.stale and all("after a raw update" in line for line in report.stale)
    Article.objects.published().update(headline="Changed again behind its back")
    with pytest.raises(CommandError, match="stale pages"):
        call_command("cache_audit", changes=1, seed=5, stdout=StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache", "newsroom_content")
def test_the_audit_still_compares_the_address_of_a_story_gone_since_the_last_change():
    """A story deleted (or moved) leaves the list of pages, but a cached copy of its old address must not outlive
    it: the address is compared once more, after the change that took it away."""
    from articles.models import Article
    from comments.audit import CacheAudit, Report

    auditor = CacheAudit(seed=1, host="localhost")
    auditor.warm()
    story = Article.objects.published().first()
    Article.objects.filter(pk=story.pk).update(slug="moved-behind-the-caches-back")
    report = Report()
    auditor.compare(report, "a raw update")
    assert f"{story.get_absolute_url()} (application cache) after a raw update" in report.stale
