import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Aminata", "email": "aminata@example.com", "body": "A thoughtful remark.\n\nSecond paragraph."}


@pytest.fixture
def article():
    return ArticleFactory(published=True)


def post_url(article: Article) -> str:
    return reverse("comments:post", args=[article.slug])


def test_a_comment_is_stored_pending_and_the_reader_is_told_it_awaits_moderation(client, article):
    response = client.post(post_url(article), VALID, follow=True, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="UA/1")
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comments", 302)]
    html = response.content.decode()
    assert "awaiting moderation" in html
    assert "A thoughtful remark." not in html
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == ("pending", "Aminata", "aminata@example.com")
    assert (comment.ip_address, comment.user_agent) == ("198.51.100.4", "UA/1")


def test_an_approved_comment_is_shown_with_its_paragraphs_and_never_the_email(client, article):
    comment = CommentFactory(article=article, body="First line\nsecond line\n\nNew paragraph", email="hide@example.com")
    assert "First line" not in client.get(article.get_absolute_url()).content.decode()
    comment.status = Comment.Status.APPROVED
    comment.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First line<br>second line</p>\n\n<p>New paragraph</p>" in html
    assert "hide@example.com" not in html
    assert f'id="comment-{comment.pk}"' in html
    assert "1 comment</h2>" in html


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_unapproved_comments_stay_hidden(client, article, status):
    CommentFactory(article=article, status=status, body="Hidden words")
    assert "Hidden words" not in client.get(article.get_absolute_url()).content.decode()


def test_hostile_comment_is_shown_as_text(client, article):
    CommentFactory(article=article, status="approved", name="<b>x</b>", body="<script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**VALID, "name": ""}, "name", "This field is required."),
        ({**VALID, "name": "   "}, "name", "This field is required."),
        ({**VALID, "email": "not-an-email"}, "email", "Enter a valid email address."),
        ({**VALID, "body": ""}, "body", "This field is required."),
        ({**VALID, "body": "x" * 5001}, "body", "Ensure this value has at most 5000 characters"),
        ({**VALID, "name": "n" * 81}, "name", "Ensure this value has at most 80 characters"),
        ({**VALID, "body": "nul\x00byte"}, "body", "Null characters are not allowed."),
    ],
)
def test_invalid_comment_reshows_the_form_with_errors_and_the_input_kept(client, article, data, field, message):
    response = client.post(post_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert article.headline in html
    assert response.context["form"].errors[field]
    kept = {k: v for k, v in data.items() if k != field}
    for value in kept.values():
        assert value.split("\n")[0] in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Article.Status.DRAFT])
def test_posting_to_a_draft_or_unknown_article_is_a_404(client, status):
    draft = ArticleFactory(status=status)
    assert client.post(post_url(draft), VALID).status_code == 404
    assert client.post(reverse("comments:post", args=["no-such-story"]), VALID).status_code == 404
    assert not Comment.objects.exists()


def test_a_get_on_the_comment_url_is_refused_not_an_error(client, article):
    assert client.get(post_url(article)).status_code == 405


def test_a_post_without_a_csrf_token_is_refused_and_stores_nothing(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), VALID)
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_post_with_the_pages_csrf_token_is_accepted(article):
    client = Client(enforce_csrf_checks=True)
    client.get(article.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(post_url(article), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.count() == 1


# A successful post reads the article and inserts the comment; the byline and tags are only
# loaded when the form has errors and the page must be shown again.
def test_posting_a_comment_costs_a_fixed_number_of_queries(client, article, django_assert_num_queries):
    with django_assert_num_queries(2, info="article, insert"):
        assert client.post(post_url(article), VALID).status_code == 302
