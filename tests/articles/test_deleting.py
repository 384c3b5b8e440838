"""Deleting an article from the admin: its conversation and every row that is part of it go with it."""

import pytest
from django.urls import reverse
from reversion.models import Revision, Version

from articles.models import Article, Byline, Correction, SlugRedirect, StatusChange, TaggedArticle
from articles.services import keep_revisions, move_article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, CorrectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def delete_url(article: Article) -> str:
    return reverse("admin:articles_article_delete", args=[article.pk])


@pytest.fixture
def discussed(admin_user) -> Article:
    """A published story with a thread of three comments (a reply and a reply to it), a correction, a tag,
    an old address, a status change and a revision."""
    article = ArticleFactory(tags=["Mali"])
    move_article(article, to=Article.Status.PUBLISHED, by=admin_user)
    first = CommentFactory(article=article, status=Comment.Status.APPROVED)
    reply = CommentFactory(article=article, parent=first, root=first, status=Comment.Status.APPROVED)
    CommentFactory(article=article, parent=reply, root=first)
    CorrectionFactory(article=article)
    SlugRedirect.objects.create(article=article, old_slug="first-draft-address")
    keep_revisions([article.pk], comment="Saved.", user=admin_user)
    return article


def rows_of(article_id: int) -> dict[str, int]:
    return {
        "comments": Comment.objects.filter(article_id=article_id).count(),
        "bylines": Byline.objects.filter(article_id=article_id).count(),
        "tagged items": TaggedArticle.objects.filter(content_object_id=article_id).count(),
        "corrections": Correction.objects.filter(article_id=article_id).count(),
        "old addresses": SlugRedirect.objects.filter(article_id=article_id).count(),
        "status changes": StatusChange.objects.filter(article_id=article_id).count(),
        "revisions": Version.objects.get_for_model(Article).filter(object_id=str(article_id)).count(),
    }


@pytest.mark.parametrize("who", ["editor_client", "desk_editor_client"])
def test_an_editor_deletes_an_article_with_comments_and_everything_that_is_part_of_it(request, who, discussed):
    client = request.getfixturevalue(who)
    address = discussed.get_absolute_url()
    assert all(rows_of(discussed.pk).values()), rows_of(discussed.pk)

    confirmation = client.get(delete_url(discussed))
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "permission to delete" not in html
    assert "Comments: 3" in html  # the summary says how many comments go

    response = client.post(delete_url(discussed), {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.filter(pk=discussed.pk).exists()
    assert rows_of(discussed.pk) == dict.fromkeys(rows_of(discussed.pk), 0)
    assert client.get(address).status_code == 404
    assert client.get("/first-draft-address/").status_code == 404


def test_the_delete_selected_action_takes_articles_with_comments(desk_editor_client, discussed, admin_user):
    other = ArticleFactory(published=True)
    CommentFactory(article=other)
    untouched = ArticleFactory(published=True)
    # One revision from a bulk action holds all three; the kept article's part of it stays.
    keep_revisions([discussed.pk, other.pk, untouched.pk], comment="Published.", user=admin_user)
    data = {"action": "delete_selected", "_selected_action": [discussed.pk, other.pk]}

    confirmation = desk_editor_client.post(CHANGELIST, data)
    assert confirmation.status_code == 200
    assert "Comments: 4" in confirmation.content.decode()
    response = desk_editor_client.post(CHANGELIST, {**data, "post": "yes"})

    assert response.status_code == 302
    assert list(Article.objects.all()) == [untouched]
    assert not Comment.objects.exists()
    assert rows_of(discussed.pk)["revisions"] == rows_of(other.pk)["revisions"] == 0
    assert Version.objects.get_for_object(untouched).count() == 1
    assert Revision.objects.count() == 1


def test_a_writer_still_cannot_delete_an_article(writer_client, writer):
    draft = ArticleFactory(created_by=writer)
    CommentFactory(article=draft)

    assert writer_client.get(delete_url(draft)).status_code == 403
    assert writer_client.post(delete_url(draft), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()
    assert Comment.objects.filter(article=draft).count() == 1


def test_a_comment_still_cannot_be_deleted_on_its_own(desk_editor_client, editor_client):
    comment = CommentFactory()

    assert editor_client.get(reverse("admin:comments_comment_delete", args=[comment.pk])).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()
