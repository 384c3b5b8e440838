"""/corrections/: every correction and update note across the site, newest first, with its own feeds."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.demo import ensure_pages
from articles.models import Correction
from newsroom.models import Page
from newsroom.templatetags.machine_time import machine_datetime
from tests.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("articles:corrections")
FEEDS = [reverse("articles:corrections_feed"), reverse("articles:corrections_feed_atom")]


def note(hours_ago: float, **kwargs) -> Correction:
    return CorrectionFactory(created_at=timezone.now() - timedelta(hours=hours_ago), **kwargs)


def listed_headlines(html: str) -> list[str]:
    return re.findall(r'<h2 class="corrections-log__headline" dir="auto"><a href="[^"]*">([^<]*)</a>', html)


def test_every_note_across_the_site_is_listed_newest_first_with_its_kind_date_and_story(client):
    election = ArticleFactory(published=True, headline="Election date set")
    bridge = ArticleFactory(published=True, headline="Bridge reopens")
    first = note(5, article=election, text="An earlier version gave the wrong date. It is 12 May.")
    second = note(3, article=bridge, kind=Correction.Kind.UPDATE, text="The bridge reopened at noon.")
    third = note(1, article=election, kind=Correction.Kind.UPDATE, text="Turnout figures added.")

    html = client.get(PAGE).content.decode()

    assert listed_headlines(html) == ["Election date set", "Bridge reopens", "Election date set"]
    for item in (first, second, third):
        assert f'href="{item.article.get_absolute_url()}#correction-{item.pk}"' in html
        assert item.text in html
    log = html[html.index('<ol class="corrections-log">') :]
    assert log.count("<strong>Update</strong>") == 2 and log.count("<strong>Correction</strong>") == 1
    when = timezone.localtime(first.created_at)
    assert f'<time datetime="{machine_datetime(when)}">' in html  # to the second, no microseconds


def test_the_corrections_page_is_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    story = ArticleFactory(published=True)
    oldest = note(3, article=story, text="Oldest note.")
    note(2, article=story), note(1, article=story)

    first_page = client.get(PAGE).content.decode()
    assert "Oldest note." not in first_page
    assert 'rel="next" href="?page=2"' in first_page
    assert oldest.text in client.get(PAGE, {"page": 2}).content.decode()
    assert client.get(PAGE, {"page": "abc"}).status_code == 200


def test_a_site_without_notes_says_so(client):
    ArticleFactory(published=True)
    assert "No corrections or updates yet." in client.get(PAGE).content.decode()


def test_a_note_is_plain_text_escaped_on_the_page_and_in_the_feeds(client):
    story = ArticleFactory(published=True, headline="Tom & Jerry <b>return</b>")
    CorrectionFactory(article=story, text='<script>alert("x")</script>\n\nSecond paragraph.')

    html = client.get(PAGE).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Tom &amp; Jerry &lt;b&gt;return&lt;/b&gt;" in html
    for url in FEEDS:
        entry = feedparser.parse(client.get(url).content).entries[0]
        assert entry.title == "Correction: Tom & Jerry <b>return</b>", url
        # Shown as text: unescaped, it would be markup, which feed readers (and feedparser) strip.
        assert "&lt;script&gt;alert" in entry.summary, url


@pytest.mark.parametrize("count", [1, 12])
def test_the_corrections_page_costs_three_queries_whatever_the_notes(client, django_assert_num_queries, count):
    for _ in range(count):
        CorrectionFactory(article=ArticleFactory(published=True))
    with django_assert_num_queries(3, info="count, the page of notes with their stories, section nav"):
        response = client.get(PAGE)
    assert len(listed_headlines(response.content.decode())) == min(count, 10)


# Feeds ---------------------------------------------------------------------------------------


def test_the_corrections_feeds_parse_and_carry_each_note_at_its_place_in_the_story(client):
    story = ArticleFactory(published=True, headline="Election date set")
    correction = note(2, article=story, text="The vote is on 12 May.")
    update = note(1, article=story, kind=Correction.Kind.UPDATE, text="Turnout figures added.")

    for url in FEEDS:
        response = client.get(url)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
        assert parsed.feed.title == "Corrections and updates · Newsroom", url
        assert parsed.feed.link == "http://testserver/corrections/", url
        assert [entry.title for entry in parsed.entries] == [
            "Update: Election date set",
            "Correction: Election date set",
        ], url
        links = [entry.link for entry in parsed.entries]
        assert links == [
            f"http://testserver{story.get_absolute_url()}#correction-{update.pk}",
            f"http://testserver{story.get_absolute_url()}#correction-{correction.pk}",
        ], url
        assert len({entry.id for entry in parsed.entries}) == 2, url  # one entry a note, not a story
        assert "The vote is on 12 May." in parsed.entries[1].summary, url
        assert [tag.term for tag in parsed.entries[0].tags] == ["Update"], url
        assert parsed.entries[0].published_parsed is not None, url


@pytest.mark.parametrize("count", [1, 25])
def test_the_corrections_feeds_cost_one_query_whatever_the_notes(client, django_assert_num_queries, count, settings):
    for _ in range(count):
        CorrectionFactory(article=ArticleFactory(published=True))
    for url in FEEDS:
        with django_assert_num_queries(1, info="the notes with their stories"):
            response = client.get(url)
        assert len(feedparser.parse(response.content).entries) == min(count, settings.FEED_ITEMS)


def test_the_corrections_page_links_its_feeds(client):
    html = client.get(PAGE).content.decode()
    title = "Corrections and updates · Newsroom"
    assert f'<link rel="alternate" type="application/rss+xml" title="{title}" href="/corrections/feed/">' in html
    atom = f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" href="/corrections/feed/atom/">'
    assert atom in html


# Where readers find it -----------------------------------------------------------------------


def test_the_footer_links_the_corrections_page_right_after_the_corrections_policy(client):
    Page.objects.create(title="About us", slug="about", body="<p>.</p>", position=1)
    Page.objects.create(title="Corrections policy", slug="corrections", body="<p>.</p>", position=2)
    Page.objects.create(title="Privacy", slug="privacy", body="<p>.</p>", position=3)

    footer = client.get(reverse("articles:home")).content.decode().split('<footer class="site-footer">')[1]

    links = re.findall(r'<li><a href="([^"]*)">', footer)
    assert links == ["/pages/about/", "/pages/corrections/", "/corrections/", "/pages/privacy/"]


def test_without_a_corrections_policy_the_footer_still_links_the_corrections_page(client):
    footer = client.get(reverse("articles:home")).content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/corrections/">Corrections and updates</a>' in footer
    assert "corrections policy" not in client.get(PAGE).content.decode()


def test_the_corrections_page_links_the_corrections_policy_when_there_is_one(client):
    Page.objects.create(title="Corrections policy", slug="corrections", body="<p>.</p>")
    assert 'Read our <a href="/pages/corrections/">corrections policy</a>.' in client.get(PAGE).content.decode()


def test_the_demo_corrections_policy_links_the_corrections_page(client):
    ensure_pages()
    html = client.get(reverse("pages:detail", kwargs={"slug": "corrections"})).content.decode()
    assert 'href="/corrections/"' in html.split("<main")[1]
