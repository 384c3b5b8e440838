"""Uploads as readers get them: how long each kind of file may be cached, and serving them from the disk.

On one machine the uploads live on the local disk and the app serves them itself under MEDIA_URL (the
edge cache in front keeps them, so each file is read from disk about once). With object storage
(NEWSROOM_MEDIA_STORAGE=s3, see newsroom/storage.py) readers fetch them from the bucket or its CDN
instead, and the same cache rules travel with each object as it is written.
"""

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

# Renditions are named for a digest of their source's bytes and their recipe (images/renditions.py), so
# the bytes behind one of their addresses never change: browsers and CDNs may keep them for a year
# without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# Clean copies keep the editor's file name, which comes back once the file it named is deleted, so a
# cache may keep one for an hour only. Pages show renditions; the clean copy is the admin's fallback.
REUSABLE = "public, max-age=3600"
# Work files that are nobody's business but the form that made them (articles/admin/held_picture.py).
PRIVATE_FOLDER = "tmp"
# Only what the image pipeline stores is served: an HTML or SVG file that somehow reached the media
# folder must never be answered from the site's own origin, where it could run script.
SERVED_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})


def cache_control(name: str) -> str:
    """The Cache-Control header for a stored media file, by what kind of file its name says it is."""
    first = PurePosixPath(name).parts[:1]
    if first == ("renditions",):
        return IMMUTABLE
    if first == (PRIVATE_FOLDER,):
        return "private, no-store"
    return REUSABLE


@require_safe
def serve_media(request: HttpRequest, name: str) -> HttpResponse:
    """One stored image from the local disk, through the storage API, with its cache headers.

    404 for anything that is not a public image stored on this machine's disk: a name that climbs
    out of MEDIA_ROOT, a folder, a work file, another type, or media kept in object storage (whose
    addresses are the bucket's, never this route).
    """
    content_type, encoding = mimetypes.guess_type(name)
    if (
        not isinstance(storages["default"], FileSystemStorage)
        or content_type not in SERVED_TYPES
        or encoding
        or PurePosixPath(name).parts[:1] == (PRIVATE_FOLDER,)
    ):
        raise Http404("No such image.")
    try:
        modified = default_storage.get_modified_time(name)
        if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified.timestamp()):
            response: HttpResponse = HttpResponseNotModified()
        else:
            response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    except (SuspiciousFileOperation, OSError) as exc:
        # OSError covers a missing file and a folder alike; SuspiciousFileOperation a name like ../x.
        raise Http404("No such image.") from exc
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = cache_control(name)
    return response
