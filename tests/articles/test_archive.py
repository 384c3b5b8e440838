"""manage.py generate_archive: a made-up archive that looks like a newsroom's and is as whole as one made by
hand through the admin: every row as save() would have stored it, found by search, readable on every page."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Min
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, Correction, Section, TaggedArticle
from articles.tags import TAG_SLUG
from authors.models import Author
from comments.models import Comment, fingerprint
from newsroom.sanitize import render_comment_text, sanitize_html

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive_media(tmp_path_factory):
    return tmp_path_factory.mktemp("archive-media")


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, archive_media):
    """A small archive made once for the module: 200 stories over eight years and 1,000 comments, two shared
    pictures. Committed, so every test reads it; removed at the end, so no other module sees it."""
    out, err = io.StringIO(), io.StringIO()
    pictures = {"IMAGE_WIDTHS": [480], "IMAGE_PHOTO_WIDTHS": [128], "IMAGE_FORMATS": ["jpeg"]}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=archive_media, **pictures):
        call_command("generate_archive", articles=200, comments=1000, images=2, seed=7, stdout=out, stderr=err)
        yield out.getvalue(), err.getvalue()
        Comment.objects.update(parent=None, root=None)
        Comment.objects.all().delete()
        Article.objects.all().delete()
        Author.objects.all().delete()
        Tag.objects.all().delete()
        Section.objects.all().delete()
        # The generator's ANALYZE left the planner statistics of a full archive; an empty database's again, so
        # no later test is planned for rows that are gone.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def test_every_story_has_a_byline_a_section_and_the_body_save_would_store(generated):
    assert Article.objects.count() == 200
    stories = Article.objects.annotate(authors_count=Count("bylines"))
    assert {story.authors_count for story in stories} <= {1, 2, 3}
    assert not stories.filter(section=None).exists()
    for story in stories:
        assert story.body == sanitize_html(story.body)  # what Article.save() makes of it
        assert story.summary and story.headline and len(story.headline) <= 70
    # Bylines of one author are most common, with two and three now and then; positions in order.
    sizes = Byline.objects.values("article").annotate(n=Count("pk")).values_list("n", flat=True)
    assert list(sizes).count(1) > len(sizes) / 2
    assert set(Byline.objects.values_list("position", flat=True)) <= {0, 1, 2}
    assert all(author.bio and author.job_title for author in Author.objects.all())


def test_stories_spread_over_years_newest_last_with_a_few_unpublished(generated):
    published = Article.objects.published()
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    assert span["last"] - span["first"] > timedelta(days=365 * 6)
    assert span["last"] <= timezone.now()
    # The recent end holds drafts, stories in review or scheduled ones, as a working newsroom's does.
    assert Article.objects.exclude(pk__in=published.values("pk")).exists()
    for story in Article.objects.exclude(published_at=None):
        assert story.created_at <= story.published_at <= story.updated_at or story.is_scheduled


def test_tags_are_few_on_many_stories_and_many_on_few(generated):
    uses = sorted(Tag.objects.annotate(n=Count("articles_taggedarticle_items")).values_list("n", flat=True))
    assert uses[-1] >= 5 * max(uses[len(uses) // 2], 1)
    assert all(TAG_SLUG.fullmatch(slug) for slug in Tag.objects.values_list("slug", flat=True))
    assert not TaggedArticle.objects.values("content_object", "tag").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_a_handful_of_pictures_are_shared_and_shown(generated, client, settings, archive_media):
    settings.MEDIA_ROOT = archive_media
    pictured = Article.objects.exclude(hero_image="")
    assert pictured.count() > 100
    assert pictured.values("hero_image").distinct().count() == 2
    story = pictured.published().first()
    assert story.hero_width and story.hero_height and story.hero_renditions["crops"]
    assert story.hero_image.storage.exists(story.hero_image.name)
    body = client.get(story.get_absolute_url()).content.decode()
    assert "<picture>" in body and story.hero_alt in body


def test_comments_are_threads_on_their_own_story_stored_as_save_would(generated):
    assert Comment.objects.count() == 1000
    replies = Comment.objects.exclude(parent=None).select_related("parent", "root", "article")
    assert replies.count() > 100
    for reply in replies:
        assert reply.parent.article_id == reply.article_id
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.created_at >= reply.parent.created_at
    for comment in Comment.objects.select_related("article")[:300]:
        assert comment.body_html == render_comment_text(comment.body)
        assert comment.fingerprint == fingerprint(comment.email, comment.body)
        assert comment.article.is_published and comment.created_at >= comment.article.published_at
    # Crowded on some stories, absent from many, as readers' attention is.
    per_story = list(Article.objects.annotate(n=Count("comments")).values_list("n", flat=True))
    assert max(per_story) > 5 * (sum(per_story) / len(per_story)) and per_story.count(0) > 0
    assert set(Comment.objects.values_list("status", flat=True)) >= {"approved", "spam"}


def test_corrections_are_on_published_stories_and_move_their_update_time(generated):
    for note in Correction.objects.select_related("article"):
        assert note.article.is_published
        assert note.created_at >= note.article.published_at
        assert note.article.updated_at == note.created_at


def test_search_finds_generated_stories(generated, client):
    story = Article.objects.published().order_by("-published_at").first()
    word = max(re.findall(r"[A-Za-z]{6,}", story.headline), key=len)
    response = client.get(reverse("articles:search"), {"q": f'"{story.headline}"'})
    assert story in [result["article"] for result in response.context["results"]]
    assert client.get(reverse("articles:search"), {"q": word}).context["total"] >= 1


def test_every_listing_pages_through_the_archive_without_gaps_or_repeats(generated, client, settings):
    settings.ARTICLES_PER_PAGE = 25
    expected = list(Article.objects.published().order_by("-published_at", "-pk").values_list("slug", flat=True))
    seen, url = [], reverse("articles:home")
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r'class="card__headline" dir="auto"><a href="/articles/([^/]+)/"', body)
        older = re.search(r'rel="next" href="\?before=([^"]+)"', body)
        url = reverse("articles:home") + f"?before={older[1]}" if older else None
    assert seen == expected
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    for listing in (reverse("articles:tag", args=[tag.slug]), author.get_absolute_url(), "/sitemap-articles.xml"):
        assert client.get(listing).status_code == 200


def test_the_same_seed_makes_the_same_archive(few_renditions, generated):
    def headlines(seed: int) -> list[str]:
        before = Article.objects.aggregate(last=Max("pk"))["last"] or 0
        call_command(
            "generate_archive",
            articles=30,
            comments=50,
            images=1,
            seed=seed,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        return list(Article.objects.filter(pk__gt=before).order_by("pk").values_list("headline", flat=True))

    first = headlines(3)
    assert headlines(3) == first
    assert headlines(4) != first


def test_command_reports_what_it_made_and_shows_progress(generated):
    out, err = generated
    assert "Added 200 stories" in out and "1,000 comments" in out
    assert "Archive [" in err and "1,200/1,200" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"years": 0}, "--years"),
        ({"articles": 0, "comments": 5}, "Comments need stories"),
        ({"batch_size": 0}, "batch"),
    ],
)
def test_command_refuses_options_it_cannot_honour(options, message):
    before = Article.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("generate_archive", **{"articles": 10, "comments": 0, **options}, stdout=io.StringIO())
    assert Article.objects.count() == before
