"""The comment thread as readers get it, now that comments/render.py writes it instead of a template."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def approved(article, **kwargs) -> Comment:
    return CommentFactory(article=article, status=Comment.Status.APPROVED, **kwargs)


def test_names_are_shown_as_typed_and_never_as_markup_wherever_the_thread_repeats_them(client, article):
    hostile = '<img src=x onerror=alert(1)> "O\'Brien" & co'
    first = approved(article, name=hostile)
    approved(article, parent=first, name="Ama")

    html = client.get(article.get_absolute_url()).content.decode()

    shown = "&lt;img src=x onerror=alert(1)&gt; &quot;O&#x27;Brien&quot; &amp; co"
    assert "<img src=x" not in html
    assert f'dir="auto">{shown}</strong>' in html  # the name over the comment
    assert f'in reply to <a href="#comment-{first.pk}" dir="auto">{shown}</a>' in html  # under the reply
    assert f'aria-label="Reply to {shown}"' in html  # the Reply link, for screen readers


def test_links_on_a_later_comment_page_keep_the_reader_on_that_page(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    approved(article)
    second = approved(article)

    html = client.get(article.get_absolute_url(), {"comments_page": 2, "utm_source": "x"}).content.decode()

    url = article.get_absolute_url()
    assert f'href="{url}?comments_page=2#comment-{second.pk}"' in html  # the permalink
    assert f'href="{url}?comments_page=2&amp;reply_to={second.pk}#comment-form"' in html  # Reply
    assert "utm_source" not in html


def test_a_story_closed_for_comments_shows_its_comments_without_reply_links(client, article):
    first = approved(article, body="Still worth reading.")
    article.is_closed_for_comments = True
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Still worth reading." in html
    assert f'id="comment-{first.pk}"' in html
    assert "reply_to=" not in html
    assert 'class="comment__actions"' not in html


def test_a_comments_time_is_given_in_the_sites_time_zone_to_the_second(client, article, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    comment = approved(article)
    written = datetime(2026, 3, 9, 23, 45, 30, 123456, tzinfo=ZoneInfo("UTC"))
    Comment.objects.filter(pk=comment.pk).update(created_at=written)

    html = client.get(article.get_absolute_url()).content.decode()

    # 23:45 UTC is 05:15 the next morning in India: the date a reader there saw it posted. The machine-readable
    # time stops at the second, as HTML requires (at most three digits of a fraction).
    assert '<time datetime="2026-03-10T05:15:30+05:30">10 March 2026, 05:15</time>' in html
