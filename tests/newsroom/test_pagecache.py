"""The page cache: anonymous readers share one cached copy of each public page, personal pages are never shared,
and a change purges exactly the pages that show it (newsroom/pagecache.py, newsroom/surrogate.py)."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.services import append_correction, publish_article, unpublish_article, withdraw_articles
from comments.cookies import REMEMBER_SALT
from comments.models import Comment
from comments.services import moderate_comments
from newsroom.models import Page
from newsroom.publication import current_publication
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def story():
    author = AuthorFactory(name="Ama Mensah", slug="ama")
    return ArticleFactory(published=True, headline="Port reopens", authors=[author], tags=["Shipping"])


def get(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def from_cache(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def keys(response) -> set[str]:
    return set(response["xkey"].split())


def public_urls(story) -> list[str]:
    tag = story.tags.get()
    return [
        reverse("articles:home"),
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:tag", args=[tag.slug]),
        story.byline_authors[0].get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:tag_feed", args=[tag.slug]),
        reverse("sitemap"),
        reverse("sitemap_section", args=["articles"]),
        reverse("news_sitemap"),
    ]


# Shared pages -----------------------------------------------------------------------------------------------


def test_a_second_anonymous_request_is_answered_from_the_cache_with_no_query(client, story, django_assert_num_queries):
    first = get(client, story.get_absolute_url())
    with django_assert_num_queries(0):
        second = get(client, story.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("stories", [1, 10])
def test_a_miss_costs_the_render_and_a_fixed_number_of_queries_more_whatever_the_rows(client, settings, stories):
    """Storing a listing asks when its next scheduled story is due (one query), the home page also when its lead
    ends (one more); an article page when the next story due in its section or tags would join its related
    stories (one)."""
    made = [ArticleFactory(published=True) for _ in range(stories)]
    for url, extra in ((reverse("articles:home"), 2), (made[0].get_absolute_url(), 1)):
        settings.NEWSROOM_PAGE_CACHE = False
        with CaptureQueriesContext(connection) as rendered:
            get(client, url)
        settings.NEWSROOM_PAGE_CACHE = True
        with CaptureQueriesContext(connection) as missed:
            assert get(client, url)["X-Page-Cache"] == "miss"
        assert len(missed) == len(rendered) + extra, url


def test_every_public_page_is_shared_without_cookies_and_says_so_to_edge_caches(client, story, settings):
    for url in public_urls(story):
        response = get(client, url)
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        control = response["Cache-Control"]
        assert "public" in control and "max-age=0" in control, (url, control)
        assert f"s-maxage={settings.NEWSROOM_PAGE_CACHE_SECONDS}" in control, (url, control)
        assert response["Surrogate-Key"] == response["xkey"]
        assert from_cache(get(client, url)), url


def test_the_article_page_names_everything_it_shows(client, story):
    tag = story.tags.get()
    author = story.byline_authors[0]
    assert keys(get(client, story.get_absolute_url())) == {
        f"article-{story.pk}",
        f"section-{story.section_id}",
        f"tag-{tag.pk}",
        f"author-{author.pk}",
        "publication",
        "sections",
        # Its related stories come from its section's and its tags' stories.
        f"list-section-{story.section_id}",
        f"list-tag-{tag.pk}",
    }


def test_listings_name_their_stories_and_themselves(client, story):
    other = ArticleFactory(published=True)
    home = keys(get(client, reverse("articles:home")))
    assert {"list-all", f"article-{story.pk}", f"article-{other.pk}", f"author-{story.byline_authors[0].pk}"} <= home
    section = keys(get(client, story.section.get_absolute_url()))
    assert {f"list-section-{story.section_id}", f"section-{story.section_id}", f"article-{story.pk}"} <= section
    assert f"article-{other.pk}" not in section
    feed = keys(get(client, reverse("articles:feed")))
    assert {"feed", "list-all", "publication", f"tag-{story.tags.get().pk}"} <= feed
    assert "sections" not in feed  # a feed has no navigation bar


def test_the_query_string_is_one_page_whatever_the_order_of_its_parameters(client, story):
    get(client, story.get_absolute_url() + "?comments_page=1&reply_to=5")
    assert from_cache(get(client, story.get_absolute_url() + "?reply_to=5&comments_page=1"))
    assert not from_cache(get(client, story.get_absolute_url() + "?reply_to=6&comments_page=1"))


def test_a_head_request_is_answered_from_the_cache_without_a_body(client, story):
    get(client, story.get_absolute_url())
    response = client.head(story.get_absolute_url())
    assert from_cache(response)
    assert response.content == b""


def test_search_is_not_cached_but_sets_no_cookie_either(client, story):
    client.get(reverse("articles:search"), {"q": "port"})
    response = client.get(reverse("articles:search"), {"q": "port"})
    assert "X-Page-Cache" not in response
    assert not response.cookies


# Personal pages ---------------------------------------------------------------------------------------------


def test_a_logged_in_editor_gets_a_fresh_page_never_stored_for_anyone_else(client, story, admin_user):
    staff = Client()
    staff.force_login(admin_user)
    for _ in range(2):
        response = staff.get(story.get_absolute_url())
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
    # Nothing the editor was shown was stored: the first anonymous reader renders the page.
    assert get(client, story.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_reader_with_a_one_time_message_sees_it_on_a_fresh_page(client, story):
    get(client, story.get_absolute_url())  # cached for anonymous readers
    storage = CookieStorage(client.request().wsgi_request)
    client.cookies[CookieStorage.cookie_name] = storage._encode([_message("Thank you. Your comment is published.")])
    response = get(client, story.get_absolute_url())
    assert not from_cache(response)
    assert "Thank you. Your comment is published." in response.content.decode()
    assert "private" in response["Cache-Control"]
    # The message was for this reader only: the shared copy does not have it.
    shared = get(Client(), story.get_absolute_url())
    assert from_cache(shared)
    assert "Your comment is published" not in shared.content.decode()


def _message(text: str):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    return Message(constants.SUCCESS, text, extra_tags="comment")


def test_a_remembered_commenter_gets_the_form_filled_in_on_a_page_of_their_own(client, story):
    get(client, story.get_absolute_url())
    client.cookies["comment_author"] = signing.dumps({"name": "Ada", "email": "ada@example.com"}, salt=REMEMBER_SALT)
    response = get(client, story.get_absolute_url())
    assert not from_cache(response)
    assert 'value="ada@example.com"' in response.content.decode()
    assert "ada@example.com" not in get(Client(), story.get_absolute_url()).content.decode()


def test_two_readers_can_comment_from_the_same_cached_form(client, story):
    html = get(client, story.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert from_cache(get(Client(), story.get_absolute_url()))
    post = reverse("comments:post", args=[story.slug])
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        for email in ("ada@example.com", "bea@example.com"):
            data = {"name": "Reader", "email": email, "body": f"A remark from {email}.", "token": token}
            assert Client().post(post, data, HTTP_ORIGIN="http://testserver").status_code == 302
    assert Comment.objects.count() == 2


# Conditional requests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article", "home", "feed"])
def test_a_conditional_request_for_an_unchanged_page_is_answered_304(client, story, name):
    url = {"article": story.get_absolute_url(), "home": reverse("articles:home"), "feed": reverse("articles:feed")}
    first = get(client, url[name])
    assert first["Last-Modified"]
    assert client.get(url[name], HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url[name], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url[name], HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_304_from_the_cache_says_how_old_the_copy_is(client, story):
    """A cache in front that revalidates its copy with a 304 counts the copy's age from the 304's Age, as from the
    page's: without it, the copy would be treated as new and kept past s-maxage (past a scheduled story's time)."""
    url = story.get_absolute_url()
    first = get(client, url)
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        answer = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert answer.status_code == 304
    assert 90 <= int(answer["Age"]) <= 92


def test_without_the_page_cache_pages_still_answer_304_but_no_shared_cache_keeps_them(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    home = reverse("articles:home")
    first = get(client, home)
    assert "no-cache" in first["Cache-Control"] and "s-maxage" not in first["Cache-Control"]
    assert "X-Page-Cache" not in get(client, home)
    # (An article page is new bytes each time without the cache: each render signs a new comment form.)
    assert client.get(home, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


# Pages that change by themselves ---------------------------------------------------------------------------


def test_a_listing_is_kept_only_until_the_next_scheduled_story_appears(client, story):
    in_ten_minutes = timezone.now() + timedelta(minutes=5)
    ArticleFactory(status="published", published_at=in_ten_minutes, headline="Scheduled for later")
    response = get(client, reverse("articles:home"))
    lifetime = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 250 <= lifetime <= 300
    assert "stale-while-revalidate" not in response["Cache-Control"]  # due to change: never served stale
    assert "Scheduled for later" not in response.content.decode()
    with time_machine.travel(in_ten_minutes + timedelta(seconds=1)):
        response = get(client, reverse("articles:home"))
    assert not from_cache(response)
    assert "Scheduled for later" in response.content.decode()


def test_a_cache_in_front_may_serve_a_page_stale_only_until_a_story_scheduled_after_its_expiry_appears(
    client, story, settings
):
    """stale-while-revalidate lets a cache in front serve an expired copy a while longer: never into the time a
    scheduled story appears, even when that falls just after the copy's own end."""
    home = reverse("articles:home")
    lifetime = settings.NEWSROOM_PAGE_CACHE_SECONDS
    ArticleFactory(status="published", published_at=timezone.now() + timedelta(seconds=lifetime + 10))
    control = get(client, home)["Cache-Control"]
    assert f"s-maxage={lifetime}" in control
    grace = re.search(r"stale-while-revalidate=(\d+)", control)
    assert lifetime + (int(grace.group(1)) if grace else 0) < lifetime + 10, control


