"""Posting a comment as a reader: the answers, the messages, the form kept on errors, "remember me"."""

import re
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.cookies import REMEMBER_SALT
from comments.models import Comment, ModerationSettings
from comments.spam import issue_form_token
from comments.views import HELD_MESSAGE, PUBLISHED_MESSAGE
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def post_url(article: Article) -> str:
    return reverse("comments:post", args=[article.slug])


def approved(article: Article, **kwargs) -> Comment:
    return CommentFactory(article=article, status=Comment.Status.APPROVED, **kwargs)


def test_a_comment_is_stored_pending_and_the_reader_is_told_it_awaits_moderation(client, article):
    response = client.post(
        post_url(article), form_data(), follow=True, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="UA/1"
    )
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comment-notice", 302)]
    html = response.content.decode()
    # The message sits in the comment section the reader lands on, not at the top of the page.
    assert f'<p class="message message--success" id="comment-notice" role="status">{HELD_MESSAGE}</p>' in html
    assert "A thoughtful remark." not in html
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == ("pending", "Aminata", "aminata@example.com")
    assert (comment.ip_address, comment.user_agent) == ("198.51.100.4", "UA/1")
    assert comment.held_by_rule == "first comment from this email address"


def test_a_known_commenter_is_published_at_once_and_lands_on_the_comment(client, article):
    approved(article, email="aminata@example.com")

    response = client.post(post_url(article), form_data(body="Back again."), follow=True)

    comment = Comment.objects.get(body="Back again.")
    assert comment.status == Comment.Status.APPROVED
    assert response.redirect_chain == [
        (comment.get_absolute_url(), 302),
        (f"{article.get_absolute_url()}#comment-{comment.pk}", 302),
    ]
    html = response.content.decode()
    assert PUBLISHED_MESSAGE in html
    assert f'id="comment-{comment.pk}"' in html
    assert "<p>Back again.</p>" in html


def test_a_published_comment_on_a_later_page_lands_on_that_page(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    approved(article, email="aminata@example.com")
    approved(article)

    response = client.post(post_url(article), form_data(body="Third thread."))

    comment = Comment.objects.get(body="Third thread.")
    assert response["Location"] == comment.get_absolute_url()
    landing = client.get(response["Location"])
    assert landing["Location"] == f"{article.get_absolute_url()}?comments_page=2#comment-{comment.pk}"
    assert f'id="comment-{comment.pk}"' in client.get(landing["Location"]).content.decode()


def test_an_approved_comment_is_shown_with_its_paragraphs_and_never_the_email(client, article):
    comment = CommentFactory(article=article, body="First line\nsecond line\n\nNew paragraph", email="hide@example.com")
    assert "First line" not in client.get(article.get_absolute_url()).content.decode()
    comment.status = Comment.Status.APPROVED
    comment.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First line<br>second line</p>\n\n<p>New paragraph</p>" in html
    assert "hide@example.com" not in html
    assert f'id="comment-{comment.pk}"' in html
    assert f'href="{article.get_absolute_url()}#comment-{comment.pk}"' in html  # its permalink
    assert "1 comment</h2>" in html


def test_web_addresses_in_a_comment_become_links_marked_as_user_content(client, article):
    approved(article, body="Source: https://example.org/report?id=7 and www.example.net")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<a href="https://example.org/report?id=7" rel="nofollow ugc noopener">https://example.org/report?id=7</a>'
        in html
    )
    assert '<a href="http://www.example.net" rel="nofollow ugc noopener">www.example.net</a>' in html


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_unapproved_comments_stay_hidden(client, article, status):
    CommentFactory(article=article, status=status, body="Hidden words")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Hidden words" not in html
    assert "No comments yet." in html


