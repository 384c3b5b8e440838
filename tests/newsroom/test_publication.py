"""The publication's identity: one record, edited in the admin, shown in every page's chrome from the cache."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from newsroom.models import Publication
from newsroom.publication import current_publication
from tests.factories import ArticleFactory
from tests.images.files import image_upload

pytestmark = pytest.mark.django_db


def rename(**values) -> Publication:
    publication = current_publication()
    for name, value in values.items():
        setattr(publication, name, value)
    publication.full_clean()
    publication.save()
    return publication


def test_a_new_site_keeps_the_name_and_tagline_it_had_before_the_record_existed(client):
    page = client.get(reverse("articles:home")).content.decode()

    assert "<title>Newsroom · Latest stories</title>" in page
    assert '<meta name="description" content="Independent news and analysis.">' in page
    assert '<html lang="en-gb">' in page


def test_a_renamed_publication_shows_in_the_title_header_and_footer(client):
    rename(name="The Daily Ledger", tagline="News from the valley.", language="fr")
    article = ArticleFactory(published=True, headline="Bridge reopens")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Bridge reopens · The Daily Ledger</title>" in page
    assert '<a class="site-name" href="/">The Daily Ledger</a>' in page
    assert "The Daily Ledger &middot; News from the valley." in page
    assert '<meta property="og:site_name" content="The Daily Ledger">' in page
    assert '<html lang="fr">' in page
    assert "Newsroom" not in page


def test_the_home_page_describes_itself_with_the_tagline(client):
    rename(tagline="Valley news, every morning.")

    page = client.get(reverse("articles:home")).content.decode()

    assert '<meta name="description" content="Valley news, every morning.">' in page


def test_social_accounts_and_contact_address_are_linked_from_the_footer(client):
    rename(
        x_handle="@ledger",
        facebook_url="https://www.facebook.com/ledger",
        instagram_handle="ledger.news",
        mastodon_url="https://mastodon.social/@ledger",
        bluesky_handle="ledger.bsky.social",
        contact_email="desk@ledger.example",
    )

    page = client.get(reverse("articles:home")).content.decode()

    for url in (
        "https://x.com/ledger",
        "https://www.facebook.com/ledger",
        "https://www.instagram.com/ledger.news/",
        "https://mastodon.social/@ledger",
        "https://bsky.app/profile/ledger.bsky.social",
    ):
        assert f'<a href="{url}" rel="me">' in page
    assert '<a href="mailto:desk@ledger.example">' in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("language", "english"),
        ("language", "en_GB"),
        ("x_handle", "much-too-long-a-name"),
        ("facebook_url", "https://evil.example/facebook.com"),
        ("facebook_url", "http://www.facebook.com/ledger"),
        ("mastodon_url", "http://mastodon.social/@ledger"),
        ("mastodon_url", "javascript:alert(1)"),
        ("instagram_handle", "no spaces"),
        ("bluesky_handle", "not a domain"),
    ],
)
def test_a_malformed_language_or_social_account_is_refused(field, value):
    publication = current_publication()
    setattr(publication, field, value)

    with pytest.raises(ValidationError) as refused:
        publication.full_clean()

    assert field in refused.value.message_dict


@pytest.mark.parametrize("tag", ["en", "en-GB", "pt-BR", "zh-Hant-TW", "sr-Latn", "es-419"])
def test_common_language_tags_are_accepted(tag):
    rename(language=tag)

    assert Publication.objects.get().language == tag


def test_there_is_only_ever_one_publication_record():
    Publication(name="Another").save()

    assert Publication.objects.count() == 1
    assert current_publication().name == "Another"


def test_a_warm_page_reads_the_publication_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert current_publication().name == "Newsroom"


def test_a_cold_cache_costs_one_query_then_none(django_assert_num_queries):
    cache.clear()

    with django_assert_num_queries(1, info="the publication row"):
        current_publication()
    with django_assert_num_queries(0):
        current_publication()


def test_the_record_is_remade_with_its_defaults_if_the_row_is_gone(settings):
    Publication.objects.all().delete()

    publication = current_publication()

    assert (publication.name, publication.language) == ("Newsroom", settings.LANGUAGE_CODE)
    assert Publication.objects.count() == 1


def test_a_change_shows_on_the_next_page_without_waiting_for_the_cache(client):
    client.get(reverse("articles:home"))
    rename(name="The Morning Post")

    assert "<title>The Morning Post · Latest stories</title>" in client.get(reverse("articles:home")).content.decode()


def test_a_saved_change_replaces_the_name_other_app_servers_read(redis_url, other_server):
    # The other process reads the shared cache only: its database is not this test's transaction.
    code = "from newsroom.publication import current_publication; print(current_publication().name)"
    assert other_server(code) == "Newsroom"

    rename(name="The Evening Star")
    current_publication()  # the next page served here, after the save dropped the cached record

    assert other_server(code) == "The Evening Star"


def test_the_logo_replaces_the_name_in_the_header_and_keeps_it_as_alt_text(client, few_renditions, settings):
    settings.IMAGE_LOGO_WIDTHS = [200]
    rename(name="The Daily Ledger", logo=image_upload("logo.png", size=(600, 120)))

    page = client.get(reverse("articles:home")).content.decode()

    header = page[page.index('<a class="site-name"') : page.index("</a>", page.index('<a class="site-name"'))]
    assert 'alt="The Daily Ledger"' in header
    assert 'class="site-name__logo"' in header
    assert "/media/renditions/publication/" in header


def test_pages_without_a_picture_of_their_own_share_the_default_image(client, few_renditions):
    rename(share_image=image_upload("share.png", size=(1200, 630)))
    article = ArticleFactory(published=True)

    for url in (reverse("articles:home"), article.get_absolute_url()):
        page = client.get(url).content.decode()
        assert '<meta property="og:image" content="http://testserver/media/renditions/publication/' in page
        assert '<meta property="og:image:height" content="252">' in page  # 480 wide at 1.91:1


def test_a_share_image_smaller_than_link_previews_ask_for_is_refused():
    with pytest.raises(ValidationError) as refused:
        rename(share_image=image_upload("small.png", size=(800, 420)))

    assert "share_image" in refused.value.message_dict
