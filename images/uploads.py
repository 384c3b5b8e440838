"""What an image must be before it is stored, and the clean copy that is stored in its place.

Every way an image arrives (the admin's forms, the importer, a model saved from code) passes through
`accept_image`. A file is judged by decoding it with Pillow, never by its name or declared content
type. What is kept is re-encoded from the decoded pixels: orientation applied, colours in sRGB, eight
bits per channel and no metadata at all, so a source's GPS position, a camera's serial number or a
script appended after the image data cannot reach readers.
"""

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

# Pillow's names for the formats every current browser shows. Pillow reads a JPEG carrying a second
# embedded picture (phones add depth maps that way) as "MPO"; its first picture is an ordinary JPEG.
_ALWAYS_ACCEPTED = ("JPEG", "PNG", "GIF", "WEBP")
_MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp", "AVIF": "image/avif"}
_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP", "AVIF": "AVIF"}

# The clean copy keeps enough quality that renditions made from it show no second generation of
# artefacts; 4:4:4 keeps the colour detail the source had (Pillow's default halves it).
MASTER_JPEG_OPTIONS = {"quality": 90, "subsampling": 0}
# What Pillow itself writes into a JPEG or PNG it saved with no metadata; anything else in a stored
# file's info (exif, xmp, icc_profile, comment, text chunks...) means it still needs cleaning.
_CLEAN_INFO_KEYS = frozenset({"jfif", "jfif_version", "jfif_unit", "jfif_density"})
_DAMAGED = (
    "The image is damaged or incomplete (perhaps cut short while copying). Export it again and upload the new file."
)


