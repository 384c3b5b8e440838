from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def aged(days: int, **fields) -> Comment:
    comment = CommentFactory(**fields)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=days))
    return comment


def run(*args: str) -> str:
    out = StringIO()
    call_command("purge_comments", *args, stdout=out)
    return out.getvalue()


def test_purge_comments_deletes_old_spam_and_removed_and_says_how_many():
    aged(31, status="spam")
    aged(31, status="removed")
    keep = [aged(31, status="approved"), aged(1, status="spam")]
    assert run("--older-than", "30") == "Deleted 1 spam and 1 removed comments older than 30 days.\n"
    assert set(Comment.objects.all()) == set(keep)


def test_purge_comments_dry_run_deletes_nothing():
    aged(31, status="spam")
    parent = aged(31, status="removed")
    aged(31, status="approved", parent=parent, article=parent.article)
    assert run("--older-than", "30", "--dry-run") == (
        "Would delete 1 spam and 0 removed comments older than 30 days.\n"
        "Kept 1 that still have replies in the database.\n"
    )
    assert Comment.objects.count() == 3


@pytest.mark.parametrize("args", [[], ["--older-than", "0"], ["--older-than", "ten"], ["--older-than", "-5"]])
def test_purge_comments_refuses_a_missing_or_unsafe_age(args):
    aged(31, status="spam")
    with pytest.raises(CommandError):
        call_command("purge_comments", *args)
    assert Comment.objects.count() == 1
