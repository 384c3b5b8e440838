"""Properties of the two HTML policies (newsroom/sanitize.py), for any input rather than the known vectors that
tests/test_sanitize.py lists: whatever goes in, what comes out parses, in Python's own HTML parser rather than the
one bleach uses, to nothing but the allowed elements, the allowed attributes and links with an allowed scheme.

The inputs are random mixes of tags, attributes and URLs from a broad list including hostile ones, with
entity-encoded schemes, whitespace and control characters inside schemes, and nested and unbalanced tags.
"""

import os
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.sanitize import (
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    COMMENT_LINK_REL,
    render_comment_text,
    sanitize_html,
)

# Bounded so the file runs in seconds; CI always tries the same examples, so a failure there is reproducible.
PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI", "").lower() == "true",
)

TAGS = [
    *sorted(ALLOWED_TAGS),
    "script", "style", "img", "svg", "math", "iframe", "frame", "object", "embed", "applet", "base", "link", "meta",
    "form", "input", "button", "textarea", "select", "option", "template", "noscript", "noembed", "noframes",
    "xmp", "plaintext", "title", "iframe", "video", "audio", "source", "track", "details", "marquee", "isindex",
    "h1", "h5", "div", "span", "table", "td", "foreignObject", "annotation-xml", "mglyph", "animate", "set",
    "use", "image", "x", "a:b",
]  # fmt: skip
ATTRIBUTES = [
    "href", "title", "src", "srcset", "style", "onclick", "onerror", "onload", "onmouseover", "formaction", "action",
    "data", "xlink:href", "xmlns", "background", "poster", "rel", "target", "class", "id", "name", "dynsrc",
    "lowsrc", "ping", "on", "attributename", "values", "to", "from", "begin", "srcdoc", "content", "http-equiv",
]  # fmt: skip
SCHEMES = [
    "javascript", "JaVaScRiPt", "vbscript", "livescript", "data", "file", "blob", "about", "jar", "ftp", "view-source",
    "feed", "http", "https", "mailto", "tel", "ms-its", "mhtml", "x-javascript", "jav&#x09;ascript", "",
]  # fmt: skip
# What browsers skip or undo before reading a scheme, and what a careless check stops at.
NOISE = ["\t", "\n", "\r", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", " ", "\u00a0", "\u200b", "&#9;", "&#10;"]
COLONS = [":", "&colon;", "&#58;", "&#x3a;", "&#x3A;", "&#0000058;", "%3a", "\uff1a"]
PAYLOADS = ["alert(1)", "//evil.example/", "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "x", ""]


def entity_encoded(text: str, draw) -> str:
    """Some of `text`'s characters as decimal or hexadecimal character references, as a browser would decode."""
    out = []
    for char in text:
        form = draw(st.sampled_from(["plain", "plain", "decimal", "hex", "padded"]))
        if form == "decimal":
            out.append(f"&#{ord(char)};")
        elif form == "hex":
            out.append(f"&#x{ord(char):x};")
        elif form == "padded":
            out.append(f"&#{ord(char):07d}")  # no semicolon: browsers still decode it
        else:
            out.append(char)
    return "".join(out)


@st.composite
def urls(draw) -> str:
    scheme = draw(st.sampled_from(SCHEMES))
    if draw(st.booleans()):
        scheme = entity_encoded(scheme, draw)
    if scheme and draw(st.booleans()):
        at = draw(st.integers(0, len(scheme)))
        scheme = scheme[:at] + draw(st.sampled_from(NOISE)) + scheme[at:]
    lead = draw(st.lists(st.sampled_from(NOISE), max_size=2))
    return "".join(lead) + scheme + draw(st.sampled_from(COLONS)) + draw(st.sampled_from(PAYLOADS))


@st.composite
def attributes(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    value = draw(st.one_of(urls(), st.sampled_from(["alert(1)", "x", "expression(alert(1))", ""]), st.text(max_size=8)))
    quote = draw(st.sampled_from(['"', "'", "", "`"]))
    value = value.replace(quote, "") if quote else value.replace(" ", "").replace(">", "")
    return f" {name}={quote}{value}{quote}"


def elements(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def element(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = "".join(draw(st.lists(attributes(), max_size=2)))
        inner = "".join(draw(st.lists(children, max_size=2)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{draw(st.sampled_from(TAGS))}>"]))
        slash = draw(st.sampled_from(["", "", "/", " /"]))
        return f"<{tag}{attrs}{slash}>{inner}{close}"

    return element()


FRAGMENTS = st.sampled_from(
    [
        "<", ">", "</", "<!--", "-->", "--!>", "<![CDATA[", "]]>", "<?xml ", "<!DOCTYPE html>", "&", "&lt;", "&amp;",
        '"', "'", "`", "=", "<a", "<a href=", "</a", "<scr<script>ipt>", "<<p>", "<p<", "\x00", "javascript:",
        "text", " ", "\n",
    ]
)  # fmt: skip
HOSTILE_HTML = st.recursive(
    st.one_of(FRAGMENTS, st.text(max_size=6)),
    lambda children: st.one_of(elements(children), st.lists(children, max_size=3).map("".join)),
    max_leaves=8,
)


ADDRESSES = st.sampled_from(["example.com", "https://a.example.org/?y=<z>", "http://xn--80ak6aa92e.com/"])


class Parsed(HTMLParser):
    """Everything a parser sees in an HTML string: elements, attributes, and anything that is not text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.other: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(tag)

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"declaration {data!r}")


# What the URL standard drops before it reads a scheme: C0 controls and spaces at either end, tabs and newlines
# anywhere. A scheme is then letters, digits, "+", "-" and "." up to the first colon, starting with a letter.
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def scheme_of(url: str) -> str | None:
    """The scheme a browser reads from an attribute's (already entity-decoded) value; None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


@PROPERTY_SETTINGS
@given(HOSTILE_HTML)
def test_an_article_body_never_holds_an_element_attribute_or_scheme_outside_the_policy(html):
    parsed = Parsed(sanitize_html(html))

    assert set(parsed.tags) <= ALLOWED_TAGS
    assert parsed.other == []
    for tag, name, value in parsed.attributes:
        assert tag == "a" and name in {"href", "title"}, (tag, name, value)
        if name == "href":
            assert scheme_of(value or "") in {None, *ALLOWED_PROTOCOLS}, value


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(HOSTILE_HTML, urls(), ADDRESSES), max_size=4))
def test_a_comment_never_holds_an_element_attribute_or_scheme_outside_the_policy(parts):
    parsed = Parsed(render_comment_text(" ".join(parts)))

    assert set(parsed.tags) <= {"p", "br", "a"}
    assert parsed.other == []
    for tag, name, value in parsed.attributes:
        assert tag == "a" and name in {"href", "rel"}, (tag, name, value)
        if name == "href":
            assert scheme_of(value or "") in {"http", "https"}, value
        else:
            assert value == COMMENT_LINK_REL


@PROPERTY_SETTINGS
@given(urls())
def test_a_link_with_any_of_the_hostile_schemes_keeps_only_an_allowed_one(url):
    for quote in ('"', "'"):
        parsed = Parsed(sanitize_html(f"<a href={quote}{url.replace(quote, '')}{quote}>x</a>"))
        for _tag, name, value in parsed.attributes:
            if name == "href":
                assert scheme_of(value or "") in {None, *ALLOWED_PROTOCOLS}, value
