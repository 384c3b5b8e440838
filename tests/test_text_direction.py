"""Right-to-left text: what writers and readers wrote is marked dir="auto", so Arabic or Hebrew lines align right."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, CorrectionFactory, SectionFactory
from tests.html_elements import Element, elements

pytestmark = pytest.mark.django_db

# Each piece of text starts with an Arabic word and ends with a label naming where it belongs.
RTL = "مرحبا"


def rtl(label: str) -> str:
    return f"{RTL} {label}"


def unmarked(html: str) -> tuple[set[str], list[str]]:
    """The labels of the right-to-left text shown in `html`, and those of it whose direction the page leaves
    to the page's own (left to right). Text is marked when its element carries dir="auto" or is a <bdi>, or
    when its parent carries dir="auto": a headline's link, or the paragraphs of a story's body or a comment."""
    found, bare = set(), []
    for element in elements(html):
        if RTL not in element.own_text or element.tag in {"title", "script"}:
            continue
        labels = [part.split()[0] for part in element.own_text.split(RTL)[1:]]
        found.update(labels)
        if not (_marks(element) or (element.parent is not None and _marks(element.parent))):
            bare += labels
    return found, bare


def _marks(element: Element) -> bool:
    return element.tag == "bdi" or element.attrs.get("dir") == "auto"


@pytest.fixture
def story() -> Article:
    section = SectionFactory(name=rtl("section"), description=rtl("section-description"))
    author = AuthorFactory(name=rtl("author"), job_title=rtl("job"), bio=rtl("bio"))
    article = ArticleFactory(
        published=True,
        section=section,
        authors=[author],
        tags=[rtl("tag")],
        headline=rtl("headline"),
        summary=rtl("summary"),
        body=f"<p>{rtl('body')}</p>",
        source_name=rtl("source"),
        source_url="https://example.com/",
    )
    CorrectionFactory(article=article, text=rtl("correction"))
    thread = CommentFactory(article=article, status=Comment.Status.APPROVED, name=rtl("commenter"), body=rtl("comment"))
    CommentFactory(article=article, status=Comment.Status.APPROVED, parent=thread, name=rtl("replier"))
    return article


def test_the_article_page_marks_every_writers_and_readers_text(client, story):
    reply_to = story.comments.get(parent=None)
    html = client.get(story.get_absolute_url(), {"reply_to": reply_to.pk}).content.decode()

    found, bare = unmarked(html)

    assert found >= {
        "section", "author", "job", "bio", "tag", "headline", "summary", "body", "source", "correction",
        "commenter", "comment", "replier",
    }  # fmt: skip
    assert bare == []


def test_listing_pages_mark_headlines_summaries_names_and_descriptions(client, story):
    author = story.byline_authors[0]
    pages = {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=[story.tags.get().slug]),
        "author": author.get_absolute_url(),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, page
        found, bare = unmarked(response.content.decode())
        assert {"headline", "summary", "author", "section"} <= found, page
        assert bare == [], page
    assert {"section-description"} <= unmarked(client.get(pages["section"]).content.decode())[0]
    assert {"tag"} <= unmarked(client.get(pages["tag"]).content.decode())[0]
    assert {"job", "bio"} <= unmarked(client.get(pages["author"]).content.decode())[0]


def test_a_withdrawn_storys_notice_is_marked(client):
    ArticleFactory(slug="gone", withdrawn_at=timezone.now() - timedelta(hours=1), withdrawal_note=rtl("notice"))
    response = client.get(reverse("articles:detail", args=["gone"]))
    assert response.status_code == 410
    assert unmarked(response.content.decode()) == ({"notice"}, [])


def test_a_refused_comment_given_back_is_marked(client):
    article = ArticleFactory(published=True, is_closed_for_comments=True, headline="Closed")
    response = client.post(reverse("comments:post", args=[article.slug]), form_data(body=rtl("refused")))
    assert response.status_code == 403
    found, bare = unmarked(response.content.decode())
    assert "refused" in found
    assert bare == []


def test_the_comment_boxes_a_reader_types_into_follow_the_text_direction(client, story):
    html = client.get(story.get_absolute_url()).content.decode()

    boxes = {element.attrs.get("name"): element for element in elements(html) if element.tag in {"input", "textarea"}}

    assert boxes["name"].attrs.get("dir") == "auto"
    assert boxes["body"].attrs.get("dir") == "auto"
