"""Read a captured plain-text article page: text in, `ParsedArticle` out, with nothing written.

A capture holds, in blocks separated by blank lines: the headline, the hero image's description,
the standfirst, the story's paragraphs, an "Original Source:" line and the author's bio, with
page chrome ("Loading Now", "Post Comment") anywhere around them. Parsing is pure, so every refusal
is decided before the database or storage is touched; articles/importer.py then does the writes.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import escape
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Section
from authors.models import Author
from images.specs import HERO_IMAGE
from images.uploads import ImageRefused, accept_image

# Lines the page prints around every story; they are dropped wherever they appear.
PAGE_CHROME: tuple[str, ...] = ("Loading Now", "Post Comment")
_CHROME_KEYS = frozenset(line.casefold() for line in PAGE_CHROME)

_SOURCE_LINE = re.compile(r"^original source:\s*(?P<value>.*)$", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")

# Words that follow the author's name at the start of a bio: "Marisol Gonzalez is a journalist…".
BIO_VERBS = frozenset(
    {"is", "was", "has", "had", "writes", "wrote", "covers", "covered", "reports", "reported", "joined", "leads"}
    | {"edits", "works", "worked", "specialises", "specializes", "lives", "began", "holds", "spent", "brings"}
)
# Lower-case words allowed inside a name ("Ana de la Cruz"), never first or last.
_NAME_PARTICLES = frozenset({"al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "la", "le"})
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")

# Limits come from the models, so a capture that passes here also passes the database.
HEADLINE_MAX = Article._meta.get_field("headline").max_length
SLUG_MAX = Article._meta.get_field("slug").max_length
ALT_MAX = Article._meta.get_field("hero_alt").max_length
SUMMARY_MAX = Article._meta.get_field("summary").max_length
CAPTION_MAX = Article._meta.get_field("hero_caption").max_length
CREDIT_MAX = Article._meta.get_field("hero_credit").max_length
SOURCE_NAME_MAX = Article._meta.get_field("source_name").max_length
SOURCE_URL_MAX = Article._meta.get_field("source_url").max_length
AUTHOR_NAME_MAX = Author._meta.get_field("name").max_length
AUTHOR_SLUG_MAX = Author._meta.get_field("slug").max_length
SECTION_NAME_MAX = Section._meta.get_field("name").max_length
TAG_NAME_MAX = Tag._meta.get_field("name").max_length

# A long feature is well under 100 KB of text; anything near a megabyte is not a capture.
ARTICLE_FILE_MAX_BYTES = 1_000_000
# Headline, image description, standfirst, at least one story paragraph; the bio comes after.
_BLOCKS_BEFORE_BIO = 4


class ImportRefused(Exception):
    """The capture or an option cannot be imported; the message is one line, meant for the editor."""


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    hero_alt: str
    summary: str
    paragraphs: tuple[str, ...]
    source_name: str
    source_url: str
    author_name: str
    author_bio: str
    # The syndicated story's own address, when the "Original Source:" line gives more than a home page.
    original_url: str = ""

    @property
    def slug(self) -> str:
        """The article's address, and the key that makes a second import update the first."""
        return _slug(self.headline, SLUG_MAX)

    @property
    def author_slug(self) -> str:
        """The author's key: the same name on a later import reuses the same Author."""
        return _slug(self.author_name, AUTHOR_SLUG_MAX)

    @property
    def body_html(self) -> str:
        """One <p> per paragraph, text escaped; typographic quotes are plain characters and stay."""
        return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)


@dataclass(frozen=True)
class HeroImage:
    """The clean copy of an accepted image (images.uploads), with the extension of its format."""

    content: bytes
    extension: str
    caption: str = ""
    credit: str = ""


