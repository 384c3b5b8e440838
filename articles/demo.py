"""Demo content: the sections a fresh site starts with, the sample article and its generated hero image.

The sample capture has no image, so one is drawn here. It is drawn from fixed shapes with no
randomness, so every run produces the same JPEG bytes and a second `load_demo` stores nothing new.
"""

import io
import math
from pathlib import Path

from django.db import transaction
from PIL import Image, ImageDraw, ImageFilter

from articles.importer import ImportOutcome, hero_image_from_bytes, import_article, read_article_file
from articles.models import Section

DEMO_ARTICLE_PATH = Path(__file__).resolve().parent / "demo" / "wagner-exits-mali.txt"
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

HERO_SIZE = (1600, 900)
# Drawn at twice the size and scaled down, which smooths the polygon edges Pillow draws without anti-aliasing.
_SCALE = 2
_JPEG_QUALITY = 85

_SKY_TOP = (28, 78, 158)
_SKY_HORIZON = (196, 220, 236)
_HULL = (92, 94, 66)
_HULL_SHADE = (70, 72, 50)
_TYRE = (38, 36, 32)
_POLE = (84, 78, 70)
_MALI_FLAG = ((20, 181, 58), (252, 209, 22), (206, 17, 38))  # vertical stripes
_RUSSIAN_FLAG = ((245, 245, 245), (0, 57, 166), (213, 43, 30))  # horizontal stripes


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
    """A 1600×900 JPEG of armoured vehicles and flags on desert dunes under a blue sky, identical every run."""
    width, height = HERO_SIZE[0] * _SCALE, HERO_SIZE[1] * _SCALE
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.58)
    _draw_sky(draw, width, height, horizon)
    _draw_sun(picture, width, height)
    draw = ImageDraw.Draw(picture)
    _draw_dunes(draw, width, height, horizon)
    for x, y, size, facing in ((0.16, 0.80, 1.0, 1), (0.52, 0.74, 0.7, 1), (0.80, 0.86, 1.25, -1)):
        _draw_vehicle(draw, int(width * x), int(height * y), size * _SCALE, facing)
    _draw_flag(draw, int(width * 0.36), int(height * 0.78), _SCALE, _MALI_FLAG, vertical=True)
    _draw_flag(draw, int(width * 0.66), int(height * 0.76), _SCALE, _RUSSIAN_FLAG, vertical=False)
    picture = picture.resize(HERO_SIZE, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    return output.getvalue()


def _blend(start: tuple[int, int, int], end: tuple[int, int, int], ratio: float) -> tuple[int, int, int]:
    return tuple(round(a + (b - a) * ratio) for a, b in zip(start, end, strict=True))


def _draw_sky(draw: ImageDraw.ImageDraw, width: int, height: int, horizon: int) -> None:
    # Filled to the bottom edge, so no black shows where a dune trough dips below the horizon.
    for y in range(height):
        # Squared ratio keeps the upper sky deep blue and pales it only near the horizon, as haze does.
        draw.line([(0, y), (width, y)], fill=_blend(_SKY_TOP, _SKY_HORIZON, min(1.0, y / horizon) ** 2))


def _draw_sun(picture: Image.Image, width: int, height: int) -> None:
    glow = Image.new("L", picture.size, 0)
    cx, cy, radius = int(width * 0.8), int(height * 0.18), int(height * 0.05)
    ImageDraw.Draw(glow).ellipse([cx - radius * 3, cy - radius * 3, cx + radius * 3, cy + radius * 3], fill=110)
    glow = glow.filter(ImageFilter.GaussianBlur(radius * 1.5))
    picture.paste((255, 246, 214), mask=glow)
    ImageDraw.Draw(picture).ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=(255, 250, 232))


def _dune_line(width: int, base: float, waves: tuple[tuple[float, float, float], ...]) -> list[tuple[float, float]]:
    """Points along a dune crest: a base height plus a few sine waves (amplitude, wavelength, phase)."""
    step = 8
    return [
        (x, base + sum(amp * math.sin(2 * math.pi * x / length + phase) for amp, length, phase in waves))
        for x in range(0, width + step, step)
    ]


