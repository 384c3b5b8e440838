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

HERO_IMAGE = ImageSpec(
    label="a hero image",
    min_width_setting="IMAGE_HERO_MIN_WIDTH",
    min_height_setting="IMAGE_HERO_MIN_HEIGHT",
    crops=(Crop("full", None, "IMAGE_WIDTHS"), Crop("card", (16, 9), "IMAGE_WIDTHS", CARD_MAX_WIDTH)),
)
AUTHOR_PHOTO = ImageSpec(
    label="an author photo",
    min_width_setting="IMAGE_PHOTO_MIN_SIZE",
    min_height_setting="IMAGE_PHOTO_MIN_SIZE",
    crops=(Crop("square", (1, 1), "IMAGE_PHOTO_WIDTHS"),),
)
