"""What each kind of image is for: the smallest picture accepted and the crops readers are shown.

Crop shapes follow the stylesheet (static/css/site.css): the article page shows the hero in its own
shape, story cards show a 16:9 frame, and author photos are round, so square.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Crop:
    """One shape of rendition. `aspect` None keeps the picture's own shape; otherwise the largest box
    of that ratio is cut from the picture, around its focal point."""

    name: str
    aspect: tuple[int, int] | None
    widths_setting: str
    max_width: int | None = None
    # Only these formats (of the configured ones); None makes every one. A crop no page draws in a
    # <picture>, only named as one file to a crawler, needs JPEG alone.
    only_formats: tuple[str, ...] | None = None
    # Made for search engines' structured data, not drawn on any page: the admin's preview outlines it
    # instead of shading what it cuts away.
    for_crawlers: bool = False

    def widths(self) -> list[int]:
        """The widths to make, from settings at call time, so a changed setting applies without a restart."""
        widths = getattr(settings, self.widths_setting)
        capped = [width for width in widths if self.max_width is None or width <= self.max_width]
        return capped or widths[:1]


@dataclass(frozen=True)
class ImageSpec:
    label: str  # names the image in refusals: "a hero image needs at least ..."
    min_width_setting: str
    min_height_setting: str
    crops: tuple[Crop, ...]

    def min_size(self) -> tuple[int, int]:
        return getattr(settings, self.min_width_setting), getattr(settings, self.min_height_setting)


# A card is widest (37.5rem, 600 CSS pixels) in the one-column layout just before the grid gets a
# second column; 1200 covers that on a 2x screen, and larger card renditions would never be chosen.
CARD_MAX_WIDTH = 1200

# Google asks an article's structured data for its picture in 16:9, 4:3 and 1:1, each at least 50,000 pixels
# (https://developers.google.com/search/docs/appearance/structured-data/article). The card crop is the 16:9
# one; the other two are made only for that, one JPEG each at IMAGE_STRUCTURED_DATA_WIDTHS.
STRUCTURED_DATA_CROPS = {(16, 9): "card", (4, 3): "4x3", (1, 1): "1x1"}

HERO_IMAGE = ImageSpec(
    label="a hero image",
    min_width_setting="IMAGE_HERO_MIN_WIDTH",
    min_height_setting="IMAGE_HERO_MIN_HEIGHT",
    crops=(
        Crop("full", None, "IMAGE_WIDTHS"),
        Crop("card", (16, 9), "IMAGE_WIDTHS", CARD_MAX_WIDTH),
        Crop("4x3", (4, 3), "IMAGE_STRUCTURED_DATA_WIDTHS", only_formats=("jpeg",), for_crawlers=True),
        Crop("1x1", (1, 1), "IMAGE_STRUCTURED_DATA_WIDTHS", only_formats=("jpeg",), for_crawlers=True),
    ),
)
AUTHOR_PHOTO = ImageSpec(
    label="an author photo",
    min_width_setting="IMAGE_PHOTO_MIN_SIZE",
    min_height_setting="IMAGE_PHOTO_MIN_SIZE",
    crops=(Crop("square", (1, 1), "IMAGE_PHOTO_WIDTHS"),),
)
