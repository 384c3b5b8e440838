"""Renditions: the resized, re-encoded copies readers are served, made once when an image is stored.

An image field keeps, in a JSON column on its own row, the names and sizes of its renditions:

    {"source": "articles/2026/11/bridge.jpg", "spec": "<key>",
     "crops": {"full": [{"width": 480, "height": 270, "files": {"webp": "renditions/...", "jpeg": "..."}}, ...],
               "card": [...]}}

so a page builds its <picture> markup from the row it already loaded: no query, no storage call and
no decoding per image per request. "spec" is a digest of everything that decides what is made
(widths, formats, encoder options, focal point); when it no longer matches, the renditions are
stale and are made again. File names carry a digest of the source bytes and that key, so a
rendition's URL never serves different pixels and can be cached for ever.
"""

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.functional import LazyObject, empty
from PIL import Image

from images.specs import Crop, ImageSpec


@dataclass(frozen=True)
class Encoder:
    pillow_format: str
    extension: str
    mime_type: str
    options: dict


# JPEG 82 is the quality WordPress settled on for its resized images; WebP 80 is Pillow's default and
# looks alike at a smaller size; AVIF 60 matches them at smaller still. Progressive JPEGs draw a
# rough picture early on slow connections.
ENCODERS: dict[str, Encoder] = {
    "avif": Encoder("AVIF", "avif", "image/avif", {"quality": 60, "speed": 6}),
    "webp": Encoder("WEBP", "webp", "image/webp", {"quality": 80, "method": 4}),
    "jpeg": Encoder("JPEG", "jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
# <source> order: the browser takes the first type it supports, so the smallest files come first.
SOURCE_ORDER = ("avif", "webp")
# Bumped when this module changes what it makes, so `make_renditions` knows every set is stale.
RENDITIONS_VERSION = 1
# The <img src> for browsers that ignore srcset: a size that suits a phone and a laptop alike.
FALLBACK_MAX_WIDTH = 800
# Background shown through transparent pixels in a JPEG, which has no transparency.
_JPEG_BACKGROUND = (255, 255, 255)


def formats(crop: Crop | None = None) -> list[str]:
    """The rendition formats from settings, JPEG always among them (the <img> fallback); for a crop limited
    to some formats, those of them."""
    names = [name for name in settings.IMAGE_FORMATS if name in ENCODERS]
    if crop is not None and crop.only_formats is not None:
        names = [name for name in names if name in crop.only_formats] or ["jpeg"]
    return names


def spec_key(spec: ImageSpec, focus: tuple[float, float]) -> str:
    """A digest of everything that decides what the renditions of one image look like."""
    recipe = {
        "version": RENDITIONS_VERSION,
        # Formats are listed only for a crop limited to some, so the keys of existing renditions stand.
        "crops": [
            (crop.name, crop.aspect, crop.widths(), *([formats(crop)] if crop.only_formats else []))
            for crop in spec.crops
        ],
        "formats": {name: ENCODERS[name].options for name in formats()},
        # The focal point moves only cropped shapes; a spec with none ignores it.
        "focus": focus if any(crop.aspect for crop in spec.crops) else None,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def crop_box(size: tuple[int, int], aspect: tuple[int, int] | None, focus: tuple[float, float]) -> tuple[int, ...]:
    """The largest box of this aspect ratio inside the picture, centred on the focal point as far as
    the edges allow. `focus` is (x, y) as fractions of the width and height, (0.5, 0.5) the centre."""
    width, height = size
    if aspect is None:
        return (0, 0, width, height)
    ratio_w, ratio_h = aspect
    if width * ratio_h > height * ratio_w:  # wider than the shape: trim the sides
        box_w, box_h = max(1, round(height * ratio_w / ratio_h)), height
    else:  # taller: trim top and bottom
        box_w, box_h = width, max(1, round(width * ratio_h / ratio_w))
    left = min(max(round(focus[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus[1] * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def rendition_sizes(size: tuple[int, int], widths: list[int]) -> list[tuple[int, int]]:
    """Width and height of each rendition of a picture this size: every configured width it can fill
    without being enlarged, plus the picture's own width when that is between two of them (a 1000
    pixel picture gets 480, 800 and 1000, not a blurry 1200)."""
    width, height = size
    chosen = sorted({w for w in widths if w < width} | {min(width, max(widths))})
    return [(w, max(1, round(w * height / width))) for w in chosen]


def encode(picture: Image.Image, name: str) -> bytes:
    """One rendition's bytes in the named format, with no metadata (none is passed to the encoder)."""
    encoder = ENCODERS[name]
    if picture.mode == "RGBA" and encoder.pillow_format == "JPEG":
        flat = Image.new("RGB", picture.size, _JPEG_BACKGROUND)
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    output = io.BytesIO()
    picture.save(output, format=encoder.pillow_format, **encoder.options)
    return output.getvalue()


def rendition_folder(source_name: str, source_bytes: bytes, key: str) -> str:
    """Where one image's renditions go: beside nothing else, named for its bytes and recipe."""
    digest = hashlib.sha256(source_bytes + key.encode()).hexdigest()[:10]
    return f"renditions/{PurePosixPath(source_name).with_suffix('')}-{digest}"


def make_renditions(
    picture: Image.Image,
    *,
    spec: ImageSpec,
    focus: tuple[float, float],
    storage: Storage,
    folder: str,
    made: list[str],
) -> dict:
    """Make and store every rendition of a clean picture; returns the "crops" part of the JSON.

    Each stored name is appended to `made` as soon as it exists, so a caller can delete them all if
    anything later fails.
    """
    crops: dict[str, list[dict]] = {}
    # A 16:9 hero's card crop is the whole picture: its renditions are the full ones, stored once.
    done: dict[tuple, dict[str, str]] = {}
    for crop in spec.crops:
        box = crop_box(picture.size, crop.aspect, focus)
        region = picture if box == (0, 0, *picture.size) else picture.crop(box)
        entries = []
        for width, height in rendition_sizes(region.size, crop.widths()):
            files = done.get((box, width))
            if files is not None and not set(formats(crop)) <= set(files):
                files = None
            if files is None:
                # reducing_gap: a fast integer reduction first, then Lanczos; indistinguishable, and much
                # faster from a camera-sized picture.
                resized = region.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
                files = {}
                for name in formats(crop):
                    content = ContentFile(encode(resized, name))
                    stored = storage.save(f"{folder}/{crop.name}-{width}.{ENCODERS[name].extension}", content)
                    made.append(stored)
                    files[name] = stored
                done[(box, width)] = files
            entries.append({"width": width, "height": height, "files": files})
        crops[crop.name] = entries
    return crops


def rendition_files(renditions: dict | None) -> list[str]:
    """Every stored file name a renditions JSON value refers to, each once, the source excepted."""
    names: dict[str, None] = {}
    for entries in (renditions or {}).get("crops", {}).values():
        for entry in entries:
            names.update(dict.fromkeys(entry.get("files", {}).values()))
    return list(names)


def delete_files(storage: Storage, names: Iterable[str]) -> None:
    """Delete stored files; one already gone is not an error (a second cleanup, or a manual one)."""
    for name in names:
        if name:
            storage.delete(name)


@dataclass(frozen=True)
class Source:
    type: str
    srcset: str


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs, built from a renditions JSON value alone."""

    sources: tuple[Source, ...]
    src: str
    srcset: str
    width: int
    height: int

    @classmethod
    def from_renditions(cls, renditions: dict | None, crop: str, storage: Storage) -> "Picture | None":
        """The picture of one crop, or None when it has no renditions (never the unprocessed original)."""
        entries = [e for e in _entries(renditions, crop) if "jpeg" in e["files"]]
        if not entries:
            return None

        def srcset(name: str) -> str:
            return ", ".join(f"{file_url(storage, e['files'][name])} {e['width']}w" for e in entries)

        sources = tuple(
            Source(ENCODERS[name].mime_type, srcset(name))
            for name in SOURCE_ORDER
            if all(name in e["files"] for e in entries)
        )
        fallback = next((e for e in reversed(entries) if e["width"] <= FALLBACK_MAX_WIDTH), entries[0])
        # The largest rendition's size gives the picture's shape, which is all width and height are
        # for: the browser reserves the space before the file arrives, so nothing moves.
        largest = entries[-1]
        return cls(
            sources=sources,
            src=file_url(storage, fallback["files"]["jpeg"]),
            srcset=srcset("jpeg"),
            width=largest["width"],
            height=largest["height"],
        )


def file_url(storage: Storage, name: str) -> str:
    """`storage.url(name)`; for files on this server's disk, remembered per process.

    A card's picture names about ten files, and the article page some forty: FileSystemStorage's url() (a
    quote and a urljoin each) was about 5% of the page's processor time (docs/performance.md). Its answer
    depends only on the storage's base address and the name, which make the key. Other storages (object
    storage, whose addresses may be signed and expire) are asked every time.
    """
    target = storage
    if isinstance(storage, LazyObject):  # default_storage, set up on first use
        if storage._wrapped is empty:
            storage._setup()
        target = storage._wrapped
    if type(target).url is FileSystemStorage.url:
        return _disk_url(target.base_url, name)
    return storage.url(name)


# Rendition files of some thousands of stories; an entry is two short strings.
DISK_URLS_KEPT = 50_000


@lru_cache(maxsize=DISK_URLS_KEPT)
def _disk_url(base_url: str, name: str) -> str:
    return FileSystemStorage(base_url=base_url).url(name)


def nearest_rendition(
    renditions: dict | None, crop: str, storage: Storage, *, width: int, format_name: str = "jpeg"
) -> Rendition | None:
    """The rendition closest to a width, for places that take one file (a link preview's og:image)."""
    entries = [e for e in _entries(renditions, crop) if format_name in e["files"]]
    if not entries:
        return None
    entry = min(entries, key=lambda e: abs(e["width"] - width))
    return Rendition(file_url(storage, entry["files"][format_name]), entry["width"], entry["height"])


def _entries(renditions: dict | None, crop: str) -> list[dict]:
    return list((renditions or {}).get("crops", {}).get(crop) or [])
