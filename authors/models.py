"""The people on a byline."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from images.fields import PictureField
from images.renditions import Picture
from images.services import pictures_kept_current
from images.specs import AUTHOR_PHOTO
from newsroom.paths import path_for
from newsroom.text import clean_line, clean_lines


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, help_text="Part of the author page's address.")
    job_title = models.CharField(max_length=120, blank=True, help_text="For example: Africa correspondent.")
    bio = models.TextField(blank=True, help_text="Plain text, shown under the byline and on the author page.")
    photo = PictureField(
        upload_to="authors/%Y/",
        blank=True,
        spec=AUTHOR_PHOTO,
        # Adds photo_width, photo_height, photo_renditions, photo_focus_x and photo_focus_y (images/fields.py).
        columns="photo",
        focus_help=(
            "Where the face is, in % of the width from the left edge (0 to 100). Empty: the middle.",
            "In % of the height from the top edge. Empty: the middle. The photo is cropped square around it.",
        ),
        help_text="Location, camera details and all other metadata are removed before it is stored.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff login that writes under this byline, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with pictures_kept_current(self, "photo", update_fields=kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_for("authors:detail", slug=self.slug)

    def clean(self) -> None:
        super().clean()
        # A byline is read as an identity: no invisible character may make one name look like another.
        typed, self.name, self.job_title = self.name, clean_line(self.name), clean_line(self.job_title)
        self.bio = clean_lines(self.bio)
        if typed and not self.name:  # an empty one has its "required" error already
            raise ValidationError({"name": "Write a name: this one is made only of invisible characters."})

    @property
    def photo_picture(self) -> Picture | None:
        """The photo cropped square around its focal point; None until it has renditions."""
        return Picture.from_renditions(self.photo_renditions, "square", self.photo.storage)
