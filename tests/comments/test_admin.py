from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.admin import CommentAdmin
from comments.models import Comment, ModerationSettings
from roles.groups import ROLES
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response) -> list[Comment]:
    return list(response.context["cl"].result_list)


def action(client, name: str, *comments):
    return client.post(
        CHANGELIST, {"action": name, "_selected_action": [str(comment.pk) for comment in comments]}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_comment_changelist_and_change_pages_load(editor_client):
    comment = CommentFactory()
    for url in (CHANGELIST, reverse("admin:comments_comment_change", args=[comment.pk])):
        assert editor_client.get(url).status_code == 200, url


def test_comments_cannot_be_added_from_the_admin_only_by_readers(editor_client):
    """Every comment goes through post_comment, which holds it for moderation."""
    assert editor_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_queue_lists_pending_comments_first_then_newest(editor_client):
    now = timezone.now()
    old_pending = CommentFactory(status=Comment.Status.PENDING)
    new_approved = CommentFactory(status=Comment.Status.APPROVED)
    new_pending = CommentFactory(status=Comment.Status.PENDING)
    spam = CommentFactory(status=Comment.Status.SPAM)
    for comment, age in ((old_pending, 3), (new_approved, 0), (new_pending, 1), (spam, 2)):
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=age))

    response = editor_client.get(CHANGELIST)

    assert rows(response) == [new_pending, old_pending, new_approved, spam]


def test_queue_pages_keep_pending_first_across_pages_and_stop_counting_at_the_cap(editor_client, monkeypatch):
    monkeypatch.setattr(CommentAdmin, "list_per_page", 2)
    monkeypatch.setattr("comments.admin.COUNT_CAP", 5)
    now = timezone.now()
    statuses = [Comment.Status.PENDING] * 3 + [Comment.Status.APPROVED, Comment.Status.SPAM, Comment.Status.APPROVED]
    made = [CommentFactory(status=status) for status in statuses]
    for age, comment in enumerate(made):
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=age))

    pages = [rows(editor_client.get(CHANGELIST, {"p": number})) for number in (1, 2, 3)]

    assert pages == [made[0:2], made[2:4], made[4:5]], "five counted, pending first, then the newest others"
    assert "More than 5 comments" in editor_client.get(CHANGELIST).content.decode()
    filtered = editor_client.get(CHANGELIST, {"status__exact": Comment.Status.APPROVED}).content.decode()
    assert "2 comments" in filtered and "More than" not in filtered


def test_changelist_shows_excerpt_reader_article_link_and_ip(editor_client):
    article = ArticleFactory(published=True, headline="Wagner exits Mali")
    CommentFactory(article=article, name="Ada", email="ada@example.com", body="word " * 100, ip_address="198.51.100.4")

    html = editor_client.get(CHANGELIST).content.decode()

    assert "word word" in html
    assert "word " * 30 not in html  # shortened to an excerpt
    assert "ada@example.com" in html
    assert "198.51.100.4" in html
    article_url = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{article_url}">Wagner exits Mali</a>' in html


@pytest.mark.parametrize(
    ("action_name", "status", "message"),
    [
        ("approve", Comment.Status.APPROVED, "2 comments approved."),
        ("mark_spam", Comment.Status.SPAM, "2 comments marked as spam."),
        ("remove", Comment.Status.REMOVED, "2 comments removed."),
    ],
)
def test_moderation_actions_change_status_and_delete_nothing(editor_client, action_name, status, message):
    chosen = CommentFactory.create_batch(2)
    untouched = CommentFactory()

    response = action(editor_client, action_name, *chosen)

    assert Comment.objects.count() == 3
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING
    assert messages_of(response) == [message]


def test_action_reports_only_comments_whose_status_changed(editor_client):
    pending = CommentFactory()
    approved = CommentFactory(status=Comment.Status.APPROVED)
    response = action(editor_client, "approve", pending, approved)
    assert messages_of(response) == ["1 comment approved."]


def test_bulk_delete_is_not_offered(editor_client):
    CommentFactory()
    actions = editor_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = [name for name, _label in actions]
    assert "delete_selected" not in names
    assert {"approve", "mark_spam", "remove"} <= set(names)


def test_search_finds_comments_by_name_email_body_and_ip(editor_client):
    by_name = CommentFactory(name="Ada Lovelace", email="a@example.com", body="Hello.", ip_address="192.0.2.1")
    by_email = CommentFactory(name="B", email="lovelace@example.net", body="Hello.", ip_address="192.0.2.2")
    by_body = CommentFactory(name="C", email="c@example.com", body="Lovelace was right.", ip_address="192.0.2.3")
    by_ip = CommentFactory(name="D", email="d@example.com", body="Hello.", ip_address="198.51.100.77")

    assert set(rows(editor_client.get(CHANGELIST, {"q": "lovelace"}))) == {by_name, by_email, by_body}
    assert rows(editor_client.get(CHANGELIST, {"q": "198.51.100.77"})) == [by_ip]


