"""Media in an S3-compatible bucket (NEWSROOM_MEDIA_STORAGE=s3): django-storages' backend, with each
object written carrying the cache rules readers' browsers and the CDN should follow.

Only loaded when settings name it, so a site on the local disk never imports boto3.
"""

from storages.backends.s3 import S3Storage

from newsroom.media import cache_control


class MediaBucketStorage(S3Storage):
    """The site's uploads and renditions in a bucket, served at public, unsigned addresses.

    The options that make it right for a newsroom (public URLs from the media host, no overwriting of
    a file with the same name, no ACLs: the bucket's policy decides what is public) are set in
    newsroom/settings.py, where the environment is read.
    """

    def get_object_parameters(self, name: str) -> dict:
        # A rendition's address never serves other bytes, so the CDN and browsers keep it for a year;
        # S3 hands this header back with every GET, as the disk route does for files on one machine.
        return {"CacheControl": cache_control(name), **super().get_object_parameters(name)}
