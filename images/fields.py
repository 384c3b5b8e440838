"""The model and form fields for an image that readers see: safe uploads, a clean copy, renditions."""

import copy

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator
from django.db import models

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

    `columns="hero"` declares its sibling columns on the model, named from that prefix: hero_width and
    hero_height (ImageField's width_field and height_field), hero_renditions (the JSON the save writes and
    every page reads, see images/renditions.py) and hero_focus_x, hero_focus_y (the focal point editors
    set, with `focus_help` as their help texts). The model's save() runs
    `images.services.pictures_kept_current`; deleting a row deletes its files after commit (connected in
    images/apps.py). The spec and prefix are behaviour, not schema, so migrations leave them out and
    declare the sibling columns themselves; a field rebuilt by a migration (which has neither) does
    nothing beyond a plain ImageField.
    """

    def __init__(
        self,
        *args,
        spec: ImageSpec | None = None,
        columns: str | None = None,
        focus_help: tuple[str, str] = ("", ""),
        **kwargs,
    ) -> None:
        self.spec = spec
        self.renditions_field: str | None = None
        self.focus_fields: tuple[str, str] | None = None
        self.columns: dict[str, models.Field] = {}
        if columns:
            kwargs.update(width_field=f"{columns}_width", height_field=f"{columns}_height")
            self.renditions_field = f"{columns}_renditions"
            self.focus_fields = (f"{columns}_focus_x", f"{columns}_focus_y")
        super().__init__(*args, **kwargs)
        if columns:
            # Made after super().__init__(), so their creation order puts them right after this field, where
            # the models declared them by hand before: forms and the admin list fields in that order.
            self.columns = {
                self.width_field: models.PositiveIntegerField(null=True, blank=True, editable=False),
                self.height_field: models.PositiveIntegerField(null=True, blank=True, editable=False),
                self.renditions_field: models.JSONField(default=dict, blank=True, editable=False),
                self.focus_fields[0]: _focus_field("focal point across", focus_help[0]),
                self.focus_fields[1]: _focus_field("focal point down", focus_help[1]),
            }

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            for column_name, column in self.columns.items():
                # A copy each time: an abstract model's field is copied into every model made from it,
                # and one Field instance cannot belong to two models.
                cls.add_to_class(column_name, copy.deepcopy(column))

    def formfield(self, **kwargs) -> forms.Field:
        if self.spec is None:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": PictureFormField, "spec": self.spec, **kwargs})


def _focus_field(verbose_name: str, help_text: str) -> models.PositiveSmallIntegerField:
    """One coordinate of the focal point, in % of the image's width or height; empty means the middle."""
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, validators=[MaxValueValidator(100)], help_text=help_text
    )


def picture_fields() -> list[tuple[type[models.Model], PictureField]]:
    """Every installed model's picture fields that keep renditions, in app order."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, PictureField) and field.renditions_field
    ]
