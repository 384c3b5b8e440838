"""Uploads as readers' browsers get them: from this machine's disk under /media/ with cache headers that
let an edge cache keep them, or from the bucket's media host when media lives in object storage."""

import json
import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.http import http_date

from images.renditions import rendition_files
from newsroom.settings import object_storage
from tests.factories import ArticleFactory
from tests.images.files import image_bytes, image_upload

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def article(few_renditions):
    return ArticleFactory(published=True, hero_image=image_upload("convoy.png", (1200, 675)), hero_alt="A convoy")


def test_a_rendition_is_served_from_disk_with_its_type_and_a_year_of_caching(client, article):
    src = article.hero_picture.src
    assert src.startswith("/media/renditions/")

    response = client.get(src)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    with default_storage.open(src.removeprefix("/media/"), "rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_the_clean_copy_keeps_its_name_so_it_is_cached_for_an_hour_only(client, article):
    response = client.get(article.hero_image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_browser_that_has_the_file_is_told_it_has_not_changed(client, article):
    first = client.get(article.hero_picture.src)

    again = client.get(article.hero_picture.src, headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"


def test_head_answers_without_the_body(client, article):
    response = client.head(article.hero_picture.src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "address",
    [
        "/media/../../newsroom/settings.py",
        "/media/%2e%2e/%2e%2e/README.png",
        "/media/articles/nowhere.png",
        "/media/renditions/",
        "/media/tmp/held-pictures/0123-convoy.png",  # a form's work file, never a reader's
        "/media/notes/page.html",
        "/media/notes/drawing.svg",
    ],
)
def test_anything_but_a_stored_public_image_is_not_found(client, address):
    default_storage.save("tmp/held-pictures/0123-convoy.png", ContentFile(image_bytes((8, 8))))
    default_storage.save("notes/page.html", ContentFile(b"<script>alert(1)</script>"))
    default_storage.save("notes/drawing.svg", ContentFile(b"<svg onload=alert(1)></svg>"))

    response = client.get(address)

    assert response.status_code == 404


def test_a_file_changed_since_the_browsers_copy_is_sent_again(client, article):
    long_ago = http_date(0)
    response = client.get(article.hero_picture.src, headers={"If-Modified-Since": long_ago})
    assert response.status_code == 200


def test_with_object_storage_pages_link_the_bucket_which_serves_the_files_with_their_cache_headers(
    client, s3_storage, s3_server, few_renditions
):
    article = ArticleFactory(published=True, hero_image=image_upload("convoy.png", (1200, 675)), hero_alt="A convoy")

    html = client.get(article.get_absolute_url()).content.decode()

    src = article.hero_picture.src
    assert src.startswith(f"{s3_server}/{s3_storage}/renditions/articles/")
    assert f'src="{src}"' in html
    with urllib.request.urlopen(src, timeout=10) as fetched:  # noqa: S310 - the test's own loopback server
        assert fetched.headers["Content-Type"] == "image/jpeg"
        assert fetched.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert fetched.read()[:3] == b"\xff\xd8\xff"
    # A form's work files stay private in the bucket too (the bucket policy in deploy/s3/).
    held = default_storage.save("tmp/held-pictures/0123-convoy.png", ContentFile(image_bytes((8, 8))))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_server}/{s3_storage}/{held}", timeout=10)  # noqa: S310
    assert refused.value.code == 403
    # This site does not answer for files kept in the bucket.
    assert client.get(f"/media/{src.removeprefix(f'{s3_server}/{s3_storage}/')}").status_code == 404


def test_an_image_saved_to_the_bucket_is_written_once_and_never_read_back_while_the_editor_waits(
    s3_storage, few_renditions, caplog
):
    # moto's server logs every request it answers: the bucket's own record of what the save cost.
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        article = ArticleFactory(hero_image=image_upload("convoy.png", (1200, 675)), hero_alt="A convoy")

    requests = [
        re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage()).split('"')[1].rsplit(" ", 1)[0] for record in caplog.records
    ]
    bucket = f"/{s3_storage}"
    # Each file: a HEAD to be sure no other file has its name (404), then one PUT. No GET, no second PUT.
    # The clean copy, then each rendition (the card's, and the 4:3 and square crops for structured data).
    names = [article.hero_image.name, *rendition_files(article.hero_renditions)]
    assert len(names) == 4
    assert sorted(requests) == sorted(f"{method} {bucket}/{name}" for name in names for method in ("HEAD", "PUT"))
    assert requests[:2] == [f"HEAD {bucket}/{article.hero_image.name}", f"PUT {bucket}/{article.hero_image.name}"]


def production_settings(**environ: str) -> dict:
    """Settings as a production process reads them from its environment (a fresh interpreter)."""
    code = (
        "import json; from django.conf import settings;"
        " print(json.dumps({'default': settings.STORAGES['default'], 'media_url': settings.MEDIA_URL,"
        " 'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSROOM_S3_", "NEWSROOM_MEDIA_", "DJANGO_MEDIA_"))
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-startup", "--no-imports", "-c", code],
        cwd=REPO,
        env={**env, "DJANGO_SECRET_KEY": "test-only-not-secret", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def test_object_storage_is_configured_from_the_environment_and_the_csp_admits_the_media_host():
    configured = production_settings(
        NEWSROOM_MEDIA_STORAGE="s3",
        NEWSROOM_S3_BUCKET="newsroom-media",
        NEWSROOM_S3_ENDPOINT_URL="https://s3.eu-central-003.example.net",
        NEWSROOM_S3_REGION="eu-central-003",
        NEWSROOM_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        NEWSROOM_S3_SECRET_ACCESS_KEY="wJalrXUtnFEMI",
        NEWSROOM_MEDIA_HOST="https://media.example.org",
    )

    assert configured["default"] == {
        "BACKEND": "newsroom.storage.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "custom_domain": "media.example.org",
            "url_protocol": "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "endpoint_url": "https://s3.eu-central-003.example.net",
            "region_name": "eu-central-003",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "wJalrXUtnFEMI",
        },
    }
    assert configured["media_url"] == "https://media.example.org/"
    assert configured["img_src"] == ["'self'", "data:", "https://media.example.org"]


def test_on_disk_the_csp_admits_only_the_site_itself():
    assert production_settings()["img_src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "NEWSROOM_MEDIA_STORAGE=s3 needs NEWSROOM_S3_BUCKET"),
        ({"NEWSROOM_S3_BUCKET": "media"}, "needs NEWSROOM_MEDIA_HOST"),
        ({"NEWSROOM_S3_BUCKET": "media", "NEWSROOM_MEDIA_HOST": "ftp://files"}, "NEWSROOM_MEDIA_HOST must be"),
        (
            {"NEWSROOM_S3_BUCKET": "media", "NEWSROOM_S3_REGION": "eu-west-1", "NEWSROOM_S3_ACCESS_KEY_ID": "AKID"},
            "Set both NEWSROOM_S3_ACCESS_KEY_ID and NEWSROOM_S3_SECRET_ACCESS_KEY",
        ),
    ],
)
def test_incomplete_object_storage_settings_are_named_at_start_up(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        object_storage(environ)


def test_without_a_media_host_the_bucket_on_aws_is_addressed_by_its_region():
    storage, origin = object_storage({"NEWSROOM_S3_BUCKET": "media", "NEWSROOM_S3_REGION": "eu-west-1"})

    assert storage["OPTIONS"]["custom_domain"] == "media.s3.eu-west-1.amazonaws.com"
    assert origin == "https://media.s3.eu-west-1.amazonaws.com"
    assert "access_key" not in storage["OPTIONS"]  # boto3's own chain (an instance role) applies
