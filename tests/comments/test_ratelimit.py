"""Comment request counts kept in the shared cache."""

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from comments.models import Comment
from newsroom.ratelimit import Limit, hit
from tests.comments.posting import form_data
from tests.factories import ArticleFactory


def test_hits_over_the_limit_say_how_long_to_wait():
    limit = Limit(count=3, seconds=600)
    assert [hit("test", "key", limit) for _ in range(3)] == [0, 0, 0]
    wait = hit("test", "key", limit)
    assert 1 <= wait <= 600
    assert hit("test", "other key", limit) == 0  # each key counts alone
    assert hit("other-scope", "key", limit) == 0


def test_the_count_is_on_the_redis_server_where_every_app_server_sees_it(redis_url):
    limit = Limit(count=2, seconds=600)
    hit("shared", "reader@example.com", limit)
    hit("shared", "reader@example.com", limit)
    keys = redis.Redis.from_url(redis_url).keys(cache.make_key("ratelimit:shared:*"))
    assert len(keys) == 1
    assert b"reader@example.com" not in keys[0]  # the key is hashed
    assert redis.Redis.from_url(redis_url).get(keys[0]) == b"2"
    # Another app server adds to the same count: simulated by a second client on the same server.
    redis.Redis.from_url(redis_url).incr(keys[0])
    assert hit("shared", "reader@example.com", limit) > 0


def test_another_app_server_counting_the_same_reader_uses_up_the_same_limit(redis_url, other_server):
    """A second process, as a second app server behind the same Redis, counts with hit() itself."""
    # A day's window, so the run cannot straddle a window boundary but once in tens of thousands.
    limit = Limit(count=3, seconds=24 * 60 * 60)
    assert hit("shared", "203.0.113.5", limit) == 0
    code = (
        "from newsroom.ratelimit import Limit, hit; "
        f"print([hit('shared', '203.0.113.5', Limit(count=3, seconds={limit.seconds})) for _ in range(2)])"
    )
    assert other_server(code) == "[0, 0]"  # its hits were the second and third
    assert hit("shared", "203.0.113.5", limit) > 0  # so this server's next one is over the limit
    server = redis.Redis.from_url(redis_url)
    server.delete(*server.keys(cache.make_key("ratelimit:shared:*")))  # not left in Redis for a day


@pytest.mark.django_db
def test_too_many_posts_from_one_address_get_a_429_page_and_store_nothing_more(client, settings):
    settings.COMMENTS_RATE_PER_IP = 2
    article = ArticleFactory(published=True)
    url = reverse("comments:post", args=[article.slug])
    for n in range(2):
        assert client.post(url, form_data(email=f"r{n}@example.com"), REMOTE_ADDR="203.0.113.5").status_code == 302

    response = client.post(url, form_data(email="r3@example.com"), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.COMMENTS_RATE_WINDOW
    assert "Please slow down" in response.content.decode()
    assert Comment.objects.count() == 2
    other = client.post(url, form_data(email="r4@example.com"), REMOTE_ADDR="203.0.113.6")
    assert other.status_code == 302


@pytest.mark.django_db
def test_too_many_posts_from_one_email_get_a_429_whatever_the_address(client, settings):
    settings.COMMENTS_RATE_PER_EMAIL = 2
    article = ArticleFactory(published=True)
    url = reverse("comments:post", args=[article.slug])
    for n in range(2):
        assert client.post(url, form_data(body=f"Point {n}."), REMOTE_ADDR=f"203.0.113.{n}").status_code == 302
    response = client.post(url, form_data(body="Point 3."), REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 429
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.COMMENTS_RATE_PER_IP = 1
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory(published=True)
    url = reverse("comments:post", args=[article.slug])
    first = client.post(url, form_data(email="a@example.com"), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    second = client.post(url, form_data(email="b@example.com"), HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.5")
    assert (first.status_code, second.status_code) == (302, 429)
    assert Comment.objects.get().ip_address == "203.0.113.5"


@pytest.mark.django_db
def test_a_proxy_reporting_a_zoned_address_gets_the_comment_stored_not_an_error(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory(published=True)
    forwarded = "fe80::1%" + "e" * 60  # longer than the address column with its zone
    response = client.post(reverse("comments:post", args=[article.slug]), form_data(), HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302
    assert Comment.objects.get().ip_address == "fe80::1"
