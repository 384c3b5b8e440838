"""The editorial workflow through the admin's real URLs, as each role uses it: who sees and may do what,
the checks before publishing, scheduling, and two people editing the same article."""

import re
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, StatusChange
from tests.articles.admin_forms import change_form_data, change_url
from tests.articles.test_admin import ADD, CHANGELIST, action, article_form, bylines, changelist_rows
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_form(article: Article, **overrides) -> dict:
    """What the admin's change form posts for `article` as it is now, opened now."""
    return change_form_data(article, **overrides)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def status_options(response) -> list[str]:
    return [value for value, _label in response.context["adminform"].form.fields["status"].choices]


def steps(article: Article) -> list[tuple[str, str, str]]:
    return [(s.from_status, s.to_status, s.by.username) for s in article.status_changes.select_related("by")]


# What a writer sees and may do -----------------------------------------------------------------


def test_writer_lists_only_the_articles_they_created_or_are_on_the_byline_of(writer_client, writer):
    created = ArticleFactory(created_by=writer)
    on_byline = ArticleFactory(authors=[writer.author], published=True)
    ArticleFactory(headline="Someone else's story")

    response = writer_client.get(CHANGELIST)

    assert set(changelist_rows(response)) == {created, on_byline}
    assert "Someone else" not in response.content.decode()


def test_writer_cannot_open_or_save_someone_elses_article(writer_client):
    other = ArticleFactory(headline="Someone else's story")
    data = change_form(other, headline="Taken over")

    opened = writer_client.get(change_url(other))
    forced = writer_client.post(change_url(other), data)

    for response in (opened, forced):
        assert response.status_code == 302
        assert response.url == reverse("admin:index")
    other.refresh_from_db()
    assert other.headline == "Someone else's story"


def test_writer_adds_an_article_under_their_own_byline_and_it_is_theirs(writer_client, writer):
    opened = writer_client.get(ADD)
    assert status_options(opened) == ["draft", "review"]
    assert "published_at" not in opened.context["adminform"].form.fields  # the editor's call
    # The byline starts with the writer's own author.
    assert f'<option value="{writer.author.pk}" selected>Wendy Writer</option>' in opened.content.decode()

    response = writer_client.post(ADD, article_form(**bylines(writer.author)))

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert (article.created_by, article.status) == (writer, Status.DRAFT)
    assert article in Article.objects.owned_by(writer)


def test_writer_forcing_publish_through_the_form_is_refused_and_nothing_changes(writer_client, writer):
    article = ArticleFactory(created_by=writer)
    later = timezone.now() + timedelta(days=1)
    data = change_form(
        article,
        status=Status.PUBLISHED,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "Select a valid choice." in form_errors(response)["status"][0]
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert not StatusChange.objects.exists()


def test_writer_cannot_set_the_publication_time(writer_client, writer):
    article = ArticleFactory(created_by=writer)
    data = change_form(article, published_at_0="2030-01-01", published_at_1="09:00:00")

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at is None


def test_writer_submits_a_draft_for_review_from_the_form(writer_client, writer):
    article = ArticleFactory(created_by=writer)

    response = writer_client.post(change_url(article), change_form(article, status=Status.IN_REVIEW))

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert steps(article) == [("draft", "review", "wendy")]


def test_writer_may_look_at_but_not_change_their_published_article(writer_client, writer):
    article = ArticleFactory(created_by=writer, published=True)

    opened = writer_client.get(change_url(article))
    forced = writer_client.post(change_url(article), change_form(article, headline="Rewritten after publishing"))

    assert opened.status_code == 200
    html = opened.content.decode()
    assert 'name="_save"' not in html  # nothing to submit
    assert 'name="headline"' not in html
    assert forced.status_code == 403
    article.refresh_from_db()
    assert article.headline != "Rewritten after publishing"


def test_writer_is_offered_no_publishing_or_deleting_and_forcing_them_does_nothing(writer_client, writer):
    draft = ArticleFactory(created_by=writer)
    published = ArticleFactory(created_by=writer, published=True)

    listing = writer_client.get(CHANGELIST)
    offered = [name for name, _label in listing.context["action_form"].fields["action"].choices if name]

    assert offered == ["submit"]
    for name in ("publish", "unpublish", "withdraw", "delete_selected"):
        response = action(writer_client, name, draft, published)
        assert "No action selected." in messages_of(response)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Status.DRAFT, Status.PUBLISHED)
    assert writer_client.get(reverse("admin:articles_article_delete", args=[draft.pk])).status_code == 403
    assert Article.objects.count() == 2


