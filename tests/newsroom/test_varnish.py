"""The edge cache: a real varnishd with deploy/varnish/newsroom.vcl in front of a live server (tests/varnish.py)."""

import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.services import moderate_comments
from tests.factories import ArticleFactory, CommentFactory

# The live server answers from other threads, which see only committed rows; commits run the purges.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("page_cache")]


def test_a_second_anonymous_request_is_a_hit_at_the_edge_without_surrogate_keys_for_the_reader(varnish):
    story = ArticleFactory(published=True)
    first = varnish.get(story.get_absolute_url())
    second = varnish.get(story.get_absolute_url())
    assert (first.status, second.status) == (200, 200)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert second.body == first.body
    assert not {"xkey", "surrogate-key", "cache-tag", "set-cookie"} & second.header_names
    assert "s-maxage" in second.headers["cache-control"]


def test_approving_a_comment_shows_it_on_the_next_request_through_the_edge(varnish):
    story = ArticleFactory(published=True)
    comment = CommentFactory(article=story, body="Worth approving.")
    varnish.get(story.get_absolute_url())
    assert varnish.get(story.get_absolute_url()).headers["x-cache"] == "HIT"
    moderate_comments(Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED)
    after = varnish.get(story.get_absolute_url())
    assert after.headers["x-cache"] == "MISS"
    assert "Worth approving." in after.body
    assert varnish.get(story.get_absolute_url()).headers["x-cache"] == "HIT"


def test_an_editors_session_passes_the_edge_and_analytics_cookies_do_not(varnish, admin_user):
    story = ArticleFactory(published=True)
    staff = Client()
    staff.force_login(admin_user)
    session = staff.cookies["sessionid"].value
    varnish.get(story.get_absolute_url())
    for _ in range(2):
        answer = varnish.get(story.get_absolute_url(), Cookie=f"_ga=GA1.1.123; sessionid={session}")
        assert answer.headers["x-cache"] == "PASS"
        assert "private" in answer.headers["cache-control"]
    assert varnish.get(story.get_absolute_url(), Cookie="_ga=GA1.1.123").headers["x-cache"] == "HIT"


def test_pages_that_are_not_shared_are_not_kept_at_the_edge(varnish):
    for _ in range(2):
        missing = varnish.get("/articles/no-such-story/")
        assert missing.status == 404
        assert missing.headers["x-cache"] == "MISS"


def test_purging_by_key_needs_an_allowed_address_and_the_header(varnish):
    story = ArticleFactory(published=True)
    varnish.get(story.get_absolute_url())
    purged = varnish.request("/", method="PURGE", headers={"xkey-purge": f"article-{story.pk}"})
    assert purged.status == 200
    assert varnish.get(story.get_absolute_url()).headers["x-cache"] == "MISS"


def _sleep_until(when: datetime) -> None:
    time.sleep(max(0.0, (when - timezone.now()).total_seconds()))


def test_a_story_scheduled_just_after_the_home_page_expires_is_on_it_at_its_time_through_the_edge(varnish, settings):
    """The page's lifetime (2 s) ends before the story is due (4.5 s), but the edge must not serve the
    expired copy in grace once it is: its grace ends by the deadline too."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 2
    ArticleFactory(published=True, headline="Already out")
    due = timezone.now() + timedelta(seconds=4.5)
    ArticleFactory(status="published", published_at=due, headline="Due at its time")
    home = reverse("articles:home")
    before = varnish.get(home)
    assert "Already out" in before.body and "Due at its time" not in before.body
    _sleep_until(due + timedelta(seconds=0.3))
    assert "Due at its time" in varnish.get(home).body


def test_an_edge_copy_revalidated_by_the_application_still_ends_when_a_scheduled_story_is_due(varnish):
    """Varnish asks the application again (If-None-Match) when its copy ends, and the application's own copy
    answers 304 for a moment longer: that answer must not start the edge's copy a full lifetime afresh."""
    ArticleFactory(published=True, headline="Already out")
    began = timezone.now()
    due = began + timedelta(seconds=6.5)
    ArticleFactory(status="published", published_at=due, headline="Due at its time")
    home = reverse("articles:home")
    # The application keeps the page 5 s (a second before the story is due), under the address Varnish asks for.
    assert Client().get(home, HTTP_HOST=urlsplit(varnish.url).netloc)["X-Page-Cache"] == "miss"
    _sleep_until(began + timedelta(seconds=1.2))
    # From the application's copy, with its Age: the edge's copy ends with it, or up to a second sooner.
    assert varnish.get(home).headers["x-page-cache"] == "hit"
    _sleep_until(began + timedelta(seconds=4.6))  # the edge's copy has ended; the application's has not
    revalidated = varnish.get(home)  # If-None-Match, answered 304 from the application's copy
    assert "Due at its time" not in revalidated.body
    _sleep_until(due + timedelta(seconds=0.3))
    assert "Due at its time" in varnish.get(home).body
