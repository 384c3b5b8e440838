"""The screening rules one by one, without a request: each gives a status and the rule a moderator sees."""

import time

import pytest
from django.core import signing

from comments.models import Comment, ModerationSettings
from comments.spam import (
    FORM_SIGNING_SALT,
    Candidate,
    blocked_email_entry,
    blocked_ip_entry,
    first_match,
    issue_form_token,
    read_form_token,
    screen,
)

SPAM, PENDING, APPROVED = Comment.Status.SPAM, Comment.Status.PENDING, Comment.Status.APPROVED


def candidate(**overrides: object) -> Candidate:
    return Candidate(
        **{
            "name": "Ada",
            "email": "ada@example.com",
            "body": "A fair point, well made.",
            "ip_address": "198.51.100.4",
            **overrides,
        }
    )


def rules(**overrides: object) -> ModerationSettings:
    return ModerationSettings(**overrides)  # never saved: the rules are plain values


def known() -> bool:
    return True


def unknown() -> bool:
    return False


def never_asked() -> bool:
    raise AssertionError("the known-author query ran although its answer could not matter")


def test_form_token_reads_back_what_was_issued():
    issued_at = time.time() - 10
    token = read_form_token(issue_form_token(issued_at=issued_at))
    assert token is not None
    assert token.issued_at == pytest.approx(issued_at)
    assert len(token.nonce) == 32


def test_each_form_token_has_its_own_nonce():
    assert read_form_token(issue_form_token()).nonce != read_form_token(issue_form_token()).nonce


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        issue_form_token() + "x",
        signing.dumps({"n": "a" * 32, "t": time.time()}, salt="elsewhere"),
        signing.dumps({"n": "short", "t": time.time()}, salt=FORM_SIGNING_SALT),
        signing.dumps({"t": time.time()}, salt=FORM_SIGNING_SALT),
        signing.dumps({"n": "a" * 32, "t": "soon"}, salt=FORM_SIGNING_SALT),
        signing.dumps(["n", "t"], salt=FORM_SIGNING_SALT),
    ],
    ids=["empty", "garbage", "tampered", "other salt", "short nonce", "no time", "bad time", "not a dict"],
)
def test_forged_or_mangled_form_tokens_are_rejected(token):
    assert read_form_token(token) is None


def test_a_form_token_expires_after_a_day(settings):
    settings.COMMENTS_FORM_MAX_AGE = 24 * 60 * 60
    token = issue_form_token(issued_at=time.time() - 60)
    assert read_form_token(token, now=time.time() + 23 * 3600) is not None
    assert read_form_token(token, now=time.time() + 24 * 3600) is None


def test_the_trap_field_and_speed_send_to_spam_before_anything_else():
    assert screen(candidate(trap_filled=True), rules(), is_known_author=never_asked) == (
        SPAM,
        "filled the hidden field that people never see",
    )
    status, rule = screen(candidate(seconds_to_submit=1.4), rules(), is_known_author=never_asked)
    assert (status, rule) == (SPAM, "sent 1 s after the form was shown (people take 3 s or more)")
    # even when everything is approved
    assert screen(candidate(trap_filled=True), rules(mode="approve_all"), is_known_author=never_asked)[0] == SPAM


def test_blocklists_send_to_spam_in_every_mode():
    for mode in ModerationSettings.Mode.values:
        assert screen(
            candidate(body="Cheap VIAGRA here"), rules(mode=mode, blocked_words="viagra"), is_known_author=known
        ) == (
            SPAM,
            "blocklist word: viagra",
        )
        assert screen(candidate(), rules(mode=mode, blocked_emails="example.com"), is_known_author=known) == (
            SPAM,
            "blocked email: example.com",
        )
        assert screen(candidate(), rules(mode=mode, blocked_ips="198.51.100.0/24"), is_known_author=known) == (
            SPAM,
            "blocked IP: 198.51.100.0/24",
        )


def test_modes_approve_everything_or_moderate_everything():
    assert screen(candidate(), rules(mode="approve_all"), is_known_author=never_asked) == (
        APPROVED,
        "approve everything",
    )
    many_links = candidate(body="http://a.example.com http://b.example.com http://c.example.com")
    assert screen(many_links, rules(mode="approve_all"), is_known_author=never_asked)[0] == APPROVED
    assert screen(candidate(), rules(mode="moderate_all"), is_known_author=never_asked) == (
        PENDING,
        "moderate everything",
    )


