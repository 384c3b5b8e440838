"""Demo content: the sections a fresh site starts with, the sample article and its hero image.

The sample capture has no image, so a committed illustration (demo/hero.jpg, 1600×900) goes with it.
The same bytes every run mean a second `load_demo` stores nothing new.
"""

from pathlib import Path

from django.db import transaction

from articles.capture import hero_image_from_bytes, read_article_file
from articles.importer import ImportOutcome, import_article
from articles.models import Section

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


def ensure_sections() -> list[Section]:
    """The demo sections, created when missing; an editor's later changes to them are left alone."""
    sections = []
    for position, (name, description) in enumerate(DEMO_SECTIONS, start=1):
        section, _ = Section.objects.get_or_create(
            name=name, defaults={"slug": name.lower(), "description": description, "position": position}
        )
        sections.append(section)
    return sections


@transaction.atomic
def load_demo() -> ImportOutcome:
    """Sections plus the sample article, published in World with its tags and image; safe to repeat."""
    ensure_sections()
    image = hero_image_from_bytes(demo_hero_image(), caption=DEMO_IMAGE_CAPTION, credit=DEMO_IMAGE_CREDIT)
    return import_article(
        read_article_file(DEMO_ARTICLE_PATH), section=DEMO_SECTION, tags=DEMO_TAGS, publish=True, image=image
    )


def demo_hero_image() -> bytes:
    """A 1600×900 JPEG of armoured vehicles and flags on desert dunes under a blue sky."""
    return DEMO_HERO_PATH.read_bytes()
