"""Search: on SQLite's FTS5 by default and PostgreSQL's full-text search when DATABASE_URL points there.

Every test here runs on whichever database the run uses; CI runs the suite on both."""

from datetime import timedelta

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import SQLITE_TRIGGERS, fts5_match, parse, restore_sqlite_index
from articles.services import save_article, withdraw_articles
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def found(client, q: str, **params) -> list[str]:
    """Headlines of the results page, in order, as plain text."""
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return [result["article"].headline for result in response.context["results"]]


def test_finds_words_in_headline_summary_and_body(client):
    ArticleFactory(published=True, headline="Harvest moon rises", summary="x", body="<p>y</p>")
    ArticleFactory(published=True, headline="A", summary="The harvest was late this year", body="<p>y</p>")
    ArticleFactory(published=True, headline="B", summary="x", body="<p>Farmers began the <em>harvest</em>.</p>")
    ArticleFactory(published=True, headline="C", summary="x", body="<p>Nothing relevant.</p>")
    assert sorted(found(client, "harvest")) == ["A", "B", "Harvest moon rises"]


def test_headline_match_ranks_above_summary_and_body_matches(client):
    ArticleFactory(published=True, headline="Body", summary="x", body="<p>The volcano erupted.</p>")
    ArticleFactory(published=True, headline="Volcano erupts again", summary="x", body="<p>Lava.</p>")
    ArticleFactory(published=True, headline="Summary", summary="A volcano woke up", body="<p>Lava.</p>")
    assert found(client, "volcano") == ["Volcano erupts again", "Summary", "Body"]


def test_newer_story_ranks_above_older_equal_match(client):
    now = timezone.now()
    ArticleFactory(published=True, headline="Old drought", summary="Dry.", published_at=now - timedelta(days=200))
    ArticleFactory(published=True, headline="New drought", summary="Dry.", published_at=now - timedelta(hours=2))
    assert found(client, "drought") == ["New drought", "Old drought"]


def test_words_match_in_any_form_of_the_word(client):
    ArticleFactory(published=True, headline="Flooding closes the river road")
    assert found(client, "floods") == ["Flooding closes the river road"]


def test_quoted_phrase_matches_only_words_together(client):
    ArticleFactory(published=True, headline="Peace talks resume", body="<p>Envoys met.</p>")
    ArticleFactory(published=True, headline="Talks on peace of mind", body="<p>Yoga.</p>")
    assert found(client, '"peace talks"') == ["Peace talks resume"]
    assert sorted(found(client, "peace talks")) == ["Peace talks resume", "Talks on peace of mind"]


def test_phrases_left_out_or_given_as_choices_match_exactly(client):
    """PostgreSQL finds a phrase's candidates with its words loosened to "both words" and then checks the phrase
    (articles/search.py, postgresql_newest_matches): a story with the words apart must still be found when the
    phrase is left out, and phrases given as choices must each match as phrases."""
    ArticleFactory(published=True, headline="Peace talks resume", body="<p>Envoys met.</p>")
    ArticleFactory(published=True, headline="Talks on peace of mind", body="<p>Yoga.</p>")
    ArticleFactory(published=True, headline="Mind the talks", body="<p>Peace.</p>")
    assert sorted(found(client, 'talks -"peace talks"')) == ["Mind the talks", "Talks on peace of mind"]
    assert sorted(found(client, '"peace talks" OR "peace of mind"')) == ["Peace talks resume", "Talks on peace of mind"]
    assert found(client, '"mind the talks" peace') == ["Mind the talks"]


def test_minus_sign_leaves_out_articles_with_the_word(client):
    ArticleFactory(published=True, headline="Election results in Mali")
    ArticleFactory(published=True, headline="Election results in Chad")
    assert found(client, "election -chad") == ["Election results in Mali"]
    assert found(client, 'election -"results in chad"') == ["Election results in Mali"]


def test_or_finds_either_word(client):
    ArticleFactory(published=True, headline="Wildfire near Athens")
    ArticleFactory(published=True, headline="Heatwave in Madrid")
    ArticleFactory(published=True, headline="Budget vote")
    assert sorted(found(client, "wildfire or heatwave")) == ["Heatwave in Madrid", "Wildfire near Athens"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced quote',
        "AND",
        "flood AND",
        "OR",
        "NOT flood",
        "NEAR(flood rain)",
        "flood*",
        "*",
        "headline:flood",
        "^flood",
        "-",
        "--flood",
        "-flood",
        "( ) { } [ ] : + ~",
        "flood\x00rain",
        "\x00",
        "Überschwemmung 洪水 فيضان 🌊",
        "\ue000flood\ue001",
        "flood " * 500,
        "x" * 1000,
        "'; DROP TABLE articles_article; --",
        "%_\\",
    ],
)
def test_hostile_queries_answer_a_page_not_an_error(client, q):
    ArticleFactory(published=True, headline="Flood warning for the coast")
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200


