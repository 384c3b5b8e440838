"""Screening rules for new comments: the form's signed token, the trap for programs, and the editors' rules.

Each rule is a plain function of what was posted and the settings, returning the status the comment
gets and the rule that gave it, so that a moderator can see why a comment was held and a test can
check a rule without a request. Nothing here tells the sender which rule matched: a comment sent to
spam is answered exactly as one held for a moderator.
"""

import ipaddress
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing

from comments.models import Comment, ModerationSettings, lines
from newsroom.sanitize import count_web_addresses

FORM_SIGNING_SALT = "comments.form-token"


@dataclass(frozen=True)
class FormToken:
    """What the comment form's hidden token says: a random nonce, when the form was shown, and for which story.

    The token is the comment form's whole protection (the view is exempt from the CSRF cookie, so the
    article page can be cached and shared; see docs/caching.md): signed with the secret key, so only this
    site makes one; bound to one article, so a form taken from one story posts to no other; dated, so it
    expires after COMMENTS_FORM_MAX_AGE. A cached page hands the same token to every reader who gets that
    copy, so "one form, one comment" is kept per email address (Comment's constraint), not per nonce alone.
    """

    nonce: str
    issued_at: float
    article_id: int | None = None


def issue_form_token(article_id: int | None = None, issued_at: float | None = None) -> str:
    """A signed token for a freshly rendered form of this article: a nonce, the time and the article's id.

    The site always names the article; a token without one (issued before tokens were bound to a story)
    is read as valid for any story until it expires, a day at most.
    """
    payload: dict = {"n": secrets.token_hex(16), "t": time.time() if issued_at is None else issued_at}
    if article_id is not None:
        payload["a"] = article_id
    return signing.dumps(payload, salt=FORM_SIGNING_SALT, compress=False)


def read_form_token(token: str, now: float | None = None, *, article_id: int | None = None) -> FormToken | None:
    """The token's contents, or None when it is forged, mangled, older than COMMENTS_FORM_MAX_AGE, or was
    issued for another article than `article_id` (when given)."""
    now = time.time() if now is None else now
    try:
        payload = signing.loads(token, salt=FORM_SIGNING_SALT, max_age=settings.COMMENTS_FORM_MAX_AGE)
        bound = payload.get("a")
        form_token = FormToken(
            nonce=str(payload["n"]),
            issued_at=float(payload["t"]),
            article_id=None if bound is None else int(bound),
        )
    except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError):
        return None
    if len(form_token.nonce) != 32 or now - form_token.issued_at > settings.COMMENTS_FORM_MAX_AGE:
        return None
    if article_id is not None and form_token.article_id is not None and form_token.article_id != article_id:
        return None
    return form_token


@dataclass(frozen=True)
class Candidate:
    """A comment as posted, before it is stored."""

    name: str
    email: str
    body: str
    ip_address: str | None
    trap_filled: bool = False
    seconds_to_submit: float = 60.0


Verdict = tuple[str, str]  # (Comment.Status, the rule that gave it)


def screen(candidate: Candidate, rules: ModerationSettings, *, is_known_author: Callable[[], bool]) -> Verdict:
    """The status a new comment gets, and why: spam rules first, then the mode and the hold rules.

    `is_known_author` is called only when its answer matters, since it costs a query.
    """
    verdict = spam_verdict(candidate, rules)
    if verdict:
        return verdict
    if rules.mode == ModerationSettings.Mode.APPROVE_ALL:
        return Comment.Status.APPROVED, "approve everything"
    if rules.mode == ModerationSettings.Mode.MODERATE_ALL:
        return Comment.Status.PENDING, "moderate everything"
    verdict = hold_verdict(candidate, rules)
    if verdict:
        return verdict
    if not rules.auto_approve_known_authors:
        return Comment.Status.APPROVED, "no rule held it"
    if is_known_author():
        return Comment.Status.APPROVED, "known author: an earlier comment was approved"
    return Comment.Status.PENDING, "first comment from this email address"


def spam_verdict(candidate: Candidate, rules: ModerationSettings) -> Verdict | None:
    """Spam, and the rule, when the comment was sent by a program or matches a blocklist."""
    if candidate.trap_filled:
        return Comment.Status.SPAM, "filled the hidden field that people never see"
    if candidate.seconds_to_submit < settings.COMMENTS_MIN_SECONDS:
        seconds = max(0, int(candidate.seconds_to_submit))
        return (
            Comment.Status.SPAM,
            f"sent {seconds} s after the form was shown (people take {settings.COMMENTS_MIN_SECONDS} s or more)",
        )
    if word := first_match(rules.blocked_words, candidate):
        return Comment.Status.SPAM, f"blocklist word: {word}"
    if entry := blocked_email_entry(rules.blocked_emails, candidate.email):
        return Comment.Status.SPAM, f"blocked email: {entry}"
    if entry := blocked_ip_entry(rules.blocked_ips, candidate.ip_address):
        return Comment.Status.SPAM, f"blocked IP: {entry}"
    return None


def hold_verdict(candidate: Candidate, rules: ModerationSettings) -> Verdict | None:
    """Pending, and the rule, when the comment has too many links or a word on the moderation list."""
    links = count_web_addresses(candidate.body)
    if links > rules.max_links:
        return Comment.Status.PENDING, f"{links} links (more than {rules.max_links})"
    if word := first_match(rules.moderation_words, candidate):
        return Comment.Status.PENDING, f"moderation word: {word}"
    return None


def first_match(word_list: str, candidate: Candidate) -> str | None:
    """The first word or phrase of the list found, as a whole word and ignoring case, in any text field."""
    text = "\n".join([candidate.name, candidate.email, candidate.body])
    for word in lines(word_list):
        if _word_pattern(word.casefold()).search(text.casefold()):
            return word
    return None


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern:
    # Lookarounds rather than \b, so entries that start or end with punctuation ("$$$") match too.
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def blocked_email_entry(blocklist: str, email: str) -> str | None:
    """The blocklist line that covers this address: the address itself, its domain, or a parent domain."""
    address = email.strip().casefold()
    domain = address.rpartition("@")[2]
    for entry in lines(blocklist):
        wanted = entry.casefold()
        if "@" in wanted.lstrip("@"):
            if address == wanted:
                return entry
        else:
            wanted = wanted.lstrip("@")
            if domain == wanted or domain.endswith(f".{wanted}"):
                return entry
    return None


def blocked_ip_entry(blocklist: str, ip_address: str | None) -> str | None:
    """The blocklist line (an address or a network) that covers this address."""
    if not ip_address:
        return None
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return None
    for entry in lines(blocklist):
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue  # refused by the admin form; kept harmless should one reach the database
        if address.version == network.version and address in network:
            return entry
    return None
