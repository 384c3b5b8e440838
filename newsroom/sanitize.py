"""The one HTML policy of the site: what editors' rich text may contain when it reaches a page.

Everything that is rendered with `|safe` comes out of `sanitize_html` (editors' rich text) or
`render_comment_text` (readers' plain text) here. The lists are
explicit so a reviewer can read the whole policy on one screen; links are checked by this
module's own scheme test as well as by bleach's, so a parser quirk in one does not open a hole.
"""

import html
from functools import partial
from urllib.parse import urlsplit

import bleach
import bleach.linkifier
from bleach.linkifier import LinkifyFilter
from django.utils.html import linebreaks

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


# Readers' comments are plain text: escaped first, so the only markup in them is what is made
# here (paragraphs, line breaks and links). Links go to http and https only, and say that the site
# neither vouches for them (nofollow, ugc) nor hands the opened page a handle on this one (noopener).
COMMENT_LINK_REL = "nofollow ugc noopener"
_COMMENT_URL_RE = bleach.linkifier.build_url_re(protocols=["http", "https"])


def _comment_link(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http://", "https://")) or not is_safe_url(href):
        return None  # left as text
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
    filters=[partial(LinkifyFilter, callbacks=[_comment_link], url_re=_COMMENT_URL_RE, parse_email=False)],
)


def render_comment_text(text: str) -> str:
    """Plain text as comment HTML: everything escaped, paragraphs and line breaks kept, web addresses linked."""
    if not text or not text.strip():
        return ""
    return _comment_cleaner.clean(linebreaks(text, autoescape=True)).strip()


def count_links(comment_html: str) -> int:
    """How many links `render_comment_text` made: the links a reader would see, counted the same way."""
    return comment_html.count("<a ")