def test_more_links_than_allowed_are_held_and_the_count_is_given():
    body = "See https://a.example.com, https://b.example.org and www.example.net"
    assert screen(candidate(body=body), rules(max_links=2), is_known_author=known) == (PENDING, "3 links (more than 2)")
    assert screen(candidate(body=body), rules(max_links=3), is_known_author=known)[0] == APPROVED
    assert screen(candidate(body="one http://a.example.com"), rules(max_links=0), is_known_author=known)[0] == PENDING


def test_moderation_words_hold_a_comment_by_whole_word_ignoring_case():
    settings = rules(moderation_words="casino\nfree money\n$$$")
    assert screen(candidate(body="Visit my CASINO"), settings, is_known_author=known) == (
        PENDING,
        "moderation word: casino",
    )
    assert screen(candidate(name="Free  money"), settings, is_known_author=known)[0] == APPROVED  # phrase spacing
    assert screen(candidate(body="free money now"), settings, is_known_author=known)[1] == "moderation word: free money"
    assert screen(candidate(body="earn $$$ fast"), settings, is_known_author=known)[1] == "moderation word: $$$"
    assert screen(candidate(body="Casinos are not named"), settings, is_known_author=known)[0] == APPROVED


def test_known_authors_are_approved_and_first_comments_held():
    assert screen(candidate(), rules(), is_known_author=known) == (
        APPROVED,
        "known author: an earlier comment was approved",
    )
    assert screen(candidate(), rules(), is_known_author=unknown) == (PENDING, "first comment from this email address")
    assert screen(candidate(), rules(auto_approve_known_authors=False), is_known_author=never_asked) == (
        APPROVED,
        "no rule held it",
    )


def test_a_hold_rule_holds_even_a_known_author_without_asking_who_they_are():
    assert screen(candidate(body="casino"), rules(moderation_words="casino"), is_known_author=never_asked)[0] == PENDING


@pytest.mark.parametrize(
    ("blocklist", "email", "entry"),
    [
        ("spammer@example.com", "Spammer@Example.com", "spammer@example.com"),
        ("spammer@example.com", "other@example.com", None),
        ("example.net", "a@example.net", "example.net"),
        ("@example.net", "a@mail.example.net", "@example.net"),
        ("example.net", "a@notexample.net", None),
        ("", "a@example.net", None),
    ],
)
def test_blocked_emails_match_addresses_domains_and_subdomains(blocklist, email, entry):
    assert blocked_email_entry(blocklist, email) == entry


@pytest.mark.parametrize(
    ("blocklist", "ip", "entry"),
    [
        ("203.0.113.7", "203.0.113.7", "203.0.113.7"),
        ("203.0.113.0/24", "203.0.113.200", "203.0.113.0/24"),
        ("203.0.113.0/24", "203.0.114.1", None),
        ("2001:db8::/32", "2001:db8::1", "2001:db8::/32"),
        ("2001:db8::/32", "203.0.113.7", None),
        ("not an address\n203.0.113.7", "203.0.113.7", "203.0.113.7"),
        ("203.0.113.7", None, None),
    ],
)
def test_blocked_ips_match_addresses_and_networks(blocklist, ip, entry):
    assert blocked_ip_entry(blocklist, ip) == entry


def test_words_are_looked_for_in_name_email_and_body():
    assert first_match("bot", candidate(name="Friendly Bot")) == "bot"
    assert first_match("bot", candidate(email="bot@example.com")) == "bot"
    assert first_match("bot", candidate(body="I am a bot.")) == "bot"
    assert first_match("bot", candidate(body="robots")) is None


@pytest.mark.parametrize("tld", ["xyz", "top", "online", "shop", "africa"])
def test_links_on_every_current_top_level_domain_are_counted_even_for_a_known_author(tld):
    body = " ".join(f"best-deal-{n}.{tld}" for n in range(50))
    assert screen(candidate(body=body), rules(max_links=2), is_known_author=never_asked) == (
        PENDING,
        "50 links (more than 2)",
    )


def test_addresses_that_are_not_linked_are_counted_too():
    body = "ftp://one.example.com ftp://two.example.com ftp://three.example.com"
    assert screen(candidate(body=body), rules(max_links=2), is_known_author=never_asked)[1] == "3 links (more than 2)"


def test_a_form_token_is_bound_to_the_article_it_was_shown_with():
    token = issue_form_token(article_id=7)
    assert read_form_token(token, article_id=7).article_id == 7
    assert read_form_token(token, article_id=8) is None
