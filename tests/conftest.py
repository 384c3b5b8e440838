"""Fixtures every app's tests share; app-specific ones live beside their tests."""

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Uploads go to a throwaway folder, and static files are served unhashed so tests need
    no collectstatic (production keeps the hashed manifest storage)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_user(db):
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client
