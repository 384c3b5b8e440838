"""The one HTML policy of the site: what editors' rich text may contain when it reaches a page.

Everything that is rendered with `|safe` comes out of `sanitize_html` here. The lists are
explicit so a reviewer can read the whole policy on one screen; links are checked by this
module's own scheme test as well as by bleach's, so a parser quirk in one does not open a hole.
"""

import html
from urllib.parse import urlsplit

import bleach

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