def test_reader_syntax_reaches_fts5_only_as_quoted_strings():
    query = parse('flood AND NEAR(x) "peace talks" -rain col:umn* "stray')
    assert fts5_match(query) == (
        '(("flood") AND ("AND") AND ("NEAR(x)") AND ("peace talks") AND ("col:umn*") AND ("stray")) NOT "rain"'
    )


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_unpublished_articles_are_never_found(client, state):
    ArticleFactory(headline="Secret merger plans", **state)
    assert found(client, "merger") == []


def test_withdrawn_article_is_not_found(client, admin_user):
    article = ArticleFactory(published=True, headline="Retracted merger story")
    withdraw_articles(Article.objects.filter(pk=article.pk), notice="Withdrawn.", by=admin_user)
    assert found(client, "merger") == []


def test_results_follow_publish_unpublish_edit_update_and_delete(client):
    article = ArticleFactory(headline="Quarry expansion approved")
    assert found(client, "quarry") == []
    article.status = Article.Status.PUBLISHED
    save_article(article)
    assert found(client, "quarry") == ["Quarry expansion approved"]

    article.headline = "Mine expansion approved"
    save_article(article)
    assert found(client, "quarry") == []
    assert found(client, "mine") == ["Mine expansion approved"]

    Article.objects.filter(pk=article.pk).update(summary="The lagoon will be drained.")
    assert found(client, "lagoon") == ["Mine expansion approved"]

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert found(client, "mine") == []
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert found(client, "mine") == ["Mine expansion approved"]

    article.delete()
    assert found(client, "mine") == []