def _draw_dunes(draw: ImageDraw.ImageDraw, width: int, height: int, horizon: int) -> None:
    layers = (
        (horizon - 10, (206, 168, 118), ((18, 900, 0.3), (10, 370, 1.1))),
        (horizon + height * 0.07, (219, 178, 121), ((34, 1300, 2.0), (14, 520, 0.4))),
        (horizon + height * 0.17, (230, 190, 131), ((52, 1700, 4.1), (20, 610, 2.2))),
        (horizon + height * 0.30, (238, 201, 143), ((60, 2100, 1.3), (22, 800, 5.0))),
    )
    for base, colour, waves in layers:
        crest = _dune_line(width, base, waves)
        draw.polygon([*crest, (width, height), (0, height)], fill=colour)
        # A darker band under each crest reads as the shaded lee side of the dune.
        shade = [(x, y + 14 * _SCALE) for x, y in crest]
        draw.line(shade, fill=_blend(colour, (150, 110, 70), 0.25), width=10 * _SCALE)
    for row in range(14):
        # Wind ripples on the foreground sand.
        y = height * 0.83 + row * 22 * _SCALE
        ripple = _dune_line(width, y, ((4 * _SCALE, 260 + row * 17, row * 0.9),))
        draw.line(ripple, fill=(222, 182, 126), width=2 * _SCALE)


def _draw_vehicle(draw: ImageDraw.ImageDraw, x: int, ground: int, size: float, facing: int) -> None:
    """A wheeled armoured car in silhouette: hull, turret, gun barrel and tyres."""

    def at(dx: float, dy: float) -> tuple[float, float]:
        return x + dx * size * facing, ground + dy * size

    draw.ellipse([*at(-150, -6), *at(150, 14)] if facing > 0 else [*at(150, -6), *at(-150, 14)], fill=(176, 138, 92))
    hull = [at(-140, -40), at(-120, -85), at(95, -85), at(140, -50), at(140, -25), at(-140, -25)]
    draw.polygon(hull, fill=_HULL)
    draw.polygon([at(-140, -40), at(140, -40), at(140, -25), at(-140, -25)], fill=_HULL_SHADE)
    draw.polygon([at(-50, -85), at(-40, -120), at(45, -120), at(60, -85)], fill=_HULL_SHADE)
    draw.line([at(50, -105), at(185, -112)], fill=_HULL_SHADE, width=max(2, round(9 * size)))
    for wheel in (-105, -55, 45, 95):
        cx, cy = at(wheel, -20)
        radius = 22 * size
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=_TYRE)
        draw.ellipse([cx - radius / 2.5, cy - radius / 2.5, cx + radius / 2.5, cy + radius / 2.5], fill=_HULL_SHADE)


def _draw_flag(
    draw: ImageDraw.ImageDraw,
    x: int,
    ground: int,
    scale: float,
    colours: tuple[tuple[int, int, int], ...],
    *,
    vertical: bool,
) -> None:
    """A flag on a pole, in three stripes, with a slight wave along its length."""
    pole_top = ground - 330 * scale
    draw.rectangle([x - 3 * scale, pole_top, x + 3 * scale, ground], fill=_POLE)
    flag_width, flag_height = 150 * scale, 100 * scale
    strips = 30
    for index in range(strips):
        left = x + 3 * scale + flag_width * index / strips
        right = x + 3 * scale + flag_width * (index + 1) / strips + 1
        sag = 8 * scale * math.sin(index / strips * math.pi * 1.5)
        top = pole_top + 6 * scale + sag
        for stripe, colour in enumerate(colours):
            if vertical:
                if index * len(colours) // strips != stripe:
                    continue
                draw.rectangle([left, top, right, top + flag_height], fill=colour)
            else:
                band_top = top + flag_height * stripe / len(colours)
                draw.rectangle([left, band_top, right, band_top + flag_height / len(colours)], fill=colour)
