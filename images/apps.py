from functools import partial

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete
from PIL import features


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self) -> None:
        # Checked here rather than in settings, which cannot import Pillow's plugins as cheaply:
        # a site configured for AVIF on a Pillow built without it would store no renditions at all.
        if "avif" in settings.IMAGE_FORMATS and not features.check("avif"):
            raise ImproperlyConfigured("NEWSROOM_IMAGE_FORMATS lists avif, but this Pillow cannot write AVIF.")
        # Connected here, once every model is loaded, so images/fields.py need not import the services that
        # act on its fields. A queryset delete (the admin's bulk action) calls no delete() method but sends this.
        from images.fields import picture_fields
        from images.services import delete_files_with_row

        for model, field in picture_fields():
            post_delete.connect(
                partial(delete_files_with_row, field_name=field.name),
                sender=model,
                weak=False,
                dispatch_uid=f"picture-files:{model._meta.label}.{field.name}",
            )
