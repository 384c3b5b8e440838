import html
import re

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db


def test_author_page_shows_name_photo_bio_and_their_published_stories(client):
    author = AuthorFactory(
        name="Marisol Gonzalez",
        job_title="Culture writer",
        bio="Marisol writes.",
        photo=image_upload("m.png", (400, 400)),
    )
    theirs = ArticleFactory(published=True, authors=[author])
    draft = ArticleFactory(status=Article.Status.DRAFT, authors=[author])
    someone_elses = ArticleFactory(published=True)
    html = client.get(author.get_absolute_url()).content.decode()
    assert '<h1 class="page-title" dir="auto">Marisol Gonzalez</h1>' in html
    assert "Culture writer" in html and "Marisol writes." in html
    assert 'width="384" height="384" alt="Marisol Gonzalez" class="author-header__photo"' in html
    assert theirs.headline in html
    assert draft.headline not in html
    assert someone_elses.headline not in html


def test_author_page_pages_to_older_stories(client, settings):
    settings.ARTICLES_PER_PAGE = 3
    author = AuthorFactory()
    ArticleFactory.create_batch(4, published=True, authors=[author])
    first = client.get(author.get_absolute_url()).content.decode()
    assert first.count('class="card"') == 3
    older = re.search(r'rel="next" href="([^"]+)">Older stories', first)
    assert older
    assert client.get(author.get_absolute_url() + html.unescape(older[1])).content.decode().count('class="card"') == 1


def test_unknown_author_is_a_404(client):
    assert client.get("/authors/nobody/").status_code == 404


# Author, whether they have many stories (which decides how their stories are found), articles+sections,
# bylines+authors, tags, section navigation = 6.
@pytest.mark.parametrize("count", [1, 10])
def test_author_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    author = AuthorFactory()
    for _ in range(count):
        ArticleFactory(published=True, authors=[author, AuthorFactory()], tags=["a", "b"])
    with django_assert_num_queries(6, info="author, many stories?, articles+sections, bylines+authors, tags, nav"):
        response = client.get(author.get_absolute_url())
    assert response.content.decode().count('class="card"') == count
