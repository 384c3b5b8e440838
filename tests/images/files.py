"""Real image files made in memory, so tests need no fixtures on disk, and a look at what storage holds.

Every file here is made by Pillow the way a camera, a phone or an editor's export would make it,
including the awkward kinds: GPS-tagged and rotated JPEGs, CMYK, 16-bit, animations and bombs.
"""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

# Where a source was standing: Gao, Mali. None of it may reach a stored file.
GPS_LATITUDE = (16.0, 16.0, 12.5)
GPS_LONGITUDE = (0.0, 2.0, 40.0)
CAMERA_MODEL = "EOS R5 serial 0312847"
RED = (220, 20, 30)


def image_bytes(
    size: tuple[int, int] = (1200, 675), fmt: str = "PNG", mode: str = "RGB", colour: object = (200, 120, 40), **save
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def image_upload(name: str = "photo.png", size: tuple[int, int] = (1200, 675), fmt: str = "PNG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size, fmt), content_type=f"image/{fmt.lower()}")


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """Any bytes, under any name and declared type: the checks must look only at the bytes."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo_with_secrets(size: tuple[int, int] = (1000, 800)) -> bytes:
    """A camera JPEG stored on its side (EXIF orientation 6: turn 90° clockwise to view), carrying a GPS
    position, the camera's model, an XMP packet and a comment. A red square marks the stored pixels'
    top-left corner, which an upright picture shows at its top right."""
    picture = Image.new("RGB", size, (40, 90, 160))
    picture.paste(RED, (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = GPS_LONGITUDE
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>16,16.2N</exif:GPSLatitude></x:xmpmeta>'
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, xmp=xmp, comment=b"Source: J. Doe, near the airport")
    return buffer.getvalue()


def animated_gif(size: tuple[int, int] = (900, 500)) -> bytes:
    frames = [Image.new("P", size, index) for index in (10, 90, 200)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def animated_webp(size: tuple[int, int] = (900, 500)) -> bytes:
    frames = [Image.new("RGB", size, colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def sixteen_bit_png(size: tuple[int, int] = (900, 500), value: int = 32768) -> bytes:
    """Greyscale at 16 bits per pixel, as scanners and raw converters export; 32768 is mid-grey."""
    return image_bytes(size, "PNG", mode="I;16", colour=value)


def decompression_bomb(side: int = 8000) -> bytes:
    """A one-colour PNG of side × side pixels: 64 megapixels in a few kilobytes."""
    return image_bytes((side, side), "PNG", mode="1", colour=0)


def stored_names() -> list[str]:
    """Every file in default storage, through the storage API, sorted."""

    def walk(folder: str) -> list[str]:
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:  # the media folder on disk before anything was stored; a bucket has no folders
            return []
        names = [f"{folder}/{name}".lstrip("/") for name in files]
        for child in folders:
            names.extend(walk(f"{folder}/{child}".lstrip("/")))
        return names

    return sorted(walk(""))


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def open_stored(name: str) -> Image.Image:
    """A stored file decoded, as a reader's browser would get it."""
    picture = Image.open(io.BytesIO(stored_bytes(name)))
    picture.load()
    return picture
