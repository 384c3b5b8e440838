"""`manage.py check --deploy` finds nothing to warn about under the documented production settings
(deploy/newsroom.env.example, which docs/deployment.md walks through), and a warning is silenced only
where a setting says the TLS proxy does that job."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def documented_settings() -> dict[str, str]:
    """The example environment file's variables, its CHANGE placeholders filled in as an operator would."""
    settings = {}
    for line in (REPO / "deploy" / "newsroom.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            settings[name] = value
    settings["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return settings


def check_deploy(settings: dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={**env, **settings},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_check():
    finished = check_deploy(documented_settings())

    assert finished.returncode == 0, finished.stdout + finished.stderr
    # Two checks answered by the TLS proxy (the redirect) and by a recorded decision (no preload).
    assert "System check identified no issues (2 silenced)." in finished.stdout


def test_with_django_redirecting_and_preloading_nothing_needs_silencing():
    settings = documented_settings()
    del settings["NEWSROOM_TLS_PROXY_REDIRECTS"]
    settings.update(DJANGO_SECURE_SSL_REDIRECT="1", DJANGO_HSTS_PRELOAD="1")

    finished = check_deploy(settings)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "System check identified no issues (0 silenced)." in finished.stdout


@pytest.mark.parametrize(
    ("left_out", "warning"),
    [("NEWSROOM_TLS_PROXY_REDIRECTS", "security.W008"), ("DJANGO_HSTS_PRELOAD", "security.W021")],
)
def test_a_warning_stands_until_a_setting_says_who_takes_care_of_it(left_out, warning):
    settings = documented_settings()
    del settings[left_out]

    finished = check_deploy(settings)

    assert finished.returncode == 1
    assert warning in finished.stderr