def test_hostile_comment_is_shown_as_text(client, article):
    approved(article, name="<b>x</b>", body='<script>alert(1)</script> <img src=x onerror="alert(2)">')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_form_states_the_limit_of_every_field(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Up to 80 characters." in html
    assert "Up to 254 characters." in html
    assert "Plain text, up to 5,000 characters." in html
    assert 'maxlength="80"' in html
    assert 'maxlength="254"' in html
    assert 'maxlength="5000"' in html


# Remember me --------------------------------------------------------------------------------


def test_remember_me_fills_name_and_email_next_time(client, article):
    response = client.post(post_url(article), form_data(remember="on"))
    cookie = response.cookies[settings.COMMENTS_REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.COMMENTS_REMEMBER_MAX_AGE

    form = client.get(article.get_absolute_url()).context["form"]

    assert form.initial == {"name": "Aminata", "email": "aminata@example.com", "remember": True}
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no session was needed


def test_posting_without_remember_me_forgets_a_remembered_author(client, article):
    client.post(post_url(article), form_data(remember="on"))
    response = client.post(post_url(article), form_data(body="Another thought."))
    assert response.cookies[settings.COMMENTS_REMEMBER_COOKIE].value == ""
    assert client.get(article.get_absolute_url()).context["form"].initial == {"remember": False}


def test_a_tampered_remember_me_cookie_is_ignored(client, article):
    good = signing.dumps({"name": "Ada", "email": "ada@example.com"}, salt=REMEMBER_SALT)
    client.cookies[settings.COMMENTS_REMEMBER_COOKIE] = good[:-3] + "abc"
    assert client.get(article.get_absolute_url()).context["form"].initial == {"remember": False}
    client.cookies[settings.COMMENTS_REMEMBER_COOKIE] = signing.dumps(["not", "a", "dict"], salt=REMEMBER_SALT)
    assert client.get(article.get_absolute_url()).context["form"].initial == {"remember": False}
    client.cookies[settings.COMMENTS_REMEMBER_COOKIE] = good
    assert client.get(article.get_absolute_url()).context["form"].initial["name"] == "Ada"


# Double submits and duplicates ----------------------------------------------------------------


def test_a_double_submit_stores_one_comment_and_answers_both_alike(client, article):
    data = form_data()
    first = client.post(post_url(article), data)
    second = client.post(post_url(article), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_the_same_comment_from_the_same_email_is_refused(client, article):
    client.post(post_url(article), form_data())
    response = client.post(post_url(article), form_data(body="  a THOUGHTFUL remark.\n\n second   paragraph. "))
    assert response.status_code == 200
    assert "You have already posted this comment on this story." in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_same_words_on_another_story_or_from_another_reader_are_accepted(client, article):
    client.post(post_url(article), form_data())
    client.post(post_url(ArticleFactory(published=True)), form_data())
    client.post(post_url(article), form_data(email="someone.else@example.com"))
    assert Comment.objects.count() == 3


def test_one_form_cannot_post_two_different_comments(client, article):
    data = form_data()
    client.post(post_url(article), data)
    response = client.post(post_url(article), {**data, "body": "Something else entirely."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This form is out of date. Please check your comment and send it again." in html
    assert "Something else entirely." in html  # the text is kept
    assert response.context["form_token"] != data["token"]  # and a new form token given
    assert Comment.objects.count() == 1


# Spam defences: the sender cannot tell spam from a held comment --------------------------------


@pytest.mark.parametrize("trap", ["http://spam.example", "w" * 5000, "nul\x00byte", " "])
def test_a_filled_trap_field_goes_to_spam_answered_like_a_held_comment(client, article, trap):
    """Whatever a program puts in the trap, it gets no error that would show the field is watched."""
    response = client.post(post_url(article), form_data(website=trap), follow=True)
    assert HELD_MESSAGE in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.held_by_rule == "filled the hidden field that people never see"


def test_a_form_sent_back_faster_than_a_person_types_goes_to_spam(client, article):
    response = client.post(post_url(article), form_data(token=issue_form_token()), follow=True)
    assert HELD_MESSAGE in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.held_by_rule.startswith("sent 0 s after the form was shown")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "forged-token",
        issue_form_token(issued_at=time.time() - 25 * 60 * 60),  # a day and an hour old
        signing.dumps({"n": "0" * 32, "t": time.time() - 60}, salt="another.salt"),
    ],
    ids=["missing", "forged", "older than a day", "signed for something else"],
)
def test_a_missing_forged_or_stale_form_token_is_refused_with_the_text_kept(client, article, token):
    response = client.post(post_url(article), form_data(token=token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This form is out of date. Please check your comment and send it again." in html
    assert "A thoughtful remark." in html
    assert not Comment.objects.exists()


def test_the_page_gives_each_form_a_fresh_signed_token(client, article):
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    token = second.context["form_token"]
    assert token != first.context["form_token"]
    assert f'<input type="hidden" name="token" value="{token}">' in second.content.decode()


def test_a_blocklisted_email_goes_to_spam_without_saying_so(client, article):
    rules = ModerationSettings.load()
    rules.blocked_emails = "example.com"
    rules.save()
    response = client.post(post_url(article), form_data(), follow=True)
    assert HELD_MESSAGE in response.content.decode()
    assert Comment.objects.get().held_by_rule == "blocked email: example.com"


# Closed comments -------------------------------------------------------------------------------


def test_an_editor_can_close_comments_the_form_gives_way_to_a_notice(client):
    article = ArticleFactory(published=True, is_closed_for_comments=True)
    approved(article, body="Said before closing.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed on this story." in html
    assert "Said before closing." in html
    assert 'class="comment-form"' not in html
    assert "reply_to=" not in html


def test_comments_close_by_themselves_after_the_set_number_of_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(published=True, published_at=timezone.now() - timedelta(days=14, minutes=1))
    recent = ArticleFactory(published=True, published_at=timezone.now() - timedelta(days=13))
    assert "Comments are closed on this story." in client.get(old.get_absolute_url()).content.decode()
    assert 'class="comment-form"' in client.get(recent.get_absolute_url()).content.decode()
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0  # never
    assert 'class="comment-form"' in client.get(old.get_absolute_url()).content.decode()


def test_a_post_to_a_closed_story_is_refused_and_the_text_given_back(client):
    article = ArticleFactory(published=True, is_closed_for_comments=True)
    response = client.post(post_url(article), form_data(body="Too late <b>now</b>."))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Comments are closed on this story." in html
    assert "Your comment was not posted." in html
    assert "Too late &lt;b&gt;now&lt;/b&gt;." in html
    assert not Comment.objects.exists()


# Replies and threads ----------------------------------------------------------------------------


def test_a_reply_link_opens_the_form_for_that_comment(client, article):
    parent = approved(article, name="Ada")
    html = client.get(article.get_absolute_url(), {"reply_to": parent.pk}).content.decode()
    assert f'href="{article.get_absolute_url()}?reply_to={parent.pk}#comment-form"' in html
    assert "Reply to <bdi>Ada</bdi></h2>" in html
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html
    assert "Post reply</button>" in html


def test_a_reply_link_to_a_comment_not_on_the_page_gives_the_plain_form(client, article):
    pending = CommentFactory(article=article)
    html = client.get(article.get_absolute_url(), {"reply_to": [pending.pk]}).content.decode()
    assert "Leave a comment</h2>" in html
    assert 'name="parent"' not in html
    assert "Leave a comment</h2>" in client.get(article.get_absolute_url(), {"reply_to": "x"}).content.decode()


@pytest.mark.parametrize("reply_to", ["x", "9" * 40, "9" * 5000, "\u0663"])
def test_a_reply_link_naming_no_comment_gives_the_plain_form(client, article, reply_to):
    response = client.get(article.get_absolute_url(), {"reply_to": reply_to})
    assert response.status_code == 200
    assert "Leave a comment</h2>" in response.content.decode()


def test_a_reply_is_shown_indented_under_its_parent_and_linked_to_it(client, article):
    parent = approved(article, name="Ada", email="ada@example.com")
    approved(article, name="Bea", email="aminata@example.com")  # makes the replier a known author

    response = client.post(post_url(article), form_data(body="I agree with Ada.", parent=str(parent.pk)))

    reply = Comment.objects.get(body="I agree with Ada.")
    assert (reply.parent, reply.root, reply.status) == (parent, parent, Comment.Status.APPROVED)
    html = client.get(response["Location"], follow=True).content.decode()
    start = html.index(f'id="comment-{parent.pk}"')
    nested = html.index('<ol class="comment-replies">', start)
    assert start < nested < html.index(f'id="comment-{reply.pk}"')
    assert f'class="comment comment--depth-1" id="comment-{reply.pk}"' in html
    assert f'in reply to <a href="#comment-{parent.pk}" dir="auto">Ada</a>' in html


def test_replies_deeper_than_the_limit_stay_at_the_last_level(client, article):
    chain = [approved(article, body="level 0")]
    for level in range(1, 5):
        chain.append(approved(article, parent=chain[-1], body=f"level {level}"))
    html = client.get(article.get_absolute_url()).content.decode()
    depths = [int(html.split(f'id="comment-{c.pk}"')[0].rsplit("comment--depth-", 1)[1][0]) for c in chain]
    assert depths == [0, 1, 2, 2, 2]
    # each still says which comment it answers
    assert f'in reply to <a href="#comment-{chain[3].pk}" dir="auto">' in html


class CommentTree(HTMLParser):
    """Which comment each comment's <li> sits in, read from the page as a browser nests it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.placed_in: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"ol", "li"}:
            anchor = dict(attrs).get("id") if tag == "li" else None
            if anchor:
                enclosing = [a for t, a in self.stack if t == "li" and a]
                self.placed_in[anchor] = enclosing[-1] if enclosing else None
            self.stack.append((tag, anchor))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ol", "li"}:
            assert self.stack and self.stack[-1][0] == tag, (tag, self.stack)
            self.stack.pop()


def test_threads_nest_as_html_with_every_list_closed(client, article):
    a = approved(article)
    a1 = approved(article, parent=a)
    a11 = approved(article, parent=a1)
    a111 = approved(article, parent=a11)  # at the last level, beside its parent
    a2 = approved(article, parent=a)
    b = approved(article)
    b1 = approved(article, parent=b)
    c = approved(article)

    tree = CommentTree()
    tree.feed(client.get(article.get_absolute_url()).content.decode())

    assert tree.stack == []  # every <ol> and <li> was closed, in order
    where = {f"comment-{x.pk}": x for x in (a, a1, a11, a111, a2, b, b1, c)}
    placed = {where[k]: (where[v] if v else None) for k, v in tree.placed_in.items() if k in where}
    assert placed == {a: None, a1: a, a11: a1, a111: a1, a2: a, b: None, b1: b, c: None}


def test_removing_a_first_comment_hides_its_thread_and_a_middle_one_leaves_a_marker(client, article):
    first = approved(article, body="Thread one")
    middle = approved(article, parent=first, body="Middle reply")
    under_middle = approved(article, parent=middle, body="Answer to the middle")
    second = approved(article, body="Thread two")
    approved(article, parent=second, body="Reply in thread two")

    Comment.objects.filter(pk=middle.pk).update(status=Comment.Status.REMOVED)
    Comment.objects.filter(pk=second.pk).update(status=Comment.Status.REMOVED)
    html = client.get(article.get_absolute_url()).content.decode()

    assert "Middle reply" not in html
    assert "Answer to the middle" in html
    assert "in reply to a removed comment" in html
    assert f'class="comment comment--depth-1" id="comment-{under_middle.pk}"' in html
    assert "Thread two" not in html
    assert "Reply in thread two" not in html
    assert "2 comments</h2>" in html  # what the page shows


def test_long_conversations_are_paged_by_whole_threads_oldest_first(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads = [approved(article, body=f"Thread {n}") for n in range(5)]
    for thread in threads:
        approved(article, parent=thread, body=f"Reply to {thread.body}")

    first = client.get(article.get_absolute_url()).content.decode()
    last = client.get(article.get_absolute_url(), {"comments_page": 3}).content.decode()

    assert "10 comments</h2>" in first
    assert "Thread 0" in first and "Reply to Thread 1" in first and "Thread 2" not in first
    assert f'href="{article.get_absolute_url()}?comments_page=2#comments"' in first
    assert "Thread 4" in last and "Reply to Thread 4" in last and "Thread 3" not in last
    assert "Comments page 3 of 3" in last
    assert f'href="{article.get_absolute_url()}?comments_page=3#comment-{threads[4].pk}"' in last
    for stale in ("99", "0", "abc", "-1"):
        assert client.get(article.get_absolute_url(), {"comments_page": stale}).status_code == 200
    assert "Thread 4" in client.get(article.get_absolute_url(), {"comments_page": "99"}).content.decode()


def test_a_comments_link_costs_no_query_and_leads_to_its_page_at_the_comment(
    client, article, settings, django_assert_num_queries
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads = [approved(article) for _ in range(3)]
    reply = approved(article, parent=threads[2])
    reply = Comment.objects.select_related("article").get(pk=reply.pk)
    with django_assert_num_queries(0):
        link = reply.get_absolute_url()
    assert link == reverse("comments:permalink", args=[reply.pk])

    first = client.get(threads[0].get_absolute_url())
    assert (first.status_code, first["Location"]) == (302, f"{article.get_absolute_url()}#comment-{threads[0].pk}")
    landing = client.get(link, follow=True)
    assert landing.redirect_chain == [(f"{article.get_absolute_url()}?comments_page=2#comment-{reply.pk}", 302)]
    assert f'id="comment-{reply.pk}"' in landing.content.decode()


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED])
def test_a_link_to_a_comment_readers_cannot_see_is_the_same_404_as_none(client, article, status):
    hidden = CommentFactory(article=article, status=status)
    missing = client.get(reverse("comments:permalink", args=[hidden.pk + 1000]))
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_a_link_to_a_reply_in_a_removed_thread_or_on_an_unpublished_story_is_a_404(client, article):
    removed = CommentFactory(article=article, status=Comment.Status.REMOVED)
    orphan = approved(article, parent=removed)
    draft = ArticleFactory()
    on_draft = approved(draft)
    assert client.get(orphan.get_absolute_url()).status_code == 404
    assert client.get(on_draft.get_absolute_url()).status_code == 404
    assert client.get("/comments/99999999999999999999/").status_code == 404


def test_listings_show_each_storys_comment_count(client):
    busy = ArticleFactory(published=True, headline="Busy story")
    quiet = ArticleFactory(published=True, headline="Quiet story")
    first = approved(busy)
    approved(busy, parent=first)
    CommentFactory(article=busy, status=Comment.Status.PENDING)
    CommentFactory(article=quiet, status=Comment.Status.SPAM)

    html = client.get(reverse("articles:home")).content.decode()

    assert f'<a class="card__comments" href="{busy.get_absolute_url()}#comments">2 comments</a>' in html
    assert f'href="{quiet.get_absolute_url()}#comments"' not in html
    section_html = client.get(busy.section.get_absolute_url()).content.decode()
    assert "2 comments</a>" in section_html


# Unsubscribing from reply emails -------------------------------------------------------------------


def test_unsubscribe_link_asks_first_and_only_a_post_stops_the_emails(client, article):
    from comments.notifications import unsubscribe_token

    mine = CommentFactory(article=article, email="ada@example.com", notify_replies=True)
    other = CommentFactory(article=article, email="bea@example.com", notify_replies=True)
    url = reverse("comments:unsubscribe", args=[unsubscribe_token("ada@example.com")])

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop reply emails</button>" in page.content.decode()
    mine.refresh_from_db()
    assert mine.notify_replies  # a link scanner's GET changes nothing

    done = client.post(url)
    assert "You will get no more reply emails" in done.content.decode()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.notify_replies, other.notify_replies) == (False, True)


def test_a_mangled_unsubscribe_link_is_a_clear_400(client):
    response = client.get(reverse("comments:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert client.post(reverse("comments:unsubscribe", args=["not-a-token"])).status_code == 400


# Query budgets --------------------------------------------------------------------------------------
# A post reads the article, the moderation settings and (for a comment no rule held) whether the
# address has an approved comment, then inserts inside a savepoint so that a duplicate can be told
# apart from a failure. In production the savepoint is the request's own transaction (BEGIN and
# COMMIT, which Django does not log); in a test it is nested in the test's transaction and shows.
# The emails are sent after commit but still inside the reader's request, so the callbacks run
# inside each count: a held comment looks up the moderators, a published reply the parent's author.


def test_posting_a_comment_costs_a_fixed_number_of_queries(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    info = "article, settings, known author?, savepoint, insert, release; after commit: moderators"
    with django_assert_num_queries(7, info=info), django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(post_url(article), form_data()).status_code == 302
    assert len(callbacks) == 1
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_posting_a_reply_costs_one_query_more_for_its_parent(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    parent = approved(article)
    info = "article, parent, settings, known author?, savepoint, insert, release; after commit: moderators"
    with django_assert_num_queries(8, info=info), django_capture_on_commit_callbacks(execute=True):
        assert client.post(post_url(article), form_data(parent=str(parent.pk))).status_code == 302
    assert Comment.objects.get(parent=parent).status == Comment.Status.PENDING


def test_a_published_comment_costs_no_query_to_link_to_it(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    approved(article, email="aminata@example.com")
    info = "article, settings, known author, savepoint, insert, release"
    with django_assert_num_queries(6, info=info), django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(post_url(article), form_data(body="Published now.")).status_code == 302
    # Only the purge of the story's cached pages (comments/caching.py) ran after the commit: nobody to email.
    assert len(callbacks) == 1
    assert mail.outbox == []
    assert Comment.objects.get(body="Published now.").status == Comment.Status.APPROVED


def test_a_published_reply_costs_one_query_more_to_see_who_asked(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    parent = approved(article, email="aminata@example.com")
    info = "article, parent, settings, known author, savepoint, insert, release; after commit: who asked"
    with django_assert_num_queries(8, info=info), django_capture_on_commit_callbacks(execute=True):
        assert client.post(post_url(article), form_data(body="Reply.", parent=str(parent.pk))).status_code == 302
    assert Comment.objects.get(body="Reply.").status == Comment.Status.APPROVED


def test_a_published_reply_to_a_reader_who_asked_costs_one_query_more_for_the_email(
    client, article, django_assert_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    approved(article, email="bea@example.com")  # makes the replier a known author
    parent = approved(article, email="ada@example.com", notify_replies=True)
    info = "the reply's eight, then: marking it announced (the email's link costs none)"
    with django_assert_num_queries(9, info=info), django_capture_on_commit_callbacks(execute=True):
        data = form_data(email="bea@example.com", body="Reply.", parent=str(parent.pk))
        assert client.post(post_url(article), data).status_code == 302
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]


def test_a_get_on_the_comment_url_is_a_405_with_a_page_saying_where_to_comment(client, article):
    response = client.get(post_url(article))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Comments are sent from the form under each story" in response.content.decode()


def test_the_article_page_sets_no_cookie_and_its_form_posts_without_one(article):
    """The page can be cached and shared: no CSRF cookie, no Vary: Cookie; the form's token is what it sends."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(article.get_absolute_url())
    assert not page.cookies
    assert "Cookie" not in page.get("Vary", "")
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    with time_machine.travel(time.time() + 30):
        response = client.post(post_url(article), {**form_data(), "token": token}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert Comment.objects.count() == 1
