"""Every reader page's markup is the same, byte for byte, whether drawn by the Python that replaced the `<head>`'s,
the messages' and the listings' includes (newsroom/chrome.py, articles/story.py, articles/cards.py,
newsroom/paging.py) or by those includes as they were, kept in tests/reference_templates/ for this comparison. Each
page is fetched twice, the second time with the reference templates put before the site's own, in every state a
reader or an editor can meet. A change to that markup is made in the Python and, to keep this comparison, in the
reference copy too."""

import copy
import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from newsroom.publication import current_publication
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, CorrectionFactory, SectionFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parent.parent / "reference_templates"
# The form's signed token is new on every render; nothing else on a page is.
TOKEN = re.compile(r'name="token" value="[^"]*"')


def _reference_templates(settings) -> None:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [REFERENCE, *templates[0]["DIRS"]]
    templates[0]["OPTIONS"]["libraries"] = {"reference_head": "tests.reference_tags"}
    settings.TEMPLATES = templates


def both(settings, fetch) -> tuple[str, str]:
    """The page `fetch()` gets as drawn now, then as the reference templates drew it."""
    now = fetch()
    original = settings.TEMPLATES
    _reference_templates(settings)
    try:
        before = fetch()
    finally:
        settings.TEMPLATES = original
    assert now.status_code == before.status_code
    return TOKEN.sub("", now.content.decode()), TOKEN.sub("", before.content.decode())


def message_cookie(*notes: tuple[int, str, str]) -> str:
    """The messages cookie a reader carries after these one-time messages (level, text, extra tags)."""
    storage = CookieStorage(RequestFactory().get("/"))
    for level, text, tags in notes:
        storage.add(level, text, extra_tags=tags)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def assert_same(settings, client: Client, url: str, *, cookie: str = "", method: str = "get", data=None) -> str:
    def fetch():
        if cookie:
            client.cookies[CookieStorage.cookie_name] = cookie
        return client.post(url, data) if method == "post" else client.get(url, data)

    now, before = both(settings, fetch)
    assert now == before
    return now


@pytest.fixture
def story(few_renditions):
    """A published story with every part filled in, comments in threads, related stories and a share picture."""
    section = SectionFactory(name="World <&> news", description="Far & near")
    authors = [AuthorFactory(name="Ada <b>", bio="Writes & reports"), AuthorFactory(name="Bea")]
    article = ArticleFactory(
        published=True,
        section=section,
        authors=authors,
        tags=["mali", "sahel"],
        summary='A "standfirst" & more',
        hero_image=image_upload("hero.png", (1600, 900)),
        hero_alt="A convoy <at dusk>",
    )
    CorrectionFactory(article=article, text="Fixed a name.")
    first = CommentFactory(article=article, status=Comment.Status.APPROVED, name="O'Brien & co")
    CommentFactory(article=article, status=Comment.Status.APPROVED, parent=first, name="Ama")
    for _ in range(3):
        ArticleFactory(published=True, section=section, tags=["mali"])
    return article


@pytest.fixture
def dressed_publication(few_renditions):
    """A publication with every optional part: tagline, X account, share picture, contact address."""
    publication = current_publication()
    publication.tagline = "Valley news & views"
    publication.x_handle = "@ledger"
    publication.contact_email = "desk@ledger.example"
    publication.share_image = image_upload("share.png", size=(1200, 630))
    publication.full_clean()
    publication.save()
    return publication


def test_the_article_page_is_the_same_for_an_anonymous_reader(settings, client, story):
    html = assert_same(settings, client, story.get_absolute_url())
    assert '<meta property="article:tag" content="mali">' in html


def test_the_article_page_is_the_same_with_the_publications_every_part(settings, client, story, dressed_publication):
    assert_same(settings, client, story.get_absolute_url())
    assert_same(settings, client, ArticleFactory(published=True).get_absolute_url())  # no picture of its own


def test_the_article_page_is_the_same_with_one_time_messages(settings, client, story):
    cookie = message_cookie(
        (messages.SUCCESS, "Signed <out>.", ""),
        (messages.INFO, "Your comment is waiting & will show.", "comment"),
    )
    html = assert_same(settings, client, story.get_absolute_url(), cookie=cookie)
    assert '<p class="message message--success">Signed &lt;out&gt;.</p>' in html


def test_the_article_page_is_the_same_for_staff_signed_in(settings, editor_client, story):
    assert_same(settings, editor_client, story.get_absolute_url())


@pytest.mark.parametrize("state", ["draft", "scheduled", "published", "withdrawn"])
def test_a_preview_is_the_same_in_every_state(settings, editor_client, story, state):
    if state == "draft":
        Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    elif state == "scheduled":
        later = story.published_at.replace(year=story.published_at.year + 1)
        Article.objects.filter(pk=story.pk).update(published_at=later)
    elif state == "withdrawn":
        Article.objects.filter(pk=story.pk).update(withdrawn_at=story.published_at, status=Article.Status.DRAFT)
    html = assert_same(settings, editor_client, reverse("articles:preview", kwargs={"pk": story.pk}))
    assert "preview-banner" in html


def test_the_article_page_is_the_same_with_form_errors_and_a_reply(settings, client, story):
    reply_to = story.comments.first()
    url = reverse("comments:post", kwargs={"slug": story.slug})
    assert_same(settings, client, url, method="post", data=form_data(email="not an address", parent=reply_to.pk))
    assert_same(settings, client, story.get_absolute_url(), data={"reply_to": reply_to.pk})


def test_the_article_page_is_the_same_with_comments_closed_and_a_comment_refused(settings, client):
    article = ArticleFactory(published=True, is_closed_for_comments=True)
    url = reverse("comments:post", kwargs={"slug": article.slug})
    html = assert_same(settings, client, url, method="post", data=form_data(body="Too late <b>now</b>."))
    assert "Too late &lt;b&gt;now&lt;/b&gt;." in html


def test_the_listing_pages_are_the_same(settings, client, story, dressed_publication):
    settings.ARTICLES_PER_PAGE = 2
    author = story.authors.first()
    for url in (
        reverse("articles:home"),
        reverse("articles:section", kwargs={"slug": story.section.slug}),
        reverse("articles:tag", kwargs={"slug": "mali"}),
        author.get_absolute_url(),
        reverse("articles:corrections"),
        reverse("articles:search") + "?q=standfirst",
        "/no-such-page/",
    ):
        assert_same(settings, client, url)
    older = re.search(r'rel="next" href="([^"]+)"', assert_same(settings, client, reverse("articles:home")))
    assert_same(settings, client, reverse("articles:home") + older[1].replace("&amp;", "&"))


def test_the_home_page_is_the_same_with_no_stories_and_no_publication_record(settings, client):
    assert_same(settings, client, reverse("articles:home"))
