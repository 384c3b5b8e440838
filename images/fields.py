"""The model and form fields for an image that readers see: safe uploads, a clean copy, renditions."""

from functools import partial

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.signals import post_delete

from images.services import delete_files_with_row
from images.specs import ImageSpec
from images.uploads import (
    ImageRefused,
    NormalizedImage,
    accept_image,
    accepted_label,
    accepted_mime_types,
    check_file_size,
    megabytes,
)


class PictureFormField(forms.FileField):
    """A file input that lets through only what `accept_image` accepts, and hands on its clean copy,
    so a refused file is reported on the form and nothing reaches storage."""

    default_error_messages = {"empty": "The image file is empty."}

    def __init__(self, *, spec: ImageSpec, help_text: str = "", **kwargs) -> None:
        self.spec = spec
        super().__init__(**kwargs)
        # Built here rather than on the model field, so the limits shown follow the settings.
        min_width, min_height = spec.min_size()
        limits = (
            f"{accepted_label()} (not animated), at least {min_width} × {min_height} pixels,"
            f" at most {megabytes(settings.IMAGE_MAX_BYTES)}."
        )
        self.help_text = f"{limits} {help_text}".strip()

    def to_python(self, data: UploadedFile | None) -> NormalizedImage | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            check_file_size(upload.size)  # before a byte of an oversized upload is read into memory
            upload.seek(0)
            return accept_image(upload.read(), name=upload.name, min_size=self.spec.min_size(), label=self.spec.label)
        except ImageRefused as exc:
            raise ValidationError(str(exc), code=exc.code) from exc

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = accepted_mime_types()
        return attrs


class PictureField(models.ImageField):
    """An ImageField that stores only the clean copy of an accepted image and keeps renditions of it.

    Like `width_field` and `height_field`, it names sibling fields on the same model: the JSON field
    that lists the renditions and the two focal-point fields. The model's save() runs
    `images.services.pictures_kept_current`; deleting a row deletes its files after commit. The spec
    and sibling names are behaviour, not schema, so migrations leave them out, and a field rebuilt by
    a migration (which has none) does nothing beyond a plain ImageField.
    """

    def __init__(
        self,
        *args,
        spec: ImageSpec | None = None,
        renditions_field: str | None = None,
        focus_fields: tuple[str, str] | None = None,
        **kwargs,
    ) -> None:
        self.spec = spec
        self.renditions_field = renditions_field
        self.focus_fields = focus_fields
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if self.renditions_field and not cls._meta.abstract:
            # A queryset delete (the admin's bulk action) calls no delete() method but sends this signal.
            post_delete.connect(
                partial(delete_files_with_row, field_name=name),
                sender=cls,
                weak=False,
                dispatch_uid=f"picture-files:{cls._meta.label}.{name}",
            )

    def formfield(self, **kwargs) -> forms.Field:
        if self.spec is None:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": PictureFormField, "spec": self.spec, **kwargs})
