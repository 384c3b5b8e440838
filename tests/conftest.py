"""Fixtures every app's tests share; app-specific ones live beside their tests."""

import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import redis
from django.core.files.storage import default_storage
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from newsroom.publication import current_publication, footer_pages
from newsroom.settings import env_bool, object_storage
from tests.factories import AuthorFactory, UserFactory

# The Playwright browser and its pages, for every module that drives Chromium; varnishd for the edge-cache tests.
pytest_plugins = ["tests.browser", "tests.varnish"]


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Uploads go to a throwaway folder, and static files are served unhashed so tests need
    no collectstatic (production keeps the hashed manifest storage)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Django's default hasher spends a few hundred milliseconds on every user a factory makes, most
    of the suite's time. No test is about hashing strength; logins still check a real password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def few_renditions(settings) -> None:
    """One width, JPEG only, for tests that store an image but assert nothing about its renditions:
    encoding every width in WebP and JPEG is most of what an image costs a test."""
    settings.IMAGE_WIDTHS = [480]
    settings.IMAGE_PHOTO_WIDTHS = [128]
    settings.IMAGE_FORMATS = ["jpeg"]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def writer(db):
    """A staff login in the Writer role, writing under their own byline."""
    user = UserFactory(username="wendy", is_staff=True, roles=["Writer"])
    AuthorFactory(name="Wendy Writer", user=user)
    return user


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def desk_editor(db):
    """A staff login in the Editor role: everything an editor does, without being a superuser."""
    return UserFactory(username="dana", is_staff=True, roles=["Editor"])


@pytest.fixture
def desk_editor_client(client, desk_editor):
    client.force_login(desk_editor)
    return client


# Real services ------------------------------------------------------------------------------
# PostgreSQL, Redis and Chromium are never mocked: a test that needs one talks to the real thing.
# On a laptop without it the test skips and says why; CI sets NEWSROOM_REQUIRE_SERVICES=1, which
# turns that skip into a failure, so a service missing in CI cannot pass as a green run.

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browser download is not used


def require_service(reason: str) -> NoReturn:
    """Skip the calling test because `reason`, or fail it where NEWSROOM_REQUIRE_SERVICES=1."""
    if env_bool("NEWSROOM_REQUIRE_SERVICES"):
        pytest.fail(f"{reason}; NEWSROOM_REQUIRE_SERVICES=1 requires it.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgresql_connection(db) -> BaseDatabaseWrapper:
    """The test database connection, on runs that DATABASE_URL points at PostgreSQL.

    Without DATABASE_URL the run is on SQLite by choice (CI's first pass), not for want of a
    server, so this skips even where services are required."""
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL is not set: this run is on SQLite.")
    return connection


@pytest.fixture
def redis_url() -> str:
    """REDIS_URL, once its server has answered a PING."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        require_service("REDIS_URL is not set, so the cache is this process's memory")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require_service(f"Redis at REDIS_URL does not answer: {exc}")
    return url


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's standalone S3 server on a free loopback port for the whole run; its address.

    It speaks the S3 protocol over real HTTP, so django-storages and boto3 run exactly as against a
    bucket (request signing, multipart uploads, listings); nothing in the code under test is patched."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        require_service(f"moto's S3 server cannot be imported ({exc}); pip install -r requirements-dev.lock")
    # Its request log (werkzeug's, one line a request) would bury a failing test's own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()
    except OSError as exc:
        require_service(f"moto's S3 server did not start on loopback: {exc}")
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server) -> Iterator[str]:
    """Media in a fresh bucket on the S3 server, configured as NEWSROOM_MEDIA_STORAGE=s3 configures it;
    the bucket's name. The bucket and its files go when the test ends."""
    bucket = f"test-{uuid.uuid4().hex[:24]}"
    storage, _origin = object_storage(
        {
            "NEWSROOM_S3_BUCKET": bucket,
            "NEWSROOM_S3_ENDPOINT_URL": s3_server,
            "NEWSROOM_S3_REGION": "us-east-1",
            "NEWSROOM_S3_ACCESS_KEY_ID": "test-only",
            "NEWSROOM_S3_SECRET_ACCESS_KEY": "test-only",
        }
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    client = default_storage.connection.meta.client
    client.create_bucket(Bucket=bucket)
    # The policy docs/deployment.md gives: readers fetch images, not the forms' work files.
    policy = (REPO / "deploy" / "s3" / "public-read-policy.json").read_text().replace("BUCKET", bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=policy)
    yield bucket
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", ()):
            client.delete_object(Bucket=bucket, Key=entry["Key"])
    client.delete_bucket(Bucket=bucket)


@pytest.fixture(params=["disk", "s3"])
def each_media_storage(request) -> str:
    """Runs a test twice: uploads on the local disk, then in an S3 bucket. Use it on the image pipeline's
    tests through pytestmark = pytest.mark.usefixtures("each_media_storage")."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, which the browser tests drive through Playwright."""
    if not CHROMIUM.exists():
        require_service(f"{CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _isolated_cache(settings) -> None:
    """Each test gets a cache of its own through a fresh key prefix. A Redis server outlives the
    test run, so without it a value cached by the SQLite pass of CI could answer in the PostgreSQL
    pass; the keys left behind expire with the cache's default timeout."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def _page_cache_off(settings) -> None:
    """Pages are rendered for every request, as with NEWSROOM_PAGE_CACHE=0: the suite's query counts measure the
    render path, and a test that changes rows between two requests without committing (no purge runs before a
    commit) sees its change. The page cache's own tests, and the cache audit's, turn it on with `page_cache`."""
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def page_cache(settings, _page_cache_off) -> None:
    """The application's page cache on, as in production."""
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def _warm_site_chrome(request, _isolated_cache) -> None:
    """Every page's chrome (the publication record, the footer's page links) is read from the cache, as in
    production once the first page has been served; page query counts are measured that way. The cold
    cost is pinned once, in tests/newsroom/test_publication.py, rather than added to every page's count."""
    wants_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not wants_db:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    current_publication()
    footer_pages()


@pytest.fixture
def other_server(settings):
    """Run Python code in a second process with this test's cache settings: a second app server's view."""

    def run(code: str) -> str:
        env = {**os.environ, "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]}
        repo = Path(__file__).resolve().parent.parent
        finished = subprocess.run(
            [sys.executable, str(repo / "manage.py"), "shell", "--no-startup", "--no-imports", "-c", code],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return finished.stdout.strip()

    return run
