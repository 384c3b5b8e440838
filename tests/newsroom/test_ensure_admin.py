"""The getting-started command ensure_admin gives the first login."""

import io
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^Admin login: (?P<url>\S+) user (?P<user>\S+) password (?P<password>\S+)$", re.MULTILINE)


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def project_dir(settings, tmp_path, monkeypatch):
    """A throwaway BASE_DIR, so the credentials file never lands in the real var/ folder."""
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    return tmp_path


def test_ensure_admin_creates_a_superuser_and_prints_how_to_log_in(project_dir):
    output = run("ensure_admin")

    login = LOGIN_LINE.search(output)
    assert login is not None, output
    assert login["url"] == "http://127.0.0.1:8000/admin/"
    assert login["user"] == "admin"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(login["password"])
    assert len(login["password"]) >= 20
    credentials = project_dir / "var" / "admin-credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert f"password={login['password']}" in credentials.read_text()


def test_ensure_admin_second_run_prints_the_same_password_and_changes_nothing(project_dir):
    first = LOGIN_LINE.search(run("ensure_admin"))["password"]
    password_hash = get_user_model().objects.get(username="admin").password

    output = run("ensure_admin")

    assert LOGIN_LINE.search(output)["password"] == first
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get(username="admin").password == password_hash


def test_ensure_admin_uses_the_password_from_the_environment(project_dir, monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "chosen-by-the-operator")

    output = run("ensure_admin", "--username", "chief", "--port", "8080")

    assert "Admin login: http://127.0.0.1:8080/admin/ user chief password chosen-by-the-operator" in output
    assert get_user_model().objects.get(username="chief").check_password("chosen-by-the-operator")


def test_ensure_admin_leaves_an_existing_account_alone_and_says_how_to_reset(project_dir):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    password_hash = get_user_model().objects.get(username="admin").password

    output = run("ensure_admin")

    assert "manage.py changepassword admin" in output
    assert LOGIN_LINE.search(output) is None
    assert get_user_model().objects.get(username="admin").password == password_hash
    assert not (project_dir / "var" / "admin-credentials.txt").exists()


def test_ensure_admin_does_not_show_a_password_that_was_changed_since(project_dir):
    old = LOGIN_LINE.search(run("ensure_admin"))["password"]
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed in the admin")
    admin.save()

    output = run("ensure_admin")

    assert old not in output
    assert "manage.py changepassword admin" in output
    assert get_user_model().objects.get(username="admin").check_password("changed in the admin")
