"""Previews: staff see any article as readers will; a signed link shows one to a colleague without a login."""

import re
import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import PREVIEW_SALT, preview_link_path
from newsroom.templatetags.machine_time import machine_datetime
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def preview_url(article: Article) -> str:
    return reverse("articles:preview", args=[article.pk])


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    return user


@pytest.fixture
def draft():
    return ArticleFactory(headline="Budget leaks ahead of vote", slug="budget-leaks", summary="Not yet out.")


# Staff preview -------------------------------------------------------------------------------


def test_staff_see_a_draft_exactly_as_readers_will_with_a_banner(editor_client, draft):
    response = editor_client.get(preview_url(draft))

    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_detail.html"
    html = response.content.decode()
    assert '<h1 class="story__headline" dir="auto">Budget leaks ahead of vote</h1>' in html
    assert "Not yet out." in html
    assert "Preview — Draft, not published" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_preview_is_never_cached_or_indexed(editor_client, draft):
    response = editor_client.get(preview_url(draft))
    assert set(re.split(r",\s*", response["Cache-Control"])) >= {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex"


def test_a_preview_takes_no_comments(editor_client):
    article = ArticleFactory(published=True)
    CommentFactory(article=article, status="approved", body="Seen by readers.")
    html = editor_client.get(preview_url(article)).content.decode()
    assert '<form class="comment-form"' not in html
    assert "The comment form appears here once the story is published." in html
    assert "Seen by readers." in html
    assert "Preview — published" in html


def test_a_preview_carries_no_inline_script_or_style(editor_client, draft):
    html = editor_client.get(preview_url(draft)).content.decode()
    assert "<script" not in html
    assert " style=" not in html


def test_staff_with_only_the_view_permission_may_preview(client, draft):
    client.force_login(staff_with("view_article"))
    assert client.get(preview_url(draft)).status_code == 200


def test_a_writer_previews_their_own_draft_but_a_colleagues_is_a_404_like_no_article(client, writer):
    own = ArticleFactory(created_by=writer, headline="My own draft")
    colleagues = ArticleFactory(headline="A colleague's draft")
    client.force_login(writer)
    missing = client.get(reverse("articles:preview", args=[colleagues.pk + 1000]))

    assert "My own draft" in client.get(preview_url(own)).content.decode()
    response = client.get(preview_url(colleagues))

    assert response.status_code == 404
    assert response.content == missing.content


def non_staff_with_the_permission():
    user = staff_with("change_article")
    user.is_staff = False
    user.save()
    return user


@pytest.mark.parametrize(
    "make_user",
    [
        None,
        UserFactory,
        lambda: UserFactory(is_staff=True),
        non_staff_with_the_permission,
        lambda: UserFactory(is_staff=True, is_superuser=True, is_active=False),
    ],
    ids=["anonymous", "reader", "staff-without-permission", "non-staff-with-permission", "inactive-editor"],
)
def test_the_preview_address_reveals_nothing_to_anyone_else(client, draft, make_user):
    if make_user is not None:
        client.force_login(make_user())
    missing = client.get(reverse("articles:preview", args=[draft.pk + 1000]))

    response = client.get(preview_url(draft))

    assert response.status_code == 404
    assert response.content == missing.content
    assert draft.headline not in response.content.decode()


def test_preview_page_query_count_does_not_grow(editor_client, django_assert_num_queries):
    for count in (1, 6):
        article = ArticleFactory(authors=AuthorFactory.create_batch(count), tags=[f"t{i}" for i in range(count)])
        SectionFactory.create_batch(count)
        info = "session, user, article+section, bylines+authors, tags, notes, related (none), comments, section nav"
        with django_assert_num_queries(9, info=info):
            assert editor_client.get(preview_url(article)).status_code == 200


# Save and preview ----------------------------------------------------------------------------


def test_save_and_preview_saves_the_draft_and_opens_its_preview(editor_client, draft):
    data = change_form_data(draft, headline="Budget leaks before the vote", _preview="Save and preview")

    response = editor_client.post(change_url(draft), data, follow=True)

    draft.refresh_from_db()
    assert draft.headline == "Budget leaks before the vote"
    assert response.redirect_chain == [(preview_url(draft), 302)]
    html = response.content.decode()
    assert '<h1 class="story__headline" dir="auto">Budget leaks before the vote</h1>' in html
    assert "was saved. This is how readers will see it." in html


def test_save_and_preview_works_for_a_new_article_too(editor_client):
    author = AuthorFactory()
    data = {
        "headline": "Rains return to the Sahel",
        "slug": "rains-return",
        "status": Article.Status.DRAFT,
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": str(author.pk),
        "bylines-0-position": "0",
        "_preview": "Save and preview",
    }
    response = editor_client.post(ADD, data)
    article = Article.objects.get(slug="rains-return")
    assert response.status_code == 302
    assert response["Location"] == preview_url(article)


def test_save_and_preview_with_errors_saves_nothing_and_shows_them(editor_client, draft):
    data = change_form_data(draft, headline="", _preview="Save and preview")
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["headline"] == ["This field is required."]
    draft.refresh_from_db()
    assert draft.headline == "Budget leaks ahead of vote"


def test_the_change_and_add_forms_offer_save_and_preview(editor_client, draft):
    for url in (change_url(draft), ADD):
        html = editor_client.get(url).content.decode()
        assert '<input type="submit" value="Save and preview" name="_preview">' in html, url


# Shared links --------------------------------------------------------------------------------


def shared_link_on_the_change_page(editor_client, article: Article) -> str:
    html = editor_client.get(change_url(article)).content.decode()
    match = re.search(r'<a href="(http://testserver/preview/[^"]+/)">', html)
    assert match, "no share link on the change page"
    return match.group(1)


def test_a_colleague_without_a_login_sees_the_draft_through_the_shared_link(editor_client, client, draft):
    link = shared_link_on_the_change_page(editor_client, draft)

    response = client.get(link)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="story__headline" dir="auto">Budget leaks ahead of vote</h1>' in html
    assert "Preview — Draft, not published" in html
    assert set(re.split(r",\s*", response["Cache-Control"])) >= {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex"
    # The link is the key, so it is not sent on to sites the story links to.
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_change_page_says_when_the_shared_link_expires(editor_client, draft, settings):
    settings.PREVIEW_LINK_MAX_AGE = 3 * 24 * 60 * 60
    before = timezone.now()
    html = editor_client.get(change_url(draft)).content.decode()
    after = timezone.now()
    match = re.search(r'it works until <time datetime="([^"]+)">', html)
    assert match, "no expiry on the change page"
    expires_at = datetime.fromisoformat(match.group(1))
    assert before + timedelta(days=3) - timedelta(seconds=1) <= expires_at <= after + timedelta(days=3)


class EightDaysAgoSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - timedelta(days=8).total_seconds()))


