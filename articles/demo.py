"""Demo content: the sections and standing pages a fresh site starts with, the sample article and its hero image.

The sample capture has no image, so a committed illustration (demo/hero.jpg, 1600×900) goes with it.
The same bytes every run mean a second `load_demo` stores nothing new.
"""

from pathlib import Path

from django.db import transaction

from articles.capture import hero_image_from_bytes, read_article_file
from articles.importer import ImportOutcome, import_article
from articles.models import Section
from newsroom.models import Page

DEMO_ARTICLE_PATH = Path(__file__).resolve().parent / "demo" / "wagner-exits-mali.txt"
DEMO_HERO_PATH = Path(__file__).resolve().parent / "demo" / "hero.jpg"
# Name, one-line description; the order here is the navigation order, World first.
DEMO_SECTIONS: tuple[tuple[str, str], ...] = (
    ("World", "Reporting from every continent, with the context behind the headlines."),
    ("Politics", "Governments, elections and the people who run them."),
    ("Business", "Companies, markets and the economy, explained."),
    ("Culture", "Books, film, music and the arts."),
)
DEMO_SECTION = "World"
DEMO_TAGS: tuple[str, ...] = ("Mali", "Wagner Group", "Russia", "Sahel")
DEMO_IMAGE_CAPTION = "Armoured vehicles under Malian and Russian flags in the Sahel desert."
DEMO_IMAGE_CREDIT = "Illustration: newsroom demo"
# The capture names only inkl.com; this is the syndicated story's own page there. The demo keeps its own address
# as canonical (the default), so its story is in the sitemaps and the Google News sitemap; an editor whose licence
# asks for it switches the story's canonical address to the original in the admin.
DEMO_ORIGINAL_URL = "https://www.inkl.com/news/wagner-exits-mali-as-africa-corps-takes-over-russian-operations"
# The standing pages a reader looks for in a news site's footer: slug, title, body. Short placeholders an
# editor replaces with the publication's own words; the order here is the footer's.
DEMO_PAGES: tuple[tuple[str, str, str], ...] = (
    (
        "about",
        "About us",
        "<p>We are an independent newsroom reporting on world affairs, politics, business and culture.</p>"
        "<p>Our reporters and editors work to one standard: check first, publish second, and correct openly.</p>",
    ),
    (
        "ethics",
        "Ethics policy",
        "<p>We report in the public interest, without fear or favour. We do not accept gifts or paid trips "
        "from the people we cover, and we say so when a story involves a conflict of interest.</p>"
        "<p>Every fact we publish has a source we can name to our editors.</p>",
    ),
    (
        "corrections",
        "Corrections policy",
        "<p>When we get something wrong, we correct it promptly and say so at the foot of the story, with "
        "the date of the correction. We do not quietly change published facts.</p>"
        '<p>Every correction and update we have made is listed, newest first, on our <a href="/corrections/">'
        "corrections page</a>, which has its own feed.</p>"
        "<p>To report an error, write to the newsdesk through the contact page.</p>",
    ),
    (
        "contact",
        "Contact",
        "<p>News tips, corrections and questions go to the newsdesk. We read every message, though we "
        "cannot answer them all.</p>",
    ),
    (
        "privacy",
        "Privacy",
        "<p>We do not track readers or show advertising. A comment you post keeps the name and email "
        "address you give; the email address is never published.</p>"
        "<p>Ask the newsdesk to see or delete what we hold about you.</p>",
    ),
)


def ensure_sections() -> list[Section]:
    """The demo sections, created when missing; an editor's later changes to them are left alone."""
    sections = []
    for position, (name, description) in enumerate(DEMO_SECTIONS, start=1):
        section, _ = Section.objects.get_or_create(
            name=name, defaults={"slug": name.lower(), "description": description, "position": position}
        )
        sections.append(section)
    return sections


def ensure_pages() -> list[Page]:
    """The demo's standing pages, created when missing; a page an editor has written is never overwritten."""
    pages = []
    for position, (slug, title, body) in enumerate(DEMO_PAGES, start=1):
        page, _ = Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body, "position": position})
        pages.append(page)
    return pages


@transaction.atomic
def load_demo() -> ImportOutcome:
    """Sections, standing pages, and the sample article, published in World with its tags and image;
    safe to repeat."""
    ensure_sections()
    ensure_pages()
    image = hero_image_from_bytes(demo_hero_image(), caption=DEMO_IMAGE_CAPTION, credit=DEMO_IMAGE_CREDIT)
    return import_article(
        read_article_file(DEMO_ARTICLE_PATH),
        section=DEMO_SECTION,
        tags=DEMO_TAGS,
        publish=True,
        image=image,
        original_url=DEMO_ORIGINAL_URL,
    )


def demo_hero_image() -> bytes:
    """A 1600×900 JPEG of armoured vehicles and flags on desert dunes under a blue sky."""
    return DEMO_HERO_PATH.read_bytes()