def test_an_article_is_kept_only_until_its_comments_close(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    story = ArticleFactory(published=True, published_at=timezone.now() - timedelta(hours=23, minutes=58))
    response = get(client, story.get_absolute_url())
    assert 'class="comment-form"' in response.content.decode()
    assert int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1)) <= 120
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert "Comments are closed on this story." in get(client, story.get_absolute_url()).content.decode()


# Exact invalidation -------------------------------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what it runs once committed (the purges), as a real request would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_approving_a_comment_shows_it_on_the_next_request_and_purges_nothing_else(client, story, committed):
    other = ArticleFactory(published=True)
    comment = CommentFactory(article=story, body="Held for a moderator.")
    for url in (story.get_absolute_url(), other.get_absolute_url(), reverse("articles:home")):
        get(client, url)
    committed(moderate_comments, Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED)
    page = get(client, story.get_absolute_url())
    assert not from_cache(page)
    assert "Held for a moderator." in page.content.decode()
    assert "1 comment" in get(client, reverse("articles:home")).content.decode()  # the card's count
    assert from_cache(get(client, other.get_absolute_url()))


def test_a_held_comment_purges_nothing(client, story, committed):
    get(client, story.get_absolute_url())
    committed(CommentFactory, article=story, status=Comment.Status.PENDING)
    assert from_cache(get(client, story.get_absolute_url()))