class ImageRefused(Exception):
    """The file cannot be a newsroom image. str() is one or two sentences meant for the editor."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class NormalizedImage(ContentFile):
    """The clean copy of an accepted image, named for the format it really is."""

    def __init__(self, content: bytes, name: str, size: tuple[int, int]) -> None:
        super().__init__(content, name=name)
        # Kept so renditions are made from these bytes without reading them back from storage.
        self.content = content
        self.width, self.height = size


def accepted_formats() -> tuple[str, ...]:
    """Pillow format names accepted for upload; AVIF only where this Pillow can decode it."""
    return _ALWAYS_ACCEPTED + (("AVIF",) if features.check("avif") else ())


def accepted_mime_types() -> str:
    """For the file input's accept attribute, so the editor's file picker offers the right files."""
    return ",".join(_MIME_TYPES[name] for name in accepted_formats())


def accepted_label() -> str:
    """The accepted formats as editors know them ("JPEG, PNG, GIF, WebP or AVIF"), for messages and help text."""
    labels = [_LABELS[name] for name in accepted_formats()]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def megabytes(size: int) -> str:
    """20000000 -> "20 MB", for messages."""
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def check_file_size(size: int) -> None:
    """Refuse an empty or oversized file before any of it is read."""
    if size == 0:
        raise ImageRefused("The image file is empty.", "empty")
    if size > settings.IMAGE_MAX_BYTES:
        raise ImageRefused(
            f"The image file is {megabytes(size)}; the limit is {megabytes(settings.IMAGE_MAX_BYTES)}."
            " Export it at a smaller size and upload it again.",
            "too_large",
        )


def _too_many_pixels(width: int, height: int) -> ImageRefused:
    limit = settings.IMAGE_MAX_PIXELS
    return ImageRefused(
        f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); the limit is"
        f" {limit / 1e6:g} megapixels. Scale it down and upload it again.",
        "too_many_pixels",
    )


def decode(data: bytes, *, check_size: bool = True) -> Image.Image:
    """The bytes decoded to pixels, or ImageRefused saying why they are not an acceptable image.

    The pixel count is checked from the header, before anything is decoded, so a small file that
    claims a huge canvas costs nothing. Pillow's own bomb check (a warning, then an error at twice
    its limit) reads a module-wide limit of about 89 megapixels, which would refuse a picture the
    setting allows; it is given the setting's value, its warning left to the header check just
    after it. `check_size` False is for files already stored, whose clean copy may be larger than
    the upload was.
    """
    if check_size:
        check_file_size(len(data))
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=accepted_formats()) as probe:
                width, height = probe.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise _too_many_pixels(width, height)
                # Checks what it can without decoding: PNG chunk checksums, for one.
                probe.verify()
            picture = Image.open(io.BytesIO(data), formats=accepted_formats())
            if getattr(picture, "n_frames", 1) > 1 and picture.format != "MPO":
                raise ImageRefused(
                    "Animated images are not accepted: upload a still picture. (The first frame of an"
                    " animation is often blank or a fade-in, so none is picked for you.)",
                    "animated",
                )
            picture.load()
        except ImageRefused:
            raise
        except Image.DecompressionBombError as exc:
            raise ImageRefused(
                f"The image has more pixels than the limit of {settings.IMAGE_MAX_PIXELS / 1e6:g} megapixels."
                " Scale it down and upload it again.",
                "too_many_pixels",
            ) from exc
        except UnidentifiedImageError as exc:
            if b"<svg" in data[:2048].lower():
                raise ImageRefused(
                    "SVG drawings are not accepted, because they can carry scripts. Export it as PNG or JPEG.", "svg"
                ) from exc
            raise ImageRefused(
                f"The file is not an image in a format browsers show ({accepted_label()}), whatever its name says.",
                "not_image",
            ) from exc
        except Exception as exc:
            # Each decoder raises whatever its C library reports on damaged or hostile input (OSError,
            # SyntaxError, struct.error, RuntimeError from libavif...); any of them means the file
            # cannot be used, and an editor's upload must get a message, never a server error.
            raise ImageRefused(_DAMAGED, "damaged") from exc
    return picture


def _to_srgb(picture: Image.Image, mode: str) -> Image.Image | None:
    """Colours converted from the embedded ICC profile to sRGB, which is what browsers assume for an
    untagged image; None when there is no profile or LittleCMS cannot use it."""
    icc = picture.info.get("icc_profile")
    if not icc:
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(picture, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def _has_transparency(picture: Image.Image) -> bool:
    if picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info:
        return picture.convert("RGBA").getchannel("A").getextrema()[0] < 255
    return False


def normalize(picture: Image.Image) -> Image.Image:
    """Upright, 8-bit sRGB pixels (RGB, or RGBA when some are see-through) with no metadata attached."""
    picture = ImageOps.exif_transpose(picture)
    mode = "RGBA" if _has_transparency(picture) else "RGB"
    if picture.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: a plain conversion clips everything above 255 to white, so scale first.
        picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    converted = _to_srgb(picture, mode) if picture.mode in ("RGB", "RGBA", "CMYK") else None
    picture = converted if converted is not None else picture.convert(mode)
    # The info dict is where Pillow keeps EXIF, XMP, the ICC profile and comments, and where some
    # encoders look for them when saving; a fresh dict means none is written.
    picture.info = {}
    return picture


def encode_master(picture: Image.Image, *, lossless: bool) -> tuple[bytes, str]:
    """The clean copy's bytes and extension: PNG for a lossless source (a chart or map keeps its sharp
    edges) or one with transparency, JPEG for a photo."""
    output = io.BytesIO()
    if lossless or picture.mode == "RGBA":
        # Default compression: optimize=True took 16 s for a 6-megapixel photo saved as PNG, while
        # the editor waits, to save 15% of a file readers never download.
        picture.save(output, format="PNG")
        return output.getvalue(), "png"
    picture.save(output, format="JPEG", **MASTER_JPEG_OPTIONS)
    return output.getvalue(), "jpg"


def is_lossless(picture: Image.Image) -> bool:
    """True for a decoded file whose format loses nothing, so its clean copy should not either."""
    return picture.format in ("PNG", "GIF")


def is_clean(picture: Image.Image) -> bool:
    """True for a decoded file that is already what accept_image stores, so it can be used as it is."""
    return (
        (picture.format, picture.mode) in {("JPEG", "RGB"), ("PNG", "RGB"), ("PNG", "RGBA")}
        and set(picture.info) <= _CLEAN_INFO_KEYS
        and not picture.getexif()
    )


def clean_name(name: str, extension: str) -> str:
    """A storage-safe file name from the uploaded one, with the extension of the format it really is."""
    return f"{slugify(PurePath(name).stem)[:60].strip('-') or 'image'}.{extension}"


def clean_copy(picture: Image.Image) -> tuple[Image.Image, bytes, str]:
    """Normalize a decoded picture and encode what is stored: (pixels, bytes, extension)."""
    lossless = is_lossless(picture)
    try:
        picture = normalize(picture)
        content, extension = encode_master(picture, lossless=lossless)
    except Exception as exc:
        # EXIF that claims an impossible orientation, a profile LittleCMS rejects halfway: as in
        # decode(), a failure on the file's own data means it cannot be used.
        raise ImageRefused(_DAMAGED, "damaged") from exc
    return picture, content, extension


def accept_image(data: bytes, *, name: str, min_size: tuple[int, int], label: str) -> NormalizedImage:
    """The clean copy of an uploaded image, or ImageRefused saying why it cannot be stored.

    `min_size` is checked on the upright picture, so a portrait photo stored on its side by the
    camera is measured as readers will see it; `label` ("a hero image") names it in that refusal.
    """
    picture, content, extension = clean_copy(decode(data))
    width, height = picture.size
    min_width, min_height = min_size
    if width < min_width or height < min_height:
        raise ImageRefused(
            f"The image is {width} × {height} pixels; {label} needs at least {min_width} × {min_height}.",
            "too_small",
        )
    return NormalizedImage(content, clean_name(name, extension), picture.size)