def test_highlights_are_marked_and_article_text_is_escaped(client):
    ArticleFactory(
        published=True,
        headline="<script>alert(1)</script> Tornado hits town",
        summary='A <b onmouseover="x">tornado</b> & hail',
        body='<p>The <a href="https://example.com/tornado">tornado</a> tore roofs &amp; fences.</p>',
    )
    response = client.get(SEARCH, {"q": "tornado"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Tornado</mark> hits town" in html
    assert "A &lt;b onmouseover=&quot;x&quot;&gt;<mark>tornado</mark>&lt;/b&gt; &amp; hail" in html
    excerpt = response.context["results"][0]["excerpt"]
    assert "<mark>tornado</mark> tore roofs &amp; fences" in excerpt
    assert "href" not in excerpt and "<a" not in excerpt


def test_section_filter_narrows_results_and_lists_sections_with_results(client):
    world, sport = SectionFactory(name="World", slug="world"), SectionFactory(name="Sport", slug="sport")
    SectionFactory(name="Culture", slug="culture")
    ArticleFactory(published=True, headline="Marathon record in Berlin", section=sport)
    ArticleFactory(published=True, headline="Marathon talks in Geneva", section=world)
    ArticleFactory(published=True, headline="Marathon of budget votes", section=world)
    response = client.get(SEARCH, {"q": "marathon"})
    assert [(row["section__name"], row["count"]) for row in response.context["sections"]] == [
        ("World", 2),
        ("Sport", 1),
    ]
    assert found(client, "marathon", section="sport") == ["Marathon record in Berlin"]
    html = client.get(SEARCH, {"q": "marathon", "section": "sport"}).content.decode()
    assert "1 result for “marathon” in Sport" in html
    assert 'href="?q=marathon&amp;section=world"' in html


def test_results_are_paginated_and_keep_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        # The same text but for the number, so only recency orders them.
        ArticleFactory(
            published=True,
            headline=f"Glacier report {n}",
            summary="Ice.",
            published_at=timezone.now() - timedelta(days=n),
        )
    first = client.get(SEARCH, {"q": "glacier"})
    assert [r["article"].headline for r in first.context["results"]] == ["Glacier report 0", "Glacier report 1"]
    assert 'href="?q=glacier&amp;page=2"' in first.content.decode()
    assert found(client, "glacier", page=3) == ["Glacier report 4"]
    assert found(client, "glacier", page="nonsense") == ["Glacier report 0", "Glacier report 1"]


def test_no_results_page_says_so_and_suggests_what_to_try(client):
    ArticleFactory(published=True, headline="Harbour opens")
    html = client.get(SEARCH, {"q": "zeppelin"}).content.decode()
    assert "No results for “zeppelin”" in html
    assert "Check the spelling" in html
    assert 'value="zeppelin"' in html


def test_empty_query_shows_the_search_form_only(client):
    ArticleFactory(published=True, headline="Harbour opens")
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-page-q"' in html
    assert "No results" not in html and response.context["page"] is None


def test_every_page_has_the_search_box_and_search_sets_no_cookie(client):
    article = ArticleFactory(published=True, headline="Harbour opens")
    for url in (reverse("articles:home"), article.get_absolute_url(), SEARCH):
        html = client.get(url).content.decode()
        assert '<form class="search-form" role="search" method="get" action="/search/">' in html
        assert '<label class="visually-hidden" for="site-search-q">Search</label>' in html
    response = client.get(SEARCH, {"q": "harbour"})
    assert not response.cookies
    assert response["X-Robots-Tag"] == "noindex"
    assert "<script" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_search_query_count_does_not_grow_with_results(client, django_assert_num_queries, count, settings):
    settings.ARTICLES_PER_PAGE = 10
    section = SectionFactory()
    ArticleFactory.create_batch(count, published=True, headline="Typhoon warning", section=section, tags=["Asia"])
    info = "the best matches' relevance (SQLite's index), their ids and sections, the page, bylines, tags, "
    info += "highlights (SQLite), section nav"
    with django_assert_num_queries(7 if connection.vendor == "sqlite" else 5, info=info):
        response = client.get(SEARCH, {"q": "typhoon"})
        assert len(response.context["results"]) == min(count, 10)


def test_search_with_no_words_costs_only_the_section_nav(client, django_assert_num_queries):
    with django_assert_num_queries(1, info="section nav"):
        client.get(SEARCH, {"q": "-excluded"})


def test_index_is_kept_by_the_database(client):
    """The triggers survive every migration: a later migration that rebuilds the article table on SQLite
    would drop them silently, and this is where that shows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
            names = {row[0] for row in cursor.fetchall()}
            assert names >= {
                "articles_article_fts_insert",
                "articles_article_fts_update",
                "articles_article_fts_delete",
            }
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_idx'")
            assert "gin (search_vector)" in cursor.fetchone()[0]


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist only on SQLite")


@sqlite_only
def test_search_follows_edits_again_after_a_table_rebuild_dropped_the_triggers(client):
    """What a migration rebuilding articles_article does on SQLite, then the repair every migrate ends with."""
    kept = ArticleFactory(published=True, headline="Glacier retreats", summary="x", body="<p>y</p>")
    with connection.cursor() as cursor:
        for trigger in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    # Saved while nothing keeps the index: the old headline stays indexed, the new story is missing.
    kept.headline = "Glacier melts"
    save_article(kept)
    ArticleFactory(published=True, headline="Glacier map redrawn", summary="x", body="<p>y</p>")
    assert found(client, "melts") == []

    emit_post_migrate_signal(0, False, "default")

    assert sorted(found(client, "glacier")) == ["Glacier map redrawn", "Glacier melts"]
    kept.headline = "Glacier vanishes"
    save_article(kept)
    assert found(client, "vanishes") == ["Glacier vanishes"]


@sqlite_only
def test_index_check_costs_one_query_when_the_index_is_whole(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert restore_sqlite_index() is False


def test_a_word_in_more_stories_than_are_ranked_shows_the_best_of_the_newest_and_says_so(client, monkeypatch):
    monkeypatch.setattr("articles.search_results.MAX_RANKED", 3)
    for days in range(4, -1, -1):  # written oldest first, as a newsroom writes them
        # The same words in each, so relevance ties and recency alone orders them (the factory's text is random).
        ArticleFactory(
            published=True,
            headline=f"Drought report {days}",
            summary="Rain is late.",
            body="<p>Wells are dry.</p>",
            published_at=timezone.now() - timedelta(days=days),
        )
    response = client.get(SEARCH, {"q": "drought"})
    headlines = [r["article"].headline for r in response.context["results"]]
    assert headlines == ["Drought report 0", "Drought report 1", "Drought report 2"]
    assert "The best 3 of more results for “drought”" in response.content.decode()
    assert found(client, "drought", page=2) == headlines, "a page past them shows the last page"
