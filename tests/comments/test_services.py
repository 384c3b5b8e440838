"""Comment writes: storing, moderating, blocking, emails after commit, purging."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationSettings
from comments.notifications import read_unsubscribe_token
from comments.services import (
    DUPLICATE_MESSAGE,
    CommentRefused,
    mark_spam_and_block,
    moderate_comments,
    post_comment,
    purge_comments,
)
from comments.spam import FormToken
from tests.factories import CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com/"


def token(nonce: str = "a" * 32, age: float = 30) -> FormToken:
    return FormToken(nonce=nonce, issued_at=time.time() - age)


def post(article, **overrides):
    fields = {
        "article": article,
        "name": "Ada",
        "email": "ada@example.com",
        "body": "Well reported.",
        "ip_address": "198.51.100.4",
        "form_token": token(),
        "site_url": SITE,
        **overrides,
    }
    return post_comment(**fields)


def test_post_comment_keeps_the_rule_that_held_it(article):
    comment = post(article).comment
    comment.refresh_from_db()
    assert (comment.status, comment.held_by_rule) == ("pending", "first comment from this email address")
    assert comment.body_html == "<p>Well reported.</p>"
    assert comment.form_nonce == "a" * 32


def test_a_reply_remembers_its_thread(article):
    first = CommentFactory(article=article, status="approved")
    reply = post(article, parent=first).comment
    answer = post(article, parent=reply, body="And another.", form_token=token("b" * 32)).comment
    assert (reply.root_id, answer.root_id, answer.parent_id) == (first.pk, first.pk, reply.pk)


def test_the_same_form_twice_returns_the_first_comment(article):
    first = post(article)
    again = post(article)
    assert (first.was_repeat, again.was_repeat) == (False, True)
    assert again.comment.pk == first.comment.pk
    assert Comment.objects.count() == 1


def test_the_same_text_from_the_same_address_in_a_new_form_is_refused(article):
    post(article)
    with pytest.raises(CommentRefused) as refused:
        post(article, form_token=token("b" * 32), body="WELL   reported.")
    assert refused.value.message == DUPLICATE_MESSAGE


def test_a_held_comment_emails_the_moderators_once_committed(article, settings, django_capture_on_commit_callbacks):
    settings.MODERATOR_EMAILS = ["desk@example.com", "first@example.com"]
    ModeratorFactory(email="first@example.com")
    ModeratorFactory(email="second@example.com")
    ModeratorFactory(email="gone@example.com", is_active=False)
    UserFactory(email="editor@example.com", is_staff=True)  # not a moderator

    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, name="Ada <b>", body="Line one\nhttp://spam.example.com").comment
        assert mail.outbox == []  # nothing before the commit

    [message] = mail.outbox
    assert message.to == ["first@example.com", "second@example.com", "desk@example.com"]
    assert message.subject == f"Comment to moderate on “{article.headline}”"
    assert "Held by: first comment from this email address" in message.body
    assert "From: Ada <b> <ada@example.com>, IP address 198.51.100.4" in message.body  # plain text, not escaped
    assert f"{SITE.rstrip('/')}{reverse('admin:comments_comment_change', args=[comment.pk])}" in message.body


@pytest.mark.parametrize("mode", ["approve_all", "spam"])
def test_comments_not_held_email_no_moderator(article, settings, django_capture_on_commit_callbacks, mode):
    settings.MODERATOR_EMAILS = ["desk@example.com"]
    rules = ModerationSettings.load()
    if mode == "approve_all":
        rules.mode = mode
    else:
        rules.blocked_words = "reported"
    rules.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(article)
    assert mail.outbox == []


def test_a_post_that_rolls_back_sends_nothing(article, settings, django_capture_on_commit_callbacks):
    settings.MODERATOR_EMAILS = ["desk@example.com"]

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        post(article)
        raise Boom
    assert callbacks == []
    assert mail.outbox == []
    assert not Comment.objects.exists()


def test_a_failing_mail_server_is_logged_and_loses_no_comment(
    article, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MODERATOR_EMAILS = ["desk@example.com"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        posted = post(article)
    assert Comment.objects.get() == posted.comment
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "in on_commit()" in record.getMessage()
    assert isinstance(record.exc_info[1], OSError)


def test_approving_a_reply_emails_the_reader_who_asked_with_a_way_to_stop(article, django_capture_on_commit_callbacks):
    parent = CommentFactory(article=article, status="approved", email="ada@example.com", notify_replies=True)
    reply = CommentFactory(article=article, parent=parent, name="Bea", body="Not so.", email="bea@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assert moderate_comments(Comment.objects.filter(pk=reply.pk), status="approved", site_url=SITE) == 1

    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == f"Bea replied to your comment on “{article.headline}”"
    assert "Not so." in message.body
    assert f"{SITE.rstrip('/')}{reply.get_absolute_url()}" in message.body
    landing = Client().get(reply.get_absolute_url())
    assert landing["Location"] == f"{article.get_absolute_url()}#comment-{reply.pk}"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == "ada@example.com"


def test_reply_emails_go_once_and_only_to_readers_who_asked(article, django_capture_on_commit_callbacks):
    asked = CommentFactory(article=article, status="approved", email="ada@example.com", notify_replies=True)
    silent = CommentFactory(article=article, status="approved", email="cy@example.com", notify_replies=False)
    to_asked = CommentFactory(article=article, parent=asked, email="bea@example.com")
    to_silent = CommentFactory(article=article, parent=silent, email="bea@example.com")
    to_self = CommentFactory(article=article, parent=asked, email="ada@example.com", body="Adding to myself.")
    replies = Comment.objects.filter(pk__in=[to_asked.pk, to_silent.pk, to_self.pk])

    with django_capture_on_commit_callbacks(execute=True):
        moderate_comments(replies, status="approved", site_url=SITE)
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comments(replies, status="removed", site_url=SITE)
        moderate_comments(replies, status="approved", site_url=SITE)

    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


def test_a_trusted_reply_published_at_once_emails_the_parent(article, django_capture_on_commit_callbacks):
    parent = CommentFactory(article=article, status="approved", email="ada@example.com", notify_replies=True)
    CommentFactory(article=article, status="approved", email="bea@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reply = post(article, parent=parent, email="bea@example.com", body="Agreed.").comment
    assert reply.status == "approved"
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


def test_mark_spam_and_block_adds_each_address_once(article):
    ModerationSettings.objects.filter(pk=1).update(blocked_emails="old@example.com")
    first = CommentFactory(article=article, email="spam@example.net", ip_address="203.0.113.9")
    second = CommentFactory(article=article, email="old@example.com", ip_address="203.0.113.9")
    both = Comment.objects.filter(pk__in=[first.pk, second.pk])

    assert mark_spam_and_block(both, field="email") == (2, ["spam@example.net"])
    assert mark_spam_and_block(both, field="ip_address") == (0, ["203.0.113.9"])

    rules = ModerationSettings.load()
    assert rules.blocked_emails == "old@example.com\nspam@example.net"
    assert rules.blocked_ips == "203.0.113.9"
    assert set(both.values_list("status", flat=True)) == {"spam"}
    with pytest.raises(ValueError):
        mark_spam_and_block(both, field="name")


def test_a_blocked_sender_goes_straight_to_spam_next_time(article):
    spam = CommentFactory(article=article, email="spam@example.net")
    mark_spam_and_block(Comment.objects.filter(pk=spam.pk), field="email")
    comment = post(article, email="spam@example.net").comment
    assert (comment.status, comment.held_by_rule) == ("spam", "blocked email: spam@example.net")


def _aged(days: int, **fields) -> Comment:
    comment = CommentFactory(**fields)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=days))
    return comment


def test_purge_deletes_only_old_spam_and_removed_comments(article):
    old_spam = _aged(40, article=article, status="spam")
    old_removed = _aged(40, article=article, status="removed")
    kept = [
        _aged(40, article=article, status="approved"),
        _aged(40, article=article, status="pending"),
        _aged(5, article=article, status="spam"),
        _aged(5, article=article, status="removed"),
    ]
    result = purge_comments(older_than_days=30)
    assert (result.spam, result.removed, result.kept_for_replies) == (1, 1, 0)
    assert set(Comment.objects.all()) == set(kept)
    assert not Comment.objects.filter(pk__in=[old_spam.pk, old_removed.pk]).exists()


def test_purge_keeps_a_comment_whose_replies_stay_and_purges_whole_removed_threads(article):
    removed_parent = _aged(40, article=article, status="removed")
    approved_reply = _aged(40, article=article, parent=removed_parent, status="approved")
    removed_thread = _aged(40, article=article, status="removed")
    removed_reply = _aged(40, article=article, parent=removed_thread, status="removed")
    _aged(40, article=article, parent=removed_reply, status="spam")

    result = purge_comments(older_than_days=30)

    assert (result.spam, result.removed, result.kept_for_replies) == (1, 2, 1)
    assert set(Comment.objects.all()) == {removed_parent, approved_reply}


def test_a_dry_run_counts_exactly_and_deletes_nothing(article):
    thread = _aged(40, article=article, status="removed")
    _aged(40, article=article, parent=thread, status="spam")
    result = purge_comments(older_than_days=30, dry_run=True)
    assert (result.spam, result.removed) == (1, 1)
    assert Comment.objects.count() == 2