def test_publishing_unpublishing_and_withdrawing_update_every_listing(client, story, desk_editor, committed):
    draft = ArticleFactory(headline="Fresh off the desk", section=story.section, authors=story.byline_authors)
    urls = [reverse("articles:home"), story.section.get_absolute_url(), story.byline_authors[0].get_absolute_url()]
    urls += [reverse("articles:feed"), reverse("sitemap_section", args=["articles"])]
    for url in urls:
        get(client, url)
    committed(publish_article, draft, by=desk_editor)
    for url in urls:
        assert draft.slug in get(client, url).content.decode(), url
    committed(unpublish_article, draft, by=desk_editor)
    for url in urls:
        assert draft.slug not in get(client, url).content.decode(), url
    get(client, story.get_absolute_url())
    committed(withdraw_articles, type(story).objects.filter(pk=story.pk), notice="Taken down.", by=desk_editor)
    assert client.get(story.get_absolute_url()).status_code == 410
    assert story.slug not in get(client, reverse("articles:home")).content.decode()


def test_editing_a_story_updates_its_page_and_cards_but_not_other_stories(client, story, committed):
    other = ArticleFactory(published=True)
    for url in (story.get_absolute_url(), reverse("articles:home"), other.get_absolute_url()):
        get(client, url)
    story.headline = "Port reopens after the storm"
    committed(story.save)
    assert "Port reopens after the storm" in get(client, story.get_absolute_url()).content.decode()
    assert "Port reopens after the storm" in get(client, reverse("articles:home")).content.decode()
    assert from_cache(get(client, other.get_absolute_url()))


