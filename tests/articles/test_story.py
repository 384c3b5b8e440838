"""The story on its page and the site's chrome, drawn in Python (articles/story.py, newsroom/chrome.py): every
part a writer, an editor or an importer filled in is shown as text, never as markup."""

import pytest

from newsroom.models import Page
from tests.factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">&"\''
SHOWN = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;&#x27;"


def test_hostile_text_in_every_part_of_the_story_is_shown_as_text(client):
    author = AuthorFactory(name=HOSTILE, job_title=HOSTILE, bio=HOSTILE)
    article = ArticleFactory(
        published=True,
        headline=HOSTILE,
        summary=HOSTILE,
        section=SectionFactory(name=HOSTILE),
        authors=[author],
        tags=[HOSTILE],
        source_name=HOSTILE,
        source_url="https://example.org/?a=1&b=<2>",
    )
    CorrectionFactory(article=article, text=f"{HOSTILE}\n\nSecond paragraph.")
    Page.objects.create(title=HOSTILE, slug="hostile", body="About.")
    html = client.get(article.get_absolute_url()).content.decode()

    assert "<img src=x" not in html
    # headline (title, h1, og, JSON-LD aside), section (kicker, bar), byline, bio name, role, bio, tag, source,
    # correction, footer page: each shown escaped
    assert html.count(SHOWN) >= 12
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in html
    assert f"<p>{SHOWN}</p>\n\n<p>Second paragraph.</p>" in html


def test_the_story_keeps_its_parts_in_their_own_direction(client):
    article = ArticleFactory(published=True, summary="A standfirst.", source_name="Wire", tags=["mali"])
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<h1 class="story__headline" dir="auto">' in html
    assert '<p class="story__standfirst" dir="auto">A standfirst.</p>' in html
    assert "<bdi>Wire</bdi>" in html  # a source without an address
    assert '<li><a href="/tags/mali/" rel="tag" dir="auto">mali</a></li>' in html
    assert '<nav class="site-nav" aria-label="Sections">' in html
