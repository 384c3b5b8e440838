"""Revisions: every save keeps one; the admin lists them, shows a diff of two and restores an earlier one."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.capture import read_article_file
from articles.demo import DEMO_ARTICLE_PATH
from articles.importer import import_article
from articles.models import Article, Byline, TaggedArticle
from articles.revisions import saved_in, versions_of
from tests.articles.admin_forms import change_form_data, change_url, with_new_note
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def history_url(article: Article) -> str:
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article: Article, older: int, newer: int) -> str:
    return reverse("admin:articles_article_compare", args=[article.pk]) + f"?from={older}&to={newer}"


def restore_url(article: Article, revision_id: int) -> str:
    return reverse("admin:articles_article_restore", args=[article.pk, revision_id])


def save(client, article: Article, **changes: object) -> None:
    """The editor changes the form and saves it."""
    article.refresh_from_db()
    response = client.post(change_url(article), change_form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def revision_ids(article: Article) -> list[int]:
    """Oldest first."""
    return list(reversed([version.revision_id for version in versions_of(article)]))


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Harbour bridge to reopen",
        slug="harbour-bridge",
        body="<p>The bridge reopens on Monday.</p><p>Repairs took a year.</p>",
        authors=[AuthorFactory(name="Ada Byline")],
        tags=["Transport"],
        section=SectionFactory(name="World", slug="world"),
    )


# Keeping revisions ---------------------------------------------------------------------------


def test_every_admin_save_keeps_a_revision_with_who_and_what(editor_client, admin_user, story):
    save(editor_client, story, headline="Harbour bridge reopens")
    save(editor_client, story, summary="After a year of repairs.")

    versions = list(versions_of(story))
    assert len(versions) == 2
    assert [v.revision.user for v in versions] == [admin_user, admin_user]
    assert versions[0].revision.get_comment() == "Changed Summary."
    assert versions[1].revision.get_comment() == "Changed Headline."


def test_adding_an_article_keeps_its_first_revision_with_byline_and_tags(editor_client):
    author = AuthorFactory(name="Ada Byline")
    data = {
        "headline": "Rains return",
        "slug": "rains-return",
        "status": Article.Status.DRAFT,
        "tags": ["Sahel", "Weather"],
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": str(author.pk),
        "bylines-0-position": "0",
    }
    editor_client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get(slug="rains-return")

    saved = saved_in(versions_of(article).get().revision, article.pk)

    assert saved.fields["headline"] == "Rains return"
    assert saved.author_ids == [author.pk]
    assert saved.tag_names == ["Sahel", "Weather"]


def test_a_revision_holds_the_byline_and_tags_as_saved_not_as_they_were_before(editor_client, story):
    second = AuthorFactory(name="Ben Second")
    story.refresh_from_db()
    data = change_form_data(story, tags=["Transport", "City"])
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": second.pk,
            "bylines-1-position": "1",
        }
    )
    editor_client.post(change_url(story), data)

    saved = saved_in(versions_of(story).first().revision, story.pk)

    assert [Byline.objects.get(pk=pk).author.name for _, pk, _ in saved.bylines] == ["Ada Byline", "Ben Second"]
    assert saved.tag_names == ["City", "Transport"]


def test_publish_unpublish_and_withdraw_actions_keep_revisions_with_the_editor(editor_client, admin_user, story):
    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [str(story.pk)]})
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [str(story.pk)]})
    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [str(story.pk)]})
    editor_client.post(
        CHANGELIST,
        {"action": "withdraw", "_selected_action": [str(story.pk)], "withdraw_confirmed": "yes", "notice": "Legal."},
    )

    versions = list(versions_of(story))
    assert [v.revision.get_comment() for v in versions] == [
        "Withdrawn: Legal.",
        "Published.",
        "Unpublished (back to draft).",
        "Published.",
    ]
    assert {v.revision.user for v in versions} == {admin_user}
    assert saved_in(versions[0].revision, story.pk).fields["status"] == Article.Status.DRAFT
    assert saved_in(versions[1].revision, story.pk).fields["status"] == Article.Status.PUBLISHED


# Each selected article is its own workflow step in its own transaction, so one refused article does not stop
# the others: 13 queries an article (two savepoints and their releases, the checks' old-address lookup, the
# compare-and-set update, the step's record, and the revision's reads of the article, bylines, authors,
# tagged items, tags and notes) on top of a fixed 18 (session, user, the list around the action, which of
# the followed rows still exist, and the revision with all its versions in one insert each).
@pytest.mark.parametrize("count", [1, 10])
def test_a_bulk_action_keeps_revisions_at_a_fixed_cost_per_article(editor_client, django_assert_num_queries, count):
    articles = [ArticleFactory(authors=AuthorFactory.create_batch(2), tags=["a", "b"]) for _ in range(count)]
    data = {"action": "publish", "_selected_action": [str(a.pk) for a in articles]}
    # Content types are looked up once per process and cached; warm them so the count is this action's own.
    ContentType.objects.get_for_models(Article, Byline, TaggedArticle, Tag)
    with django_assert_num_queries(18 + 13 * count, info="18 for the page, 13 for each article's step"):
        editor_client.post(CHANGELIST, data)
    assert Version.objects.get_for_model(Article).count() == count


def test_importing_an_article_keeps_a_revision(settings):
    outcome = import_article(read_article_file(DEMO_ARTICLE_PATH), tags=["Mali"])
    version = versions_of(outcome.article).get()
    assert version.revision.get_comment() == "Imported from a captured page."
    assert saved_in(version.revision, outcome.article.pk).tag_names == ["Mali"]


# The history page ----------------------------------------------------------------------------


def test_history_lists_each_save_newest_first_with_who_when_and_what(editor_client, story):
    save(editor_client, story, headline="Harbour bridge reopens")
    save(editor_client, story, summary="After a year of repairs.")

    html = editor_client.get(history_url(story)).content.decode()

    assert html.index("Changed Summary.") < html.index("Changed Headline.")
    assert html.count("<td>editor</td>") == 2
    assert "(latest)" in html
    older, newer = revision_ids(story)
    assert f'name="from" value="{newer}"' in html
    assert f'href="{restore_url(story, older)}"' in html
    assert f'href="{restore_url(story, newer)}"' not in html  # restoring the latest would change nothing


def test_history_of_an_article_saved_before_revisions_began_says_so(editor_client, story):
    html = editor_client.get(history_url(story)).content.decode()
    assert "No revisions yet" in html


def test_history_pages_carry_no_inline_script_or_style(editor_client, story):
    save(editor_client, story, headline="One")
    save(editor_client, story, headline="Two")
    older, newer = revision_ids(story)
    for url in (history_url(story), compare_url(story, older, newer), restore_url(story, older)):
        html = editor_client.get(url).content.decode()
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, url
        assert " style=" not in html, url


@pytest.mark.parametrize("saves", [1, 8])
def test_history_page_query_count_does_not_grow_with_revisions(editor_client, django_assert_num_queries, saves):
    article = ArticleFactory()
    for number in range(saves):
        save(editor_client, article, headline=f"Headline {number}")
    with django_assert_num_queries(
        5, info="session, user, the article, its bylines with authors, versions with revisions and users"
    ):
        response = editor_client.get(history_url(article))
    assert len(response.context["versions"]) == saves


# Diffs ---------------------------------------------------------------------------------------


def test_diff_of_two_revisions_marks_removed_and_added_words(editor_client, story):
    save(editor_client, story, headline="Harbour bridge reopens", body=story.body.replace("Monday", "Tuesday"))
    save(editor_client, story, tags=["Transport", "City"], section=SectionFactory(name="City news").pk)
    first, second = revision_ids(story)

    response = editor_client.get(compare_url(story, first, second))

    html = response.content.decode()
    changes = {change.label: str(change.diff) for change in response.context["changes"]}
    assert set(changes) == {"Section", "Tags"}
    assert changes["Tags"] == "<ins>City, </ins>Transport"
    assert "<del>World</del><ins>City news</ins>" in html


def test_diff_shows_the_body_paragraph_by_paragraph_with_the_changed_word(editor_client, story):
    save(editor_client, story, headline="First save")
    save(editor_client, story, body=story.body.replace("Monday", "Tuesday"), headline="Second save")
    first, second = revision_ids(story)

    changes = {c.label: str(c.diff) for c in editor_client.get(compare_url(story, first, second)).context["changes"]}

    assert changes["Headline"] == "<del>First</del><ins>Second</ins> save"
    # Copy editors read the text; the paragraph tags are not shown.
    assert changes["Body"] == "The bridge reopens on <del>Monday.</del><ins>Tuesday.</ins>\nRepairs took a year.\n"


def test_diff_order_does_not_depend_on_which_revision_was_picked_first(editor_client, story):
    save(editor_client, story, headline="Old words")
    save(editor_client, story, headline="New words")
    first, second = revision_ids(story)
    forwards = editor_client.get(compare_url(story, first, second)).context["changes"]
    backwards = editor_client.get(compare_url(story, second, first)).context["changes"]
    assert [str(c.diff) for c in forwards] == [str(c.diff) for c in backwards] == ["<del>Old</del><ins>New</ins> words"]


def test_hostile_text_is_escaped_in_a_diff(editor_client, story):
    save(editor_client, story, headline="Calm")
    save(editor_client, story, headline="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>")
    first, second = revision_ids(story)
    html = editor_client.get(compare_url(story, first, second)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_diff_names_the_byline_change(editor_client, story):
    save(editor_client, story, headline="First")
    newcomer = AuthorFactory(name="Ben Newcomer")
    story.refresh_from_db()
    data = change_form_data(story)
    data.update({"bylines-0-author": newcomer.pk})
    editor_client.post(change_url(story), data)
    first, second = revision_ids(story)
    changes = {c.label: str(c.diff) for c in editor_client.get(compare_url(story, first, second)).context["changes"]}
    assert changes["Byline"] == "<del>Ada Byline</del><ins>Ben Newcomer</ins>"


@pytest.mark.parametrize(
    "query",
    ["", "?from=1", "?from=abc&to=def", "?from=1&to=1", "?from=99999&to=99998", "?from=١&to=٢", "?from=-1&to=2"],
)
def test_a_bad_comparison_goes_back_to_the_history_with_a_message(editor_client, story, query):
    save(editor_client, story, headline="One")
    response = editor_client.get(reverse("admin:articles_article_compare", args=[story.pk]) + query, follow=True)
    assert response.redirect_chain == [(history_url(story), 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Pick two different revisions of this article to compare."
    )


def test_another_articles_revisions_cannot_be_compared_here(editor_client, story):
    other = ArticleFactory()
    save(editor_client, other, headline="Other one")
    save(editor_client, other, headline="Other two")
    first, second = revision_ids(other)
    response = editor_client.get(compare_url(story, first, second))
    assert response.status_code == 302
    assert response["Location"] == history_url(story)


# Restore -------------------------------------------------------------------------------------


def test_restore_asks_first_showing_what_would_change(editor_client, story):
    save(editor_client, story, headline="Harbour bridge to reopen on Monday")
    save(editor_client, story, headline="Harbour bridge reopening delayed")
    older, _ = revision_ids(story)

    response = editor_client.get(restore_url(story, older))

    html = response.content.decode()
    assert '<input type="submit" value="Restore this version"' in html
    [change] = response.context["changes"]
    assert (change.label, str(change.diff)) == (
        "Headline",
        "Harbour bridge <del>reopening delayed</del><ins>to reopen on Monday</ins>",
    )
    assert str(change.diff) in html
    story.refresh_from_db()
    assert story.headline == "Harbour bridge reopening delayed"


def test_restoring_brings_back_words_byline_and_tags_and_keeps_the_replaced_version(editor_client, client, story):
    original_author = story.byline_authors[0]
    save(editor_client, story, headline="Harbour bridge to reopen", summary="Original summary.")
    story.refresh_from_db()
    newcomer = AuthorFactory(name="Ben Newcomer")
    data = change_form_data(
        story, headline="Rewritten headline", summary="Rewritten.", tags=["Politics"], body="<p>All new.</p>"
    )
    data.update({"bylines-0-author": newcomer.pk})
    editor_client.post(change_url(story), data)
    original, rewritten = revision_ids(story)

    response = editor_client.post(restore_url(story, original), follow=True)

    assert response.redirect_chain == [(change_url(story), 302)]
    story.refresh_from_db()
    assert (story.headline, story.summary) == ("Harbour bridge to reopen", "Original summary.")
    assert story.body == "<p>The bridge reopens on Monday.</p><p>Repairs took a year.</p>"
    assert story.byline_authors == [original_author]
    assert list(story.tags.names()) == ["Transport"]
    ids = revision_ids(story)
    assert ids[:2] == [original, rewritten]  # the replaced version is still there
    latest = versions_of(story).first().revision
    assert latest.get_comment().startswith("Restored the version saved on ")
    assert saved_in(latest, story.pk).fields["headline"] == "Harbour bridge to reopen"


def test_restoring_never_changes_publication_and_keeps_every_note(editor_client, client):
    story = ArticleFactory(published=True, headline="Before")
    save(editor_client, story, headline="Before")
    save(editor_client, story, headline="After")
    story.refresh_from_db()
    editor_client.post(change_url(story), with_new_note(change_form_data(story), "update", "Police have confirmed."))
    before, *_ = revision_ids(story)

    editor_client.post(restore_url(story, before))

    story.refresh_from_db()
    assert story.headline == "Before"
    assert story.is_published
    assert [note.text for note in story.corrections.all()] == ["Police have confirmed."]
    assert "Police have confirmed." in client.get(story.get_absolute_url()).content.decode()


def test_restore_preview_shows_only_what_restoring_changes_not_notes_or_publication(editor_client):
    story = ArticleFactory(headline="Before")
    save(editor_client, story, headline="Before")
    before = revision_ids(story)[0]
    save(editor_client, story, headline="After")
    action_response = editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [str(story.pk)]})
    assert action_response.status_code == 302
    story.refresh_from_db()
    editor_client.post(change_url(story), with_new_note(change_form_data(story), "update", "Police have confirmed."))

    response = editor_client.get(restore_url(story, before))

    changes = {change.label: str(change.diff) for change in response.context["changes"]}
    assert changes == {"Headline": "<del>After</del><ins>Before</ins>"}
    html = response.content.decode()
    assert "Police have confirmed." not in html
    # And restoring does exactly that: the note and the publication stay.
    editor_client.post(restore_url(story, before))
    story.refresh_from_db()
    assert (story.headline, story.is_published) == ("Before", True)
    assert [note.text for note in story.corrections.all()] == ["Police have confirmed."]
    comment = versions_of(story).first().revision.get_comment()
    assert comment.startswith("Restored the version saved on ") and ".." not in comment


def test_restoring_an_old_slug_of_a_published_story_keeps_the_newer_address_working(editor_client, client):
    story = ArticleFactory(published=True, slug="first")
    save(editor_client, story, headline="Same")
    save(editor_client, story, slug="second")
    first, _ = revision_ids(story)

    editor_client.post(restore_url(story, first))

    story.refresh_from_db()
    assert story.slug == "first"
    assert client.get(reverse("articles:detail", args=["second"]))["Location"] == story.get_absolute_url()


def test_restoring_brings_back_the_image(editor_client, story):
    story.hero_image = image_upload("bridge.png", (1200, 600))
    story.hero_alt = "The bridge"
    story.save()
    save(editor_client, story, headline="With image")
    story.refresh_from_db()
    editor_client.post(change_url(story), {**change_form_data(story, hero_alt=""), "hero_image-clear": "on"})
    story.refresh_from_db()
    assert not story.hero_image
    with_image, _ = revision_ids(story)

    editor_client.post(restore_url(story, with_image))

    story.refresh_from_db()
    assert story.hero_image.name.endswith(".png")
    assert (story.hero_width, story.hero_height, story.hero_alt) == (1200, 600, "The bridge")


def test_a_restore_that_needs_a_deleted_author_is_refused_and_changes_nothing(editor_client, story):
    gone = story.byline_authors[0]
    save(editor_client, story, headline="With the old author")
    story.refresh_from_db()
    data = change_form_data(story, headline="New author")
    data.update({"bylines-0-author": AuthorFactory().pk})
    editor_client.post(change_url(story), data)
    gone.delete()
    older, newer = revision_ids(story)

    response = editor_client.post(restore_url(story, older), follow=True)

    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Not restored: An author on that revision's byline has been deleted since, so it cannot be restored."
    )
    story.refresh_from_db()
    assert story.headline == "New author"
    assert revision_ids(story) == [older, newer]


def test_a_restore_whose_slug_another_article_took_is_refused(editor_client, story):
    save(editor_client, story, headline="Same")
    save(editor_client, story, slug="renamed-draft")
    ArticleFactory(slug="harbour-bridge")
    older, _ = revision_ids(story)

    response = editor_client.post(restore_url(story, older), follow=True)

    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Not restored: Article with this Slug already exists.")
    story.refresh_from_db()
    assert story.slug == "renamed-draft"


def test_another_articles_revision_cannot_be_restored_here(editor_client, story):
    other = ArticleFactory()
    save(editor_client, other, headline="Other")
    [revision_id] = revision_ids(other)
    assert editor_client.get(restore_url(story, revision_id)).status_code == 404
    assert editor_client.post(restore_url(story, revision_id)).status_code == 404


def test_staff_who_may_only_view_see_the_history_but_cannot_restore(client, editor_client, story):
    save(editor_client, story, headline="One")
    save(editor_client, story, headline="Two")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_article"))
    # Without the publishing permission staff see only their own articles, so this one is the viewer's.
    Article.objects.filter(pk=story.pk).update(created_by=viewer)
    client.force_login(viewer)
    older, newer = revision_ids(story)

    html = client.get(history_url(story)).content.decode()

    assert "Changed Headline." in html
    assert "Restore this version" not in html
    assert client.get(compare_url(story, older, newer)).status_code == 200
    assert client.post(restore_url(story, older)).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Two"


def test_numbers_too_big_to_be_ids_find_nothing_rather_than_fail(editor_client, story):
    huge = "9" * 25
    compare = editor_client.get(reverse("admin:articles_article_compare", args=[story.pk]) + f"?from={huge}&to=1")
    assert compare.status_code == 302
    # Not a restore address at all, so the admin's own "no such article" redirect answers it.
    restore = editor_client.get(f"{history_url(story)}{huge}/restore/", follow=True)
    assert restore.status_code == 200
    assert "doesn’t exist" in [str(m) for m in get_messages(restore.wsgi_request)][-1]