def test_writer_submits_drafts_for_review_from_the_list(writer_client, writer):
    draft = ArticleFactory(created_by=writer)

    response = action(writer_client, "submit", draft)

    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert messages_of(response) == ["1 article submitted for review."]


def test_writer_cannot_manage_sections_tags_or_authors(writer_client):
    author = AuthorFactory()
    for url in (
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_section_add"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:authors_author_add"),
    ):
        assert writer_client.get(url).status_code == 403, url
    # Authors are visible, so the byline can find them, but read-only.
    html = writer_client.get(reverse("admin:authors_author_change", args=[author.pk])).content.decode()
    assert 'name="_save"' not in html


# What an editor may do ----------------------------------------------------------------------------


def test_editor_opens_and_changes_any_article_and_manages_sections_tags_and_authors(desk_editor_client):
    article = ArticleFactory(published=True, tags=["Mali"])
    author = AuthorFactory()
    urls = [
        CHANGELIST,
        ADD,
        change_url(article),
        reverse("admin:articles_article_delete", args=[article.pk]),
        reverse("admin:articles_section_add"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:authors_author_change", args=[author.pk]),
        reverse("admin:comments_comment_changelist"),
    ]
    for url in urls:
        assert desk_editor_client.get(url).status_code == 200, url

    opened = desk_editor_client.get(change_url(article))
    assert status_options(opened) == ["draft", "published"]
    response = desk_editor_client.post(change_url(article), change_form(article, headline="Corrected headline"))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.headline == "Corrected headline"


def test_editor_is_offered_every_step_of_the_workflow_on_the_list(desk_editor_client):
    ArticleFactory()
    listing = desk_editor_client.get(CHANGELIST)
    offered = {name for name, _label in listing.context["action_form"].fields["action"].choices if name}
    assert offered == {"publish", "unpublish", "withdraw", "submit", "lead_home_page", "delete_selected"}


def test_editor_publishes_from_the_form_and_the_history_shows_who_and_when(desk_editor_client, writer):
    article = ArticleFactory(created_by=writer, status=Status.IN_REVIEW)
    StatusChange.objects.create(article=article, from_status=Status.DRAFT, to_status=Status.IN_REVIEW, by=writer)

    response = desk_editor_client.post(change_url(article), change_form(article, status=Status.PUBLISHED))

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.is_published
    assert steps(article) == [("draft", "review", "wendy"), ("review", "published", "dana")]
    html = desk_editor_client.get(change_url(article)).content.decode()
    history = re.search(r'<table class="status-history">.*?</table>', html, re.S).group(0)
    assert re.findall(r"<td>(Draft|In review) → (In review|Published)</td><td>(\w+)</td>", history) == [
        ("Draft", "In review", "wendy"),
        ("In review", "Published", "dana"),
    ]


def test_editor_creates_and_publishes_in_one_save(desk_editor_client):
    author = AuthorFactory()
    response = desk_editor_client.post(ADD, article_form(status=Status.PUBLISHED, **bylines(author)))
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert article.is_published
    assert steps(article) == [("draft", "published", "dana")]


def test_editor_sends_an_article_in_review_back_to_draft(desk_editor_client):
    article = ArticleFactory(status=Status.IN_REVIEW)
    response = desk_editor_client.post(change_url(article), change_form(article, status=Status.DRAFT))
    assert response.status_code == 302, form_errors(response)
    assert steps(article) == [("review", "draft", "dana")]


def test_editor_unpublishes_from_the_list_and_the_step_is_recorded(desk_editor_client):
    article = ArticleFactory(published=True)
    response = action(desk_editor_client, "unpublish", article)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert steps(article) == [("published", "draft", "dana")]
    assert messages_of(response) == ["1 article unpublished."]


# Checks before publishing -------------------------------------------------------------------------


def test_publishing_an_incomplete_article_shows_each_problem_on_its_field_and_saves_nothing(desk_editor_client):
    article = ArticleFactory(headline="Draft headline", summary="", body="")
    data = change_form(article, headline="H" * 71, status=Status.PUBLISHED)

    response = desk_editor_client.post(change_url(article), data)

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["headline"] == ["Keep the headline to 70 characters so search results show all of it (it has 71)."]
    assert errors["summary"] == ["Write a summary before publishing: search results and story cards show it."]
    assert errors["body"] == ["Write the story before publishing: the body is empty."]
    assert 'value="' + "H" * 71 + '"' in response.content.decode()  # the input is kept
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Draft headline", Status.DRAFT)


def test_a_draft_may_be_saved_incomplete(desk_editor_client):
    article = ArticleFactory(summary="", body="")
    response = desk_editor_client.post(change_url(article), change_form(article, headline="H" * 120))
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.headline == "H" * 120


def test_publish_action_refuses_incomplete_articles_by_name_and_publishes_the_rest(desk_editor_client):
    ready = ArticleFactory()
    incomplete = ArticleFactory(headline="Half-written", summary="")

    response = action(desk_editor_client, "publish", ready, incomplete)

    ready.refresh_from_db()
    incomplete.refresh_from_db()
    assert ready.is_published
    assert incomplete.status == Status.DRAFT
    assert messages_of(response) == [
        "“Half-written” was not published: Write a summary before publishing: search results and story cards show it.",
        "1 article published.",
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/story", "not a url"])
def test_a_source_that_is_not_an_http_address_is_a_form_error_even_on_a_draft(desk_editor_client, url):
    article = ArticleFactory()
    response = desk_editor_client.post(change_url(article), change_form(article, source_url=url))
    assert response.status_code == 200
    assert "source_url" in form_errors(response)


def test_a_slug_already_taken_is_a_form_error(desk_editor_client):
    ArticleFactory(slug="bridge-reopens")
    article = ArticleFactory()
    response = desk_editor_client.post(change_url(article), change_form(article, slug="bridge-reopens"))
    assert response.status_code == 200
    assert form_errors(response)["slug"] == ["Article with this Slug already exists."]


# Scheduling ----------------------------------------------------------------------------------------


def test_scheduled_article_reaches_every_public_page_at_its_time_and_not_a_second_earlier(desk_editor_client):
    author = AuthorFactory(slug="amadou-diallo")
    section = SectionFactory(slug="world")
    article = ArticleFactory(section=section, authors=[author], tags=["Mali"], headline="Scheduled story")
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    local = timezone.localtime(at)
    data = change_form(
        article,
        status=Status.PUBLISHED,
        published_at_0=local.strftime("%Y-%m-%d"),
        published_at_1=local.strftime("%H:%M:%S"),
    )

    response = desk_editor_client.post(change_url(article), data)

    assert response.status_code == 302, form_errors(response)
    scheduled = [message for message in messages_of(response) if "is scheduled" in message]
    when = date_format(local, "DATETIME_FORMAT")
    assert scheduled == [f"“Scheduled story” is scheduled for {when}; readers see it from then."]
    assert ".." not in scheduled[0]
    listing = desk_editor_client.get(CHANGELIST).content.decode()
    assert "Scheduled for" in listing
    reader = Client()
    pages = [
        reverse("articles:home"),
        reverse("articles:section", kwargs={"slug": "world"}),
        reverse("articles:tag", kwargs={"slug": "mali"}),
        reverse("authors:detail", kwargs={"slug": "amadou-diallo"}),
    ]
    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        assert reader.get(article.get_absolute_url()).status_code == 404
        for url in pages:
            assert "Scheduled story" not in reader.get(url).content.decode(), url
    with time_machine.travel(at, tick=False):
        assert reader.get(article.get_absolute_url()).status_code == 200
        for url in pages:
            assert "Scheduled story" in reader.get(url).content.decode(), url


# Two people editing one article ---------------------------------------------------------------------


def test_second_save_of_an_article_changed_since_it_was_opened_is_refused_with_a_link_and_the_input_kept(
    desk_editor_client,
):
    article = ArticleFactory(headline="Original")
    opened_by_first = change_form(article, headline="First editor's version")
    colleague = Client()
    colleague.force_login(UserFactory(username="colin", is_staff=True, roles=["Editor"]))
    assert colleague.post(change_url(article), change_form(article, headline="Colleague's version")).status_code == 302

    response = desk_editor_client.post(change_url(article), opened_by_first)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "This article was changed after you opened it" in errors[0]
    html = response.content.decode()
    assert f'<a href="{change_url(article)}" target="_blank">open the current version</a>' in html
    assert 'value="First editor&#x27;s version"' in html
    # The page is named for the article as saved, not for the headline this save tried to store.
    assert "<title>Error: Colleague&#x27;s version | Change article" in html
    assert "First editor" not in html[: html.index('id="content-main"')]
    article.refresh_from_db()
    assert article.headline == "Colleague's version"


def test_a_form_opened_before_a_status_change_cannot_undo_it(desk_editor_client):
    article = ArticleFactory()
    opened = change_form(article, headline="Edited while it was being published")
    action(desk_editor_client, "publish", article)

    response = desk_editor_client.post(change_url(article), opened)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.is_published


def test_a_save_without_the_opened_version_is_refused(desk_editor_client):
    article = ArticleFactory()
    data = change_form(article, headline="No version")
    del data["opened_version"]
    response = desk_editor_client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline != "No version"


def test_saving_twice_from_fresh_forms_works(desk_editor_client):
    article = ArticleFactory()
    for headline in ("First", "Second"):
        response = desk_editor_client.post(change_url(article), change_form(article, headline=headline))
        assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.headline == "Second"


def test_the_version_check_locks_the_row_until_the_save_commits_on_postgresql(
    desk_editor_client, postgresql_connection
):
    """The check and the save are one transaction holding the row, so a second save waits and then sees
    the new version instead of passing the check alongside the first."""
    article = ArticleFactory()
    with CaptureQueriesContext(postgresql_connection) as queries:
        response = desk_editor_client.post(change_url(article), change_form(article, headline="Locked"))
    assert response.status_code == 302
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1 and '"lock_version"' in locking[0]


@pytest.mark.django_db(transaction=True)
def test_a_save_racing_another_waits_for_it_and_is_then_refused_on_postgresql(desk_editor):
    """Two saves at the same moment: the admin's check waits on the row lock held by the other, then sees its
    version. If the check did not lock, the racing save would never wait, and this test would fail."""
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not set: this run is on SQLite.")
    article = ArticleFactory(headline="Original")
    racing = change_form(article, headline="The racing save")
    responses = []

    def save_in_another_request() -> None:
        client = Client()
        client.force_login(desk_editor)
        try:
            responses.append(client.post(change_url(article), racing))
        finally:
            connections.close_all()  # this thread's own connection

    with transaction.atomic():
        mine = Article.objects.select_for_update().get(pk=article.pk)
        other = threading.Thread(target=save_in_another_request)
        other.start()
        wait_until_a_query_waits_for_a_lock()
        mine.headline = "The first save"
        mine.save()
    other.join()

    assert responses[0].status_code == 200
    assert (
        "This article was changed after you opened it" in responses[0].context["adminform"].form.non_field_errors()[0]
    )
    article.refresh_from_db()
    assert article.headline == "The first save"


def wait_until_a_query_waits_for_a_lock() -> None:
    """Poll PostgreSQL until another connection is blocked on a lock; fail if none is within ten seconds."""
    with connections["default"].cursor() as cursor:
        for _ in range(200):
            # Within a transaction PostgreSQL keeps answering from its first look at the activity table.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("The other save never waited for the row lock.")