def test_filters_narrow_the_queue_by_status_article_and_date(editor_client):
    article = ArticleFactory(published=True)
    on_article = CommentFactory(article=article, status=Comment.Status.APPROVED)
    spam = CommentFactory(status=Comment.Status.SPAM)
    pending = CommentFactory()
    Comment.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=30))

    assert rows(editor_client.get(CHANGELIST, {"status__exact": "spam"})) == [spam]
    assert rows(editor_client.get(CHANGELIST, {"article__id__exact": article.pk})) == [on_article]
    since = (timezone.now() - timedelta(days=7)).isoformat()  # what the admin's date filter links send
    assert set(rows(editor_client.get(CHANGELIST, {"created_at__gte": since}))) == {on_article, spam}


def test_article_filter_lists_articles_with_comments_waiting_and_the_chosen_one(editor_client):
    waiting = ArticleFactory(published=True, headline="Waiting for a moderator")
    CommentFactory(article=waiting)
    chosen = ArticleFactory(published=True, headline="Chosen from the article list")
    CommentFactory(article=chosen, status=Comment.Status.APPROVED)
    quiet = ArticleFactory(published=True, headline="Only approved comments")
    CommentFactory(article=quiet, status=Comment.Status.APPROVED)

    html = editor_client.get(CHANGELIST, {"article__id__exact": chosen.pk}).content.decode()

    assert "Waiting for a moderator" in html
    assert "Chosen from the article list" in html
    assert "Only approved comments" not in html


def test_change_page_shows_ip_and_user_agent_read_only(editor_client):
    comment = CommentFactory(ip_address="203.0.113.9", user_agent="Mozilla/5.0 (X11; Linux)")

    response = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    html = response.content.decode()
    assert "203.0.113.9" in html
    assert "Mozilla/5.0 (X11; Linux)" in html
    form_fields = response.context["adminform"].form.fields
    assert "ip_address" not in form_fields
    assert "user_agent" not in form_fields
    assert "status" in form_fields


@pytest.mark.parametrize("count", [1, 10])
def test_changelist_query_count_does_not_grow_with_comments(editor_client, django_assert_num_queries, count):
    CommentFactory.create_batch(count)
    with django_assert_num_queries(
        5,
        info="session, user; article filter choices; the count (capped); the page of comments with articles",
    ):
        response = editor_client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == count


# The rule that held a comment, blocking, the index count --------------------------------------------


def test_queue_shows_the_rule_that_held_each_comment(editor_client):
    CommentFactory(held_by_rule="3 links (more than 2)")
    html = editor_client.get(CHANGELIST).content.decode()
    assert '<td class="field-held_by_rule">3 links (more than 2)</td>' in html


@pytest.mark.parametrize(
    ("action_name", "list_field", "value"),
    [
        ("mark_spam_block_email", "blocked_emails", "spam@example.net"),
        ("mark_spam_block_ip", "blocked_ips", "203.0.113.9"),
    ],
)
def test_marking_spam_can_block_the_email_or_ip_in_one_step(editor_client, action_name, list_field, value):
    comment = CommentFactory(email="spam@example.net", ip_address="203.0.113.9")

    response = action(editor_client, action_name, comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert getattr(ModerationSettings.load(), list_field) == value
    assert messages_of(response) == ["1 comment marked as spam.", f"Blocked from now on: {value}."]


def test_admin_index_shows_how_many_comments_are_pending(editor_client):
    CommentFactory.create_batch(2)
    CommentFactory(status=Comment.Status.APPROVED)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Comments (2 pending)" in html


def test_admin_index_without_pending_comments_shows_no_count(editor_client):
    CommentFactory(status=Comment.Status.APPROVED)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "pending)" not in html
    assert ">Comments<" in html


def test_changing_the_status_on_the_form_approves_and_tells_the_parent(
    editor_client, django_capture_on_commit_callbacks
):
    parent = CommentFactory(status=Comment.Status.APPROVED, email="ada@example.com", notify_replies=True)
    reply = CommentFactory(article=parent.article, parent=parent, email="bea@example.com", body="A reply.")
    url = reverse("admin:comments_comment_change", args=[reply.pk])
    data = {"name": reply.name, "email": reply.email, "body": "A reply, edited.", "status": "approved"}

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.status, reply.body, reply.body_html) == ("approved", "A reply, edited.", "<p>A reply, edited.</p>")
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


