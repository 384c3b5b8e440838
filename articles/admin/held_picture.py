"""A picture chosen in an article form that was then refused for another reason, held until the form saves.

A browser never sends a file input's choice again, so without this the editor's picture would be dropped
silently by every refused save. The clean copy that images.uploads.accept_image made of the upload (never
the upload itself) is written to default storage under HELD_PREFIX, and the form carries a signed
reference to it in a hidden field: a reference the server did not sign, or one older than HOLD_SECONDS,
is ignored, and the file is decoded again before it is used, so nothing unsafe gets in this way.
Held files are removed when the form saves, and any left behind (the editor gave up) once they are
older than HOLD_SECONDS, whenever another picture is held.
"""

import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django.core import signing
from django.core.files.storage import default_storage
from django.utils import timezone

from images.uploads import ImageRefused, NormalizedImage, decode
from newsroom.media import PRIVATE_FOLDER

# In the media folder that is never served to readers (newsroom/media.py).
HELD_PREFIX = f"{PRIVATE_FOLDER}/held-pictures"
# A working day: long enough for an editor to come back to an open form, short enough that storage
# does not fill with abandoned pictures.
HOLD_SECONDS = 24 * 60 * 60
_SALT = "articles.admin.held_picture"


def hold_picture(picture: NormalizedImage) -> str:
    """Store the clean copy for a later submit of the same form; the signed reference to post back."""
    _remove_expired()
    stored = default_storage.save(f"{HELD_PREFIX}/{secrets.token_hex(16)}-{picture.name}", picture)
    return signing.dumps(stored, salt=_SALT)


def held_picture(reference: str | None) -> NormalizedImage | None:
    """The picture a signed reference holds, ready to save like a fresh upload; None if there is none."""
    name = _held_name(reference)
    if name is None or not default_storage.exists(name):
        return None
    with default_storage.open(name) as held:
        content = held.read()
    try:
        size = decode(content, check_size=False).size
    except ImageRefused:
        return None
    # The random part of the stored name is only for storage; the article's file keeps the clean name.
    picture = NormalizedImage(content, PurePosixPath(name).name.split("-", 1)[1], size)
    picture.held_reference = reference
    return picture


def release_picture(reference: str | None) -> None:
    """Delete a held picture once it is no longer needed (the article is saved with it, or without)."""
    name = _held_name(reference)
    if name is not None:
        default_storage.delete(name)


def _held_name(reference: str | None) -> str | None:
    if not reference:
        return None
    try:
        name = signing.loads(reference, salt=_SALT, max_age=HOLD_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or not name.startswith(f"{HELD_PREFIX}/") or ".." in name:
        return None
    return name


def _remove_expired() -> None:
    try:
        _folders, files = default_storage.listdir(HELD_PREFIX)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - timedelta(seconds=HOLD_SECONDS)
    for file_name in files:
        name = f"{HELD_PREFIX}/{file_name}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
