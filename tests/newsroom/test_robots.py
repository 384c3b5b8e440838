"""robots.txt as a crawler reads it: the sitemaps it names, and the addresses it keeps crawlers out of."""

import re
from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

from articles.preview import preview_link_path
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def robots(client) -> str:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.cookies
    return response.content.decode()


def disallowed_by(rules: str, path: str) -> bool:
    """Whether a Disallow rule matches `path`, with "*" matching any characters (RFC 9309, 2.2.3).

    Python's robotparser predates the RFC and takes "*" literally, so it cannot check the preview rules.
    """
    patterns = re.findall(r"^Disallow: (\S+)$", rules, flags=re.MULTILINE)
    return any(re.match(".*".join(map(re.escape, pattern.split("*"))), path) for pattern in patterns)


def test_robots_txt_names_both_sitemaps_by_full_address(client):
    rules = robots(client)
    named = re.findall(r"^Sitemap: (\S+)$", rules, flags=re.MULTILINE)
    assert named == ["http://testserver/sitemap.xml", "http://testserver/news-sitemap.xml"]
    for url in named:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_previews(client, editor_client):
    story = ArticleFactory()
    rules = robots(client)
    for path in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("articles:preview", kwargs={"pk": story.pk}),
        preview_link_path(story),
    ]:
        assert disallowed_by(rules, path), path


def test_robots_txt_lets_crawlers_read_every_reader_page(client):
    story = ArticleFactory(published=True, tags=["Mali"])
    rules = robots(client)
    parser = RobotFileParser()
    parser.parse(rules.splitlines())
    for path in [
        reverse("articles:home"),
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        story.authors.get().get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "mali"}),
        reverse("sitemap"),
    ]:
        assert not disallowed_by(rules, path), path
        assert parser.can_fetch("Googlebot", f"http://testserver{path}"), path


def test_robots_txt_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        robots(client)
