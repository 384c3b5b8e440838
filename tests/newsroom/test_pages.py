"""Standing pages editors write (About, Ethics policy...): sanitized, linked from the footer, seeded by load_demo."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.demo import DEMO_PAGES
from newsroom.models import Page

pytestmark = pytest.mark.django_db


def test_a_page_shows_its_title_and_body_at_its_address(client):
    page = Page.objects.create(title="Ethics policy", slug="ethics", body="<p>We correct openly.</p>")

    response = client.get(page.get_absolute_url())

    assert page.get_absolute_url() == "/pages/ethics/"
    html = response.content.decode()
    assert "<title>Ethics policy · Newsroom</title>" in html
    assert "<p>We correct openly.</p>" in html


def test_an_unknown_page_is_a_404(client):
    assert client.get("/pages/nothing-here/").status_code == 404


def test_hostile_html_in_a_page_never_reaches_readers(client):
    page = Page.objects.create(
        title="About",
        slug="about",
        body='<p onclick="steal()">Hi</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
        '<img src=x onerror="alert(3)"><iframe src="https://evil.example"></iframe>',
    )

    html = client.get(page.get_absolute_url()).content.decode()

    for hostile in ("<script>alert", "onclick", "javascript:", "onerror", "<iframe"):
        assert hostile not in html
    assert "Hi</p>" in html
    assert "<script>" not in Page.objects.get(pk=page.pk).body


def test_the_footer_links_the_pages_that_exist_in_their_order(client):
    Page.objects.create(title="Privacy", slug="privacy", body="<p>.</p>", position=2)
    Page.objects.create(title="About us", slug="about", body="<p>.</p>", position=1)

    html = client.get(reverse("articles:home")).content.decode()

    about, privacy = html.index('<a href="/pages/about/">About us</a>'), html.index('<a href="/pages/privacy/">')
    assert about < privacy
    assert "/pages/ethics/" not in html


def test_a_deleted_page_leaves_the_footer_at_once(client):
    page = Page.objects.create(title="Contact", slug="contact", body="<p>.</p>")
    assert "/pages/contact/" in client.get(reverse("articles:home")).content.decode()

    page.delete()

    assert "/pages/contact/" not in client.get(reverse("articles:home")).content.decode()


def test_load_demo_creates_the_five_pages_once_and_keeps_an_editors_edits(client):
    call_command("load_demo", stdout=io.StringIO())
    assert sorted(Page.objects.values_list("slug", flat=True)) == sorted(slug for slug, _, _ in DEMO_PAGES)
    about = Page.objects.get(slug="about")
    about.body = "<p>Our own words.</p>"
    about.save()

    call_command("load_demo", stdout=io.StringIO())

    assert Page.objects.count() == 5
    assert Page.objects.get(slug="about").body == "<p>Our own words.</p>"
    html = client.get(reverse("articles:home")).content.decode()
    for slug, title, _ in DEMO_PAGES:
        assert f'<a href="/pages/{slug}/">{title}</a>' in html
