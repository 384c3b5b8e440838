"""Fixtures for the image tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """These tests log an editor in through the admin dozens of times and test no passwords; Django's
    default hasher spends about 0.4 s on each editor account the factory makes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