def test_a_correction_note_appears_on_the_story_at_once(client, story, committed):
    get(client, story.get_absolute_url())
    committed(append_correction, article=story, kind="correction", text="The port is in Tema, not Accra.")
    assert "The port is in Tema, not Accra." in get(client, story.get_absolute_url()).content.decode()


def test_renaming_an_author_a_section_or_a_tag_updates_the_pages_showing_them(client, story, committed):
    author, tag, section = story.byline_authors[0], story.tags.get(), story.section
    unrelated = ArticleFactory(published=True, section=SectionFactory(), authors=[AuthorFactory()])
    for url in (story.get_absolute_url(), unrelated.get_absolute_url()):
        get(client, url)
    author.name = "Ama K. Mensah"
    committed(author.save)
    assert "Ama K. Mensah" in get(client, story.get_absolute_url()).content.decode()
    assert from_cache(get(client, unrelated.get_absolute_url()))
    tag.name = "Ports and shipping"
    committed(tag.save)
    assert "Ports and shipping" in get(client, story.get_absolute_url()).content.decode()
    assert from_cache(get(client, unrelated.get_absolute_url()))
    section.name = "Business desk"
    committed(section.save)
    # Every page's navigation bar names every section.
    assert "Business desk" in get(client, unrelated.get_absolute_url()).content.decode()


def test_the_publication_record_and_standing_pages_update_every_page(client, story, committed):
    get(client, story.get_absolute_url())
    publication = current_publication()
    publication.name = "The Harbour Times"
    committed(publication.save)
    assert "The Harbour Times" in get(client, story.get_absolute_url()).content.decode()
    committed(Page.objects.create, title="Ethics policy", slug="ethics", body="<p>We correct mistakes.</p>")
    assert "Ethics policy" in get(client, story.get_absolute_url()).content.decode()


def test_a_purge_waits_for_the_commit(client, story, django_capture_on_commit_callbacks):
    get(client, story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.headline = "Not committed yet"
        story.save()
        # Another reader, before the commit: still the copy made from committed rows.
        assert from_cache(get(client, story.get_absolute_url()))
    for callback in callbacks:
        callback()
    assert "Not committed yet" in get(client, story.get_absolute_url()).content.decode()


def test_a_purge_on_another_app_server_reaches_this_one_through_redis(client, story, redis_url, other_server):
    get(client, story.get_absolute_url())
    other_server(f"from newsroom.pagecache import purge_pages; purge_pages(['article-{story.pk}'])")
    assert not from_cache(get(client, story.get_absolute_url()))


def test_a_reader_who_comments_from_a_cached_page_comes_back_to_their_message_and_comment(
    client, story, django_capture_on_commit_callbacks
):
    CommentFactory(article=story, email="ada@example.com", status=Comment.Status.APPROVED)  # a known commenter
    html = get(client, story.get_absolute_url()).content.decode()
    assert from_cache(get(Client(), story.get_absolute_url()))
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {"name": "Ada", "email": "ada@example.com", "body": "Published at once.", "token": token}
    with time_machine.travel(timezone.now() + timedelta(seconds=30)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comments:post", args=[story.slug]), data, HTTP_ORIGIN="http://testserver")
        landing = client.get(response["Location"], follow=True)
    assert not from_cache(landing)
    assert "Thank you. Your comment is published." in landing.content.decode()
    # Everyone else's next request shows the comment: approved at once, it purged the story's pages.
    assert "Published at once." in get(Client(), story.get_absolute_url()).content.decode()


def test_remade_renditions_purge_the_pages_showing_the_picture(client, settings, django_capture_on_commit_callbacks):
    """make_renditions writes with update() and deletes the old files: pages naming them must go first."""
    from django.core.management import call_command

    from tests.images.files import image_upload

    story = ArticleFactory(published=True, hero_image=image_upload("a.png", (1600, 900)), hero_alt="A harbour")
    before = get(client, story.get_absolute_url()).content.decode()
    settings.IMAGE_WIDTHS = [400, 1000]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=io.StringIO())
    after = get(client, story.get_absolute_url())
    assert not from_cache(after)
    assert after.content.decode() != before
    assert "400w" in after.content.decode()