def test_an_edit_that_would_duplicate_a_comment_is_a_form_error(editor_client):
    first = CommentFactory(email="ada@example.com", body="Same words.")
    second = CommentFactory(article=first.article, email="ada@example.com", body="Other words.")
    url = reverse("admin:comments_comment_change", args=[second.pk])
    data = {"name": second.name, "email": "ada@example.com", "body": "same   WORDS.", "status": "pending"}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "This reader already has a comment with these words on this story." in response.content.decode()
    second.refresh_from_db()
    assert second.body == "Other words."


def test_nothing_can_be_deleted_from_the_admin(editor_client):
    comment = CommentFactory()
    assert editor_client.get(reverse("admin:comments_comment_delete", args=[comment.pk])).status_code == 403
    assert (
        "deletelink"
        not in editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    )


# Moderation settings ----------------------------------------------------------------------------------

SETTINGS_URL = reverse("admin:comments_moderationsettings_change", args=[1])


def settings_form(**overrides):
    return {
        "mode": "rules",
        "auto_approve_known_authors": "on",
        "max_links": "2",
        "moderation_words": "",
        "blocked_words": "",
        "blocked_emails": "",
        "blocked_ips": "",
        **overrides,
    }


def test_the_settings_list_opens_the_one_settings_page(editor_client):
    response = editor_client.get(reverse("admin:comments_moderationsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    assert editor_client.get(SETTINGS_URL).status_code == 200
    assert editor_client.get(reverse("admin:comments_moderationsettings_add")).status_code == 403


def test_an_editor_sets_the_rules_and_the_next_comment_follows_them(editor_client, client, article):
    response = editor_client.post(SETTINGS_URL, settings_form(moderation_words="casino\nlottery"))
    assert response.status_code == 302
    assert ModerationSettings.load().moderation_words.splitlines() == ["casino", "lottery"]
    CommentFactory(article=article, email="aminata@example.com", status=Comment.Status.APPROVED)

    client.post(reverse("comments:post", args=[article.slug]), form_data(body="Try the lottery!"))

    held = Comment.objects.get(body="Try the lottery!")
    assert (held.status, held.held_by_rule) == ("pending", "moderation word: lottery")


def test_settings_refuse_lines_that_are_not_addresses(editor_client):
    response = editor_client.post(
        SETTINGS_URL, settings_form(blocked_ips="203.0.113.0/24\nnot-an-ip", blocked_emails="ok.example\nbad@@x")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["blocked_ips"] == ["Not an IP address or network: not-an-ip."]
    assert errors["blocked_emails"] == ["Not an email address or domain: bad@@x."]
    assert ModerationSettings.load().blocked_ips == ""


# The Moderator role -------------------------------------------------------------------------------------


def test_the_moderator_role_has_exactly_the_moderation_permissions():
    group = Group.objects.get(name="Moderator")  # made by the comments data migration
    permissions = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert permissions == set(ROLES["Moderator"])
    assert permissions == {
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_moderationsettings",
        "comments.change_moderationsettings",
        "articles.view_article",
    }


def test_a_moderator_runs_the_queue_and_the_rules_but_not_the_stories(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    comment = CommentFactory(email="spam@example.net")

    assert client.get(CHANGELIST).status_code == 200
    assert "Comments (1 pending)" in client.get(reverse("admin:index")).content.decode()
    assert messages_of(action(client, "mark_spam_block_email", comment)) == [
        "1 comment marked as spam.",
        "Blocked from now on: spam@example.net.",
    ]
    assert messages_of(action(client, "approve", comment)) == ["1 comment approved."]
    assert client.get(SETTINGS_URL).status_code == 200
    article_url = reverse("admin:articles_article_change", args=[comment.article_id])
    assert client.get(article_url).status_code == 200  # to read the story the comment answers
    assert client.post(article_url, {"headline": "Changed"}).status_code == 403
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert client.get(reverse("admin:comments_comment_delete", args=[comment.pk])).status_code == 403


def test_a_staff_user_without_the_role_sees_no_queue(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:comments_moderationsettings_changelist")).status_code == 403


@pytest.mark.parametrize("value", ["²", "abc", "9" * 20])
def test_a_mangled_article_filter_shows_the_queue_again_rather_than_an_error(editor_client, value):
    """Each of these used to reach the database and fail there ("²" is a digit to str.isdigit())."""
    CommentFactory()  # a story with comments waiting, so the filter is offered and applied
    response = editor_client.get(CHANGELIST, {"article__id__exact": value})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")
    assert editor_client.get(response.url).status_code == 200
