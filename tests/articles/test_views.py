import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.templatetags.machine_time import machine_datetime
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, CorrectionFactory, SectionFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_article():
    """An article with every part the sample page has."""
    first = AuthorFactory(name="Marisol Gonzalez", slug="marisol-gonzalez", bio="Marisol Gonzalez is a journalist.")
    second = AuthorFactory(name="Amadou Diallo", slug="amadou-diallo", bio="Amadou Diallo reports from Bamako.")
    return ArticleFactory(
        published=True,
        headline="Wagner Exits Mali",
        slug="wagner-exits-mali",
        summary="Wagner mercenaries have officially left Mali.",
        body="<p>First paragraph.</p><blockquote><p>“Mission accomplished.”</p></blockquote><p>Last paragraph.</p>",
        hero_image=image_upload("hero.png", (1600, 900)),
        hero_alt="Armoured vehicles in a desert",
        hero_caption="A convoy near Gao",
        hero_credit="Newsroom",
        source_name="inkl.com",
        source_url="https://www.inkl.com",
        section=SectionFactory(name="World", slug="world"),
        authors=[first, second],
        tags=["Mali", "Sahel"],
    )


def test_article_page_shows_every_part_of_the_story(client, full_article):
    response = client.get(full_article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="story__headline" dir="auto">Wagner Exits Mali</h1>' in html
    assert 'width="1600" height="900" alt="Armoured vehicles in a desert" fetchpriority="high">' in html
    caption = '<figcaption dir="auto">A convoy near Gao <span class="credit" dir="auto">Newsroom</span></figcaption>'
    assert caption in html
    assert "Wagner mercenaries have officially left Mali." in html
    assert "<blockquote><p>“Mission accomplished.”</p></blockquote>" in html
    assert '<a href="https://www.inkl.com" rel="noopener noreferrer" dir="auto">inkl.com</a>' in html
    assert '<a href="/authors/marisol-gonzalez/" rel="author" dir="auto">Marisol Gonzalez</a> and ' in html
    assert "Amadou Diallo reports from Bamako." in html
    assert (
        '<p class="kicker"><span class="type-label type-label--news">News</span> '
        '<a href="/sections/world/" dir="auto">World</a></p>'
    ) in html
    assert 'href="/tags/mali/" rel="tag" dir="auto">Mali</a>' in html
    assert f'<time datetime="{machine_datetime(full_article.published_at)}' in html
    assert '<form class="comment-form" method="post"' in html


def test_article_page_is_semantic_html_without_inline_script(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    for landmark in ('<article class="story">', '<header class="story__header">', "<figure", "<main"):
        assert landmark in html
    # Structured data is the one script element without src: JSON-LD, data that no browser runs.
    assert [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag] == [
        '<script type="application/ld+json">'
    ]
    assert " style=" not in html
    assert html.count("<h1") == 1


def test_text_fields_are_escaped_on_the_article_page(client):
    article = ArticleFactory(
        published=True,
        headline="<script>alert('h')</script>",
        summary="<b>bold?</b>",
        hero_image=image_upload("hero.png", (1600, 900)),
        hero_alt='Alt" onerror="alert(1)',
        hero_caption="<i>caption</i>",
        hero_credit="<u>credit</u>",
        source_name="<i>src</i>",
        source_url='https://example.org/?q="><script>alert(3)</script>',
        section=SectionFactory(name="<s>World</s>", slug="world"),
        tags=["<b>tag</b>"],
        authors=[AuthorFactory(name="<em>Eve</em>", job_title="<q>Chief</q>", bio="<script>alert('bio')</script>")],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;h&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;bio&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert 'alt="Alt&quot; onerror=&quot;alert(1)"' in html
    assert 'onerror="' not in html
    assert "&lt;i&gt;caption&lt;/i&gt;" in html
    assert "&lt;u&gt;credit&lt;/u&gt;" in html
    assert "&lt;i&gt;src&lt;/i&gt;</a>" in html
    assert 'href="https://example.org/?q=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"' in html
    assert "&lt;s&gt;World&lt;/s&gt;" in html and "<s>" not in html
    assert "&lt;b&gt;tag&lt;/b&gt;</a>" in html
    assert "&lt;em&gt;Eve&lt;/em&gt;" in html
    assert "&lt;q&gt;Chief&lt;/q&gt;" in html


def test_article_page_says_when_a_story_was_updated_after_publication(client):
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "updated <time" not in html

    article.summary = "A new summary."
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        article.save()
    article.refresh_from_db()

    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Published <time datetime="{machine_datetime(article.published_at)}">' in html
    assert f', updated <time datetime="{machine_datetime(article.updated_at)}">' in html


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_drafts_and_scheduled_articles_are_invisible_to_readers(client, hidden):
    author = AuthorFactory()
    section = SectionFactory()
    article = ArticleFactory(
        authors=[author], section=section, tags=["secret"], headline="Hidden story", slug="hidden-story", **hidden
    )
    # A published story in every listing, so an empty listing cannot pass for a filtered one.
    shown = ArticleFactory(
        published=True, authors=[author], section=section, tags=["secret"], headline="Shown story", slug="shown-story"
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    for listing in (
        reverse("articles:home"),
        author.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", args=["secret"]),
    ):
        response = client.get(listing)
        assert response.status_code == 200
        html = response.content.decode()
        assert shown.get_absolute_url() in html
        assert article.get_absolute_url() not in html
        assert "Hidden story" not in html


def test_scheduled_article_appears_once_its_time_has_come(client):
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_home_page_lists_newest_first_and_pages_to_older_stories(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now()
    oldest, old, middle, new = (
        ArticleFactory(published=True, headline=f"Story {label}", published_at=now - timedelta(hours=hours))
        for label, hours in (("oldest", 4), ("old", 3), ("middle", 2), ("new", 1))
    )
    first_page = client.get(reverse("articles:home")).content.decode()
    # Without an editor's choice the newest story leads, then the page of the latest after it.
    assert first_page.index(new.headline) < first_page.index(middle.headline) < first_page.index(old.headline)
    assert oldest.headline not in first_page
    older = re.search(r'rel="next" href="([^"]+)">Older stories', first_page)
    assert older, "the first page links to older stories"
    second_page = client.get(reverse("articles:home") + html.unescape(older[1])).content.decode()
    assert oldest.headline in second_page
    assert new.headline not in second_page
    assert "Newer stories" in second_page and "Older stories" not in second_page


@pytest.mark.parametrize("page", ["999", "abc", "-1", "1.5"])
def test_a_mangled_page_number_leads_to_a_real_page_not_an_error(client, page):
    ArticleFactory(published=True)
    response = client.get(reverse("articles:home"), {"page": page}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, "old page numbers answer with the cursor page's address"


def test_section_and_tag_pages_list_their_stories_only(client):
    world, business = SectionFactory(name="World", slug="world"), SectionFactory(name="Business", slug="business")
    in_world = ArticleFactory(published=True, section=world, tags=["Mali"])
    in_business = ArticleFactory(published=True, section=business, tags=["Markets"])
    world_page = client.get(world.get_absolute_url()).content.decode()
    assert in_world.headline in world_page and in_business.headline not in world_page
    tag_page = client.get(reverse("articles:tag", args=["markets"])).content.decode()
    assert in_business.headline in tag_page and in_world.headline not in tag_page


def test_a_storys_topics_are_listed_in_name_order_whatever_order_they_were_added(client):
    article = ArticleFactory(published=True)
    existing = ArticleFactory(tags=["Niger"])  # an older tag, so ids do not follow names either
    article.tags.add("Sahel", "Bamako", existing.tags.get())
    page = client.get(article.get_absolute_url()).content.decode()
    topics = re.search(r'<ul class="tags" aria-label="Topics">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r'rel="tag" dir="auto">([^<]+)</a>', topics) == ["Bamako", "Niger", "Sahel"]


def test_unknown_pages_get_the_sites_own_404(client):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert client.get("/sections/nowhere/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404


# Query budgets. Article page: article with section and its comment counts (subqueries), bylines
# with authors, tags, corrections and updates, the related stories, their bylines, the page of comment
# threads with their replies, section navigation = 8, whatever the number of authors, tags, notes, related
# stories and comments; 7 when no story is related, as nothing needs a byline then.
ARTICLE_PAGE = "article+section+counts, bylines+authors, tags, notes, related, related bylines, comments, nav"


@pytest.mark.parametrize("count", [1, 8])
def test_article_page_query_count_does_not_grow_with_tags_authors_or_notes(client, django_assert_num_queries, count):
    tags = [f"tag{i}" for i in range(count)]
    article = ArticleFactory(published=True, authors=AuthorFactory.create_batch(count), tags=tags)
    for n in range(count):
        ArticleFactory(published=True, authors=AuthorFactory.create_batch(2), tags=tags[: n + 1])
    CommentFactory(article=article, status="approved")
    CorrectionFactory.create_batch(count, article=article)
    SectionFactory.create_batch(count)
    with django_assert_num_queries(8, info=ARTICLE_PAGE):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="author-bio"') == count
    assert html.count('class="correction correction--') == count
    assert html.count('class="card"') == min(count, 4)


@pytest.mark.parametrize(("threads", "replies"), [(1, 0), (25, 3)], ids=["1 comment", "100 comments with replies"])
def test_article_page_query_count_does_not_grow_with_comments(client, django_assert_num_queries, threads, replies):
    article = ArticleFactory(published=True)
    for _ in range(threads):
        parent = CommentFactory(article=article, status="approved")
        for _ in range(replies):
            parent = CommentFactory(article=article, status="approved", parent=parent)
    total = threads * (1 + replies)
    with django_assert_num_queries(7, info=ARTICLE_PAGE.replace(" related bylines,", "")):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count('<li class="comment ') == total
    assert f"{total} comment" in html


# Home page: the lead story, articles with sections (one page and one more, by cursor: no count), bylines with
# authors (lead and page together), tags (the same), section navigation = 5, whatever the number of articles.
@pytest.mark.parametrize("count", [2, 11])
def test_home_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    for _ in range(count):
        article = ArticleFactory(published=True, authors=AuthorFactory.create_batch(2), tags=["a", "b"])
        CommentFactory.create_batch(2, article=article, status="approved")
    # The comment counts are a subquery of the articles query, so they cost nothing more.
    info = "lead, articles+sections+comment counts, bylines+authors, tags, nav"
    with django_assert_num_queries(5, info=info):
        response = client.get(reverse("articles:home"))
    html = response.content.decode()
    assert html.count('class="card"') == count
    assert html.count("2 comments</a>") == count


@pytest.mark.parametrize("count", [1, 10])
def test_section_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    section = SectionFactory()
    ArticleFactory.create_batch(count, published=True, section=section, tags=["x"])
    with django_assert_num_queries(5, info="section, articles+sections, bylines+authors, tags, nav"):
        assert client.get(section.get_absolute_url()).status_code == 200