def _slug(text: str, max_length: int) -> str:
    return slugify(text)[:max_length].strip("-")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _preview(text: str, length: int = 60) -> str:
    text = _one_line(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def decode_article(data: bytes) -> str:
    """Bytes of a capture as text; a binary or non-UTF-8 file is refused rather than imported as garbage."""
    if len(data) > ARTICLE_FILE_MAX_BYTES:
        raise ImportRefused(f"the file is {len(data):,} bytes; an article capture is under {ARTICLE_FILE_MAX_BYTES:,}")
    if b"\x00" in data:
        raise ImportRefused("the file is binary (it contains NUL bytes), not a plain-text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"the file is not UTF-8 text (invalid byte at position {exc.start})") from exc


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each on one line, with page chrome removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (_one_line(block) for block in _BLANK_LINES.split(text))
    return [block for block in blocks if block and block.casefold() not in _CHROME_KEYS]


def parse_source(value: str) -> tuple[str, str, str]:
    """Name, home page and original article of an "Original Source:" value.

    "www.inkl.com" -> ("inkl.com", "https://www.inkl.com", ""): a home page only. An address with a path or
    query is the original story's own: "https://www.example.net/business/bakery" -> ("example.net",
    "https://www.example.net", "https://www.example.net/business/bakery").
    """
    value = value.strip()
    if not value:
        raise ImportRefused("the 'Original Source:' line names no source")
    if "://" not in value and re.match(r"^[a-z][a-z0-9+.\-]*:(?!\d)", value, re.IGNORECASE):
        # "javascript:…", "mailto:…": a scheme without slashes, never a web address.
        raise ImportRefused(f"the source {_preview(value)!r} is not an http or https address")
    url = value if "://" in value else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ImportRefused(f"the source {_preview(value)!r} is not an http or https address") from exc
    if len(url) > SOURCE_URL_MAX:
        raise ImportRefused(f"the source address is longer than {SOURCE_URL_MAX} characters")
    parts = urlsplit(url)
    host = parts.hostname or ""
    name = host.removeprefix("www.")
    if len(name) > SOURCE_NAME_MAX:
        raise ImportRefused(f"the source name is longer than {SOURCE_NAME_MAX} characters")
    if parts.path.strip("/") or parts.query:
        return name, f"{parts.scheme}://{parts.netloc}", url
    return name, url, ""


def clean_original_url(value: str) -> str:
    """An original article's address given as an option (--original-url, the demo): http or https, full."""
    url = value.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ImportRefused(
            f"the original article's address {_preview(value)!r} is not an http or https address"
        ) from exc
    if len(url) > SOURCE_URL_MAX:
        raise ImportRefused(f"the original article's address is longer than {SOURCE_URL_MAX} characters")
    return url


def _is_name(words: list[str]) -> bool:
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return False
    if not (words[0][0].isupper() and words[-1][0].isupper()):
        return False
    return all(word[0].isupper() or word in _NAME_PARTICLES for word in words[1:-1])


def author_name_from_bio(bio: str) -> str | None:
    """The name a bio opens with, 2 to 4 capitalised words before "is", "writes", …; None if there is none."""
    words = bio.split()
    for length in range(2, 5):
        if len(words) <= length:
            break
        if words[length].casefold() in BIO_VERBS and _is_name(words[:length]):
            return " ".join(words[:length])
    return None


def parse_article(text: str) -> ParsedArticle:
    """Read a capture shaped like articles/demo/wagner-exits-mali.txt, or raise ImportRefused saying why not."""
    if not text.strip():
        raise ImportRefused("the file is empty")
    blocks = split_blocks(text)
    if not blocks:
        raise ImportRefused(f"no headline: the file holds only page chrome ({', '.join(PAGE_CHROME)})")
    headline = blocks[0]
    if _SOURCE_LINE.match(headline):
        raise ImportRefused("no headline: the file starts with the 'Original Source:' line")
    if len(headline) > HEADLINE_MAX:
        raise ImportRefused(
            f"no headline: the first block is {len(headline)} characters long and a headline is at most"
            f" {HEADLINE_MAX} (it starts {_preview(headline)!r})"
        )
    if not _slug(headline, SLUG_MAX):
        raise ImportRefused(f"no headline: {headline!r} has no letters or digits to make a web address from")

    source_at = next((index for index, block in enumerate(blocks) if _SOURCE_LINE.match(block)), None)
    if source_at is None:
        before_bio, after_source = blocks[:-1], blocks[-1:]
        source_name, source_url, original_url = "", "", ""
    else:
        before_bio, after_source = blocks[:source_at], blocks[source_at + 1 :]
        source_name, source_url, original_url = parse_source(_SOURCE_LINE.match(blocks[source_at])["value"])
        if not after_source:
            raise ImportRefused("no author bio: nothing follows the 'Original Source:' line")
        if len(after_source) > 1:
            raise ImportRefused(
                f"expected only the author bio after the 'Original Source:' line, found {len(after_source)} blocks"
            )
    if len(before_bio) < _BLOCKS_BEFORE_BIO:
        raise ImportRefused(
            f"too few blocks: found {len(blocks)} separated by blank lines; an article needs a headline, an image"
            " description, a standfirst, at least one story paragraph and the author bio"
        )

    bio = after_source[0]
    author_name = author_name_from_bio(bio)
    if author_name is None:
        raise ImportRefused(
            "no author bio: the last block should open with the author's name and 'is', 'writes', 'covers'…;"
            f" it starts {_preview(bio)!r}"
        )
    if len(author_name) > AUTHOR_NAME_MAX:
        raise ImportRefused(f"the author's name is longer than {AUTHOR_NAME_MAX} characters")

    hero_alt, summary = before_bio[1], before_bio[2]
    if len(hero_alt) > ALT_MAX:
        raise ImportRefused(
            f"the image description (second block) is {len(hero_alt)} characters long; alt text is at most {ALT_MAX}"
        )
    if len(summary) > SUMMARY_MAX:
        raise ImportRefused(
            f"the standfirst (third block) is {len(summary)} characters long; a summary is at most {SUMMARY_MAX}"
        )
    return ParsedArticle(
        headline=headline,
        hero_alt=hero_alt,
        summary=summary,
        paragraphs=tuple(before_bio[3:]),
        source_name=source_name,
        source_url=source_url,
        original_url=original_url,
        author_name=author_name,
        author_bio=bio,
    )


def hero_image_from_bytes(data: bytes, *, caption: str = "", credit: str = "") -> HeroImage:
    """Check the bytes the way the admin checks an upload, and keep the clean copy, before anything is stored."""
    caption, credit = _one_line(caption), _one_line(credit)
    if len(caption) > CAPTION_MAX:
        raise ImportRefused(f"the image caption is longer than {CAPTION_MAX} characters")
    if len(credit) > CREDIT_MAX:
        raise ImportRefused(f"the image credit is longer than {CREDIT_MAX} characters")
    try:
        clean = accept_image(data, name="hero", min_size=HERO_IMAGE.min_size(), label=HERO_IMAGE.label)
    except ImageRefused as exc:
        raise ImportRefused(f"the image is refused: {exc}") from exc
    return HeroImage(content=clean.content, extension=clean.name.rsplit(".", 1)[1], caption=caption, credit=credit)


def _read_limited(path: Path, limit: int, what: str) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise ImportRefused(f"the {what} {path} is larger than {limit:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc


def read_article_file(path: Path) -> ParsedArticle:
    """Read and parse a capture from disk (an input file, not anything in media storage)."""
    return parse_article(decode_article(_read_limited(path, ARTICLE_FILE_MAX_BYTES, "file")))


def read_hero_image(path: Path, *, caption: str = "", credit: str = "") -> HeroImage:
    """Read and check an image file from disk, ready to hand to import_article."""
    data = _read_limited(path, settings.IMAGE_MAX_BYTES, "image")
    return hero_image_from_bytes(data, caption=caption, credit=credit)


def clean_section_name(name: str) -> str:
    name = _one_line(name)
    if not name or not slugify(name):
        raise ImportRefused("the section name is empty or has no letters or digits")
    if len(name) > SECTION_NAME_MAX:
        raise ImportRefused(f"the section name is longer than {SECTION_NAME_MAX} characters")
    return name


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Tags stripped and de-duplicated in the order given; an empty or over-long tag is refused."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = _one_line(raw)
        # Letters of any script count: a tag's address keeps them (articles/tags.py).
        if not name or not slugify(name, allow_unicode=True):
            raise ImportRefused("a tag is empty or has no letters or digits")
        if len(name) > TAG_NAME_MAX:
            raise ImportRefused(f"the tag {_preview(name)!r} is longer than {TAG_NAME_MAX} characters")
        cleaned.setdefault(name.casefold(), name)
    return list(cleaned.values())
