"""Staff who forgot their password set a new one by email, starting from the admin's login page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
NEW_PASSWORD = "a-long-new-passphrase-17"


def _reset_link(message: mail.EmailMessage) -> str:
    """The path of the one link in the email, as the staff member would follow it."""
    match = re.search(r"https?://testserver(/admin/password_reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _log_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": reverse("admin:index")})


def test_staff_member_resets_a_forgotten_password_from_the_login_page(client):
    UserFactory(username="editor", email="editor@example.com", is_staff=True)

    login_page = client.get(LOGIN).content.decode()
    reset_url = reverse("admin_password_reset")
    assert f'<a href="{reset_url}">' in login_page

    form = client.get(reset_url)
    assert form.status_code == 200
    assert "Newsroom" in form.content.decode()  # the admin's header, not Django's default
    sent = client.post(reset_url, {"email": "editor@example.com"})
    assert sent.status_code == 302
    assert client.get(sent.url).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.com"]
    assert "editor" in message.body  # the username, for whoever forgot that too

    # Django swaps the token for a session key, then asks for the new password on a token-free address.
    set_password = client.get(_reset_link(message))
    assert set_password.status_code == 302
    done = client.post(set_password.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    complete = client.get(done.url).content.decode()
    assert f'href="{LOGIN}"' in complete

    assert _log_in(client, "editor", PASSWORD).status_code == 200  # the old password is refused
    logged_in = _log_in(client, "editor", NEW_PASSWORD)
    assert logged_in.status_code == 302
    assert logged_in.url == reverse("admin:index")


def test_a_reset_link_works_only_once(client):
    UserFactory(username="editor", email="editor@example.com", is_staff=True)
    client.post(reverse("admin_password_reset"), {"email": "editor@example.com"})
    link = _reset_link(mail.outbox[0])
    set_password = client.get(link)
    client.post(set_password.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.status_code == 200
    assert "invalid" in again.content.decode()
    assert "new_password1" not in again.content.decode()


@pytest.mark.parametrize("email", ["nobody@example.com", "reader@example.com"])
def test_reset_form_reveals_nothing_about_an_address_without_a_staff_account(client, email):
    UserFactory(username="reader", email="reader@example.com", is_staff=False)

    response = client.post(reverse("admin_password_reset"), {"email": email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_one_inbox_gets_at_most_three_reset_emails_an_hour_whoever_asks(client):
    UserFactory(username="editor", email="editor@example.com", is_staff=True)
    url = reverse("admin_password_reset")
    for n in range(3):
        sent = client.post(url, {"email": "Editor@Example.com"}, REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert sent.status_code == 302

    refused = client.post(url, {"email": "editor@example.com"}, REMOTE_ADDR="198.51.100.9")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many password reset requests" in page
    assert "no email was sent" in page
    assert len(mail.outbox) == 3


def test_an_address_without_an_account_is_limited_alike_so_the_limit_reveals_no_accounts(client):
    url = reverse("admin_password_reset")
    answers = [client.post(url, {"email": "nobody@example.com"}).status_code for _ in range(4)]

    assert answers == [302, 302, 302, 429]
    assert mail.outbox == []


def test_one_connection_asking_for_many_inboxes_is_refused_before_the_form_is_read(client, settings):
    settings.PASSWORD_RESET_RATE_PER_IP = 2
    for n in range(3):
        UserFactory(username=f"editor{n}", email=f"editor{n}@example.com", is_staff=True)
    url = reverse("admin_password_reset")
    for n in range(2):
        assert client.post(url, {"email": f"editor{n}@example.com"}, REMOTE_ADDR="203.0.113.5").status_code == 302

    refused = client.post(url, {"email": "editor2@example.com"}, REMOTE_ADDR="203.0.113.5")
    other_connection = client.post(url, {"email": "editor2@example.com"}, REMOTE_ADDR="203.0.113.6")

    assert refused.status_code == 429
    assert other_connection.status_code == 302
    assert [message.to for message in mail.outbox] == [[f"editor{n}@example.com"] for n in range(3)]
