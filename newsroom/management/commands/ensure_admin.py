"""manage.py ensure_admin: make sure a first login exists, without prompting, so setup scripts can run it."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

# var/ is gitignored, so the generated password never reaches the repository.
CREDENTIALS_PATH = Path("var") / "admin-credentials.txt"
# token_urlsafe(18) gives 24 characters, about 144 bits: far beyond any guessing over HTTP.
_PASSWORD_BYTES = 18


def credentials_file() -> Path:
    return Path(settings.BASE_DIR) / CREDENTIALS_PATH


def write_credentials(path: Path, values: dict[str, str]) -> None:
    """Write key=value lines readable only by the owner (mode 0600), even if the file existed before."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write("# Written by manage.py ensure_admin. Keep it private; delete it once the password is noted.\n")
        handle.writelines(f"{key}={value}\n" for key, value in values.items())


def read_credentials(path: Path) -> dict[str, str]:
    """The stored key=value pairs, or nothing when the file is missing or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    pairs = (line.partition("=") for line in lines if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, _, value in pairs}


class Command(BaseCommand):
    help = (
        "Create the admin superuser if it does not exist (password from DJANGO_ADMIN_PASSWORD or generated),"
        f" store it in {CREDENTIALS_PATH} and print how to log in. Never prompts; never changes a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="Login name (default: admin).")
        parser.add_argument("--email", default="", help="E-mail address for the new account.")
        parser.add_argument("--port", type=int, default=8000, help="Port of the development server, for the link.")

    def handle(self, *args, **options) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("--username must not be empty.")
        login_url = f"http://127.0.0.1:{options['port']}{reverse('admin:index')}"
        path = credentials_file()
        shown_path = CREDENTIALS_PATH if path.is_relative_to(settings.BASE_DIR) else path
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()

        if user is None:
            password = os.environ.get("DJANGO_ADMIN_PASSWORD") or secrets.token_urlsafe(_PASSWORD_BYTES)
            # One transaction: if the file cannot be written, no account exists whose password nobody knows.
            with transaction.atomic():
                user_model._default_manager.create_superuser(
                    **{user_model.USERNAME_FIELD: username}, email=options["email"], password=password
                )
                write_credentials(path, {"url": login_url, "username": username, "password": password})
            self.stdout.write(self.style.SUCCESS(f"Created superuser {username!r}."))
            self.stdout.write(f"Admin login: {login_url} user {username} password {password}")
            self.stdout.write(f"Saved to {shown_path} (readable only by you).")
            return

        stored = read_credentials(path)
        # Compared with the hasher directly: user.check_password() may re-hash and save the user.
        if stored.get("username") == username and check_password(stored.get("password", ""), user.password):
            self.stdout.write(f"Admin login: {login_url} user {username} password {stored['password']}")
            self.stdout.write(f"(Account already existed; password read from {shown_path}.)")
            return
        self.stdout.write(
            f"Admin account {username!r} already exists and its password is not on file; it was left unchanged."
        )
        self.stdout.write(f"Admin login: {login_url} user {username}")
        self.stdout.write(f"To set a new password: python manage.py changepassword {username}")
