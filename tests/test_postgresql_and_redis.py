"""The production services, reached for real: PostgreSQL when DATABASE_URL names it, Redis when
REDIS_URL does. Each test skips without its service (or fails where NEWSROOM_REQUIRE_SERVICES=1;
see tests/conftest.py), so CI's PostgreSQL pass cannot quietly have run on SQLite."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_suite_runs_on_postgresql_when_database_url_names_it(postgresql_connection: BaseDatabaseWrapper) -> None:
    assert postgresql_connection.vendor == "postgresql"
    # pytest-django's own database, never the one DATABASE_URL names, which may hold real data.
    assert postgresql_connection.settings_dict["NAME"].startswith("test_")


def test_published_listing_can_use_its_index_on_postgresql(postgresql_connection: BaseDatabaseWrapper) -> None:
    """article_listing_idx exists for published(): every public listing filters on it."""
    ArticleFactory.create_batch(3, published=True)
    ArticleFactory(headline="A draft")
    with transaction.atomic(), postgresql_connection.cursor() as cursor:
        # The planner's statistics of this table as it is, not as a test with thousands of rows left them.
        cursor.execute("ANALYZE articles_article")
        # A planner reads a table of four rows whole, whatever its indexes; with sequential
        # scans priced out, the plan shows whether the index can serve this query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor a bitmap scan and a sort, which statistics left by another test's larger table may favour.
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = Article.objects.published().explain()
    assert "article_listing_idx" in plan, plan


def test_cache_is_redis_and_counts_on_the_server(redis_url: str) -> None:
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    key = f"hits-{uuid.uuid4().hex}"
    cache.set(key, 1, timeout=60)
    assert cache.incr(key) == 2
    assert cache.get(key) == 2
    # The count is on the server, where a plain Redis client finds it (Django's backend stores whole
    # numbers unpickled so that INCR works on them).
    assert redis.Redis.from_url(redis_url).get(cache.make_key(key)) == b"2"
    cache.delete(key)
    assert cache.get(key) is None


def test_cache_is_shared_with_another_app_server(redis_url: str, other_server) -> None:
    """Another process, as a second app server would be, reads and updates what this one cached."""
    cache = caches["default"]
    key = f"shared-{uuid.uuid4().hex}"
    cache.set(key, 40, timeout=60)
    code = f"from django.core.cache import cache; print(cache.incr({key!r}, 2))"
    assert other_server(code) == "42"
    assert cache.get(key) == 42
    cache.delete(key)