def test_an_expired_link_says_so_and_shows_nothing(client, draft, settings):
    settings.PREVIEW_LINK_MAX_AGE = 7 * 24 * 60 * 60
    token = EightDaysAgoSigner(salt=PREVIEW_SALT).sign_object({"article": draft.pk})

    response = client.get(reverse("articles:shared_preview", args=[token]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "This preview link has expired" in html
    assert draft.headline not in html


def test_a_link_of_eight_days_still_works_when_links_last_ten(client, draft, settings):
    settings.PREVIEW_LINK_MAX_AGE = 10 * 24 * 60 * 60
    token = EightDaysAgoSigner(salt=PREVIEW_SALT).sign_object({"article": draft.pk})
    assert client.get(reverse("articles:shared_preview", args=[token])).status_code == 200


def tampered_tokens(article: Article, other: Article) -> list[str]:
    token = preview_link_path(article).split("/")[-2]
    payload, stamp, signature = token.split(":")
    other_payload = preview_link_path(other).split("/")[-2].split(":")[0]
    return [
        f"{payload}:{stamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # signature changed
        f"{other_payload}:{stamp}:{signature}",  # another article's id under this signature
        signing.TimestampSigner(salt="another-purpose").sign_object({"article": article.pk}),
        # Signed by this site for previews, but not in the shape a link has.
        signing.TimestampSigner(salt=PREVIEW_SALT).sign_object([article.pk]),
        signing.TimestampSigner(salt=PREVIEW_SALT).sign_object({"article": str(article.pk)}),
        "not-a-token",
        "a:b:c:d",
        "ünïcode:x:y",
    ]


def test_a_tampered_link_is_a_plain_404(client, draft):
    other = ArticleFactory()
    for token in tampered_tokens(draft, other):
        response = client.get(reverse("articles:shared_preview", args=[token]))
        assert response.status_code == 404, token
        assert "We can’t find that page" in response.content.decode(), token


def test_links_stop_working_when_the_signing_key_changes(editor_client, client, draft, settings):
    link = shared_link_on_the_change_page(editor_client, draft)
    settings.SECRET_KEY = "a-new-key-after-a-leak"
    assert client.get(link).status_code == 404


def test_a_link_to_a_deleted_article_is_a_404(editor_client, client, draft):
    link = shared_link_on_the_change_page(editor_client, draft)
    draft.delete()
    assert client.get(link).status_code == 404


def test_a_shared_link_shows_corrections_like_the_page_does(client):
    article = ArticleFactory(published=True)
    CorrectionFactory(article=article, text="The vote is on Tuesday, not Monday.")
    html = client.get(preview_link_path(article)).content.decode()
    assert "The vote is on Tuesday, not Monday." in html


def test_a_preview_number_too_big_to_be_an_id_is_a_404(editor_client):
    assert editor_client.get(f"/articles/{'9' * 25}/preview/").status_code == 404


# What a preview says the story is --------------------------------------------------------------


def shown_date(moment: datetime) -> str:
    return date_filter(timezone.localtime(moment), "j F Y, H:i")


@pytest.mark.parametrize(("status", "says"), [(Article.Status.DRAFT, "Draft"), (Article.Status.IN_REVIEW, "In review")])
def test_a_preview_of_an_unpublished_story_says_what_it_is_and_claims_no_publication(editor_client, status, says):
    article = ArticleFactory(status=status, published_at=None)

    html = editor_client.get(preview_url(article)).content.decode()

    assert f"Preview — {says}, not published" in html
    assert f'<span class="dateline">{says}, not published</span>' in html
    assert "Published <time" not in html
    assert 'datetime=""' not in html


def test_a_preview_of_a_scheduled_story_says_when_it_goes_out(editor_client):
    when = timezone.now() + timedelta(days=2)
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=when)

    html = editor_client.get(preview_url(article)).content.decode()

    stamp = f'<time datetime="{machine_datetime(when)}">{shown_date(when)}</time>'
    assert f"Preview — Scheduled for {stamp}" in html
    assert f'<span class="dateline">Scheduled for {stamp}</span>' in html
    assert "Published <time" not in html


def test_a_preview_of_a_published_story_says_published_with_its_date(editor_client):
    article = ArticleFactory(published=True)
    html = editor_client.get(preview_url(article)).content.decode()
    assert "Preview — published, as readers see it" in html
    assert f'Published <time datetime="{machine_datetime(article.published_at)}">' in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_view_on_site_opens_the_preview_of_a_story_readers_cannot_see_yet(editor_client, fields):
    article = ArticleFactory(**fields)

    html = editor_client.get(change_url(article)).content.decode()

    link = re.search(r'<a href="([^"]+)" class="viewsitelink">', html).group(1)
    assert link == preview_url(article)
    assert editor_client.get(link).status_code == 200


def test_view_on_site_opens_a_published_story_at_its_address(editor_client):
    article = ArticleFactory(published=True)
    html = editor_client.get(change_url(article)).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">', html).group(1)
    assert link == article.get_absolute_url()
    assert editor_client.get(link).status_code == 200
