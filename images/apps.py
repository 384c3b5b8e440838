from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import features


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self) -> None:
        # Checked here rather than in settings, which cannot import Pillow's plugins as cheaply:
        # a site configured for AVIF on a Pillow built without it would store no renditions at all.
        if "avif" in settings.IMAGE_FORMATS and not features.check("avif"):
            raise ImproperlyConfigured("NEWSROOM_IMAGE_FORMATS lists avif, but this Pillow cannot write AVIF.")
