"""What the site says about itself: the publication's identity and the standing pages editors write."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from images.fields import PictureField
from images.renditions import Picture, Rendition, nearest_rendition
from images.services import pictures_kept_current
from images.specs import Crop, ImageSpec
from newsroom.sanitize import sanitize_html

# The header shows the logo 2.5rem (40 CSS pixels) tall; 80 pixels keeps it sharp on a 2x screen. A logo is
# often wide and short, so only the height has a real minimum.
LOGO = ImageSpec(
    label="a logo",
    min_width_setting="IMAGE_LOGO_MIN_WIDTH",
    min_height_setting="IMAGE_LOGO_MIN_HEIGHT",
    crops=(Crop("full", None, "IMAGE_LOGO_WIDTHS"),),
)
# Link previews (Facebook, LinkedIn, messaging apps) crop to 1.91:1 and ask for 1200 × 630 pixels.
SHARE_IMAGE_WIDTH = 1200
SHARE_IMAGE = ImageSpec(
    label="a share image",
    min_width_setting="IMAGE_SHARE_MIN_WIDTH",
    min_height_setting="IMAGE_SHARE_MIN_HEIGHT",
    crops=(Crop("share", (40, 21), "IMAGE_WIDTHS", SHARE_IMAGE_WIDTH),),
)
# The one row's key: a fixed primary key is what makes the record a singleton.
PUBLICATION_ID = 1

# BCP 47 as browsers and feed readers meet it: a language, then optional script, region or variant subtags
# ("en", "en-GB", "pt-BR", "zh-Hant-TW", "sr-Latn"). Private-use and extension subtags are not accepted.
language_tag = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$",
    "Use a language tag such as en, en-GB, fr or pt-BR.",
)
# X (Twitter) usernames: letters, digits and underscores, at most 15 characters.
x_handle = RegexValidator(r"^[A-Za-z0-9_]{1,15}$", "Use the username without @, e.g. newsroom (at most 15 characters).")
# Instagram usernames: letters, digits, full stops and underscores, at most 30 characters.
instagram_handle = RegexValidator(r"^[A-Za-z0-9._]{1,30}$", "Use the username without @, e.g. newsroom.")
# Bluesky handles are domain names: the default ones end in .bsky.social, a custom one is the site's own domain.
bluesky_handle = RegexValidator(
    r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$",
    "Use the handle without @, e.g. newsroom.bsky.social.",
)


def default_language() -> str:
    """The site's LANGUAGE_CODE, so a new install's pages keep the language they had before this record."""
    return settings.LANGUAGE_CODE


def _https_host(value: str) -> str:
    """The host of an https:// address with a dotted host name; empty for anything else."""
    match = re.match(r"^https://([^/:?#@]+\.[^/:?#@]+)(/|$)", value or "", re.IGNORECASE)
    return match.group(1).lower() if match else ""


def validate_https_url(value: str) -> None:
    """A profile address readers are sent to: https only, so the footer never links to plain http."""
    if not _https_host(value):
        raise ValidationError("Use an https:// address, e.g. https://mastodon.social/@newsroom.")


def validate_facebook_url(value: str) -> None:
    """A page on facebook.com (or a subdomain such as www. or m.), over https."""
    host = _https_host(value)
    if host != "facebook.com" and not host.endswith(".facebook.com"):
        raise ValidationError("Use the page's https:// address, e.g. https://www.facebook.com/newsroom.")


class Publication(models.Model):
    """The publication's name and face: one record, edited in the admin, read by every page's chrome,
    the feeds, the sitemaps and the structured data (newsroom/publication.py keeps it cached)."""

    name = models.CharField(max_length=80, default="Newsroom", help_text="As readers see it, e.g. The Daily Ledger.")
    tagline = models.CharField(
        max_length=160,
        blank=True,
        default="Independent news and analysis.",
        help_text="One line under the name; also the home page's description in search results (about 160 "
        "characters are shown).",
    )
    language = models.CharField(
        max_length=35,
        default=default_language,
        validators=[language_tag],
        help_text="The language the stories are written in, as a BCP 47 tag: en, en-GB, fr, pt-BR.",
    )
    logo = PictureField(
        upload_to="publication/",
        blank=True,
        spec=LOGO,
        # Adds logo_width, logo_height, logo_renditions, logo_focus_x and logo_focus_y (images/fields.py).
        columns="logo",
        help_text="Shown in the header instead of the name (which stays as its alt text). A wide logo on a "
        "transparent background works best; PNG keeps the transparency.",
    )
    share_image = PictureField(
        upload_to="publication/",
        blank=True,
        spec=SHARE_IMAGE,
        columns="share",
        focus_help=(
            "Where the subject is, in % of the width from the left edge (0 to 100). Empty: the middle.",
            "In % of the height from the top edge. Empty: the middle. Link previews crop to 1.91:1 around it.",
        ),
        help_text="What a link preview shows for pages without a picture of their own (the home page, a section, "
        "a story with no hero image).",
    )
    contact_email = models.EmailField(
        "contact address", blank=True, help_text="Shown in the footer, e.g. newsdesk@example.com."
    )
    x_handle = models.CharField(
        "X (Twitter) username", max_length=15, blank=True, validators=[x_handle], help_text="For example: newsroom."
    )
    facebook_url = models.URLField(
        "Facebook page",
        max_length=200,
        blank=True,
        validators=[validate_facebook_url],
        help_text="For example: https://www.facebook.com/newsroom.",
    )
    instagram_handle = models.CharField(
        "Instagram username",
        max_length=30,
        blank=True,
        validators=[instagram_handle],
        help_text="For example: newsroom.",
    )
    mastodon_url = models.URLField(
        "Mastodon profile",
        max_length=200,
        blank=True,
        validators=[validate_https_url],
        help_text="For example: https://mastodon.social/@newsroom.",
    )
    bluesky_handle = models.CharField(
        "Bluesky handle",
        max_length=253,
        blank=True,
        validators=[bluesky_handle],
        help_text="For example: newsroom.bsky.social.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "publication settings"
        verbose_name_plural = "publication settings"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Whatever the caller set, there is one row: a second save of a fresh instance overwrites it.
        self.pk = PUBLICATION_ID
        for handle in ("x_handle", "instagram_handle", "bluesky_handle"):
            setattr(self, handle, getattr(self, handle).strip().lstrip("@"))
        with pictures_kept_current(self, "logo", "share_image", update_fields=kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def clean_fields(self, exclude: list[str] | None = None) -> None:
        # Pasted handles often keep their @; it is taken off before the validators see it.
        for handle in ("x_handle", "instagram_handle", "bluesky_handle"):
            setattr(self, handle, getattr(self, handle).strip().lstrip("@"))
        super().clean_fields(exclude)

    @property
    def logo_picture(self) -> Picture | None:
        """The logo's renditions for the header; None until it has some."""
        return Picture.from_renditions(self.logo_renditions, "full", self.logo.storage)

    @property
    def logo_rendition(self) -> Rendition | None:
        """One JPEG of the logo, for structured data and feeds, which take a single file."""
        return nearest_rendition(self.logo_renditions, "full", self.logo.storage, width=600)

    @property
    def share_rendition(self) -> Rendition | None:
        """The default link-preview image (og:image), 1200 × 630 or the nearest made."""
        return nearest_rendition(self.share_renditions, "share", self.share_image.storage, width=SHARE_IMAGE_WIDTH)

    @property
    def og_locale(self) -> str:
        """The language as Open Graph writes it, language_TERRITORY: en-GB -> en_GB, pt-br -> pt_BR; a bare
        language (en) stays as it is, since guessing the territory would be wrong for most of the world."""
        parts = self.language.split("-")
        region = next((part for part in parts[1:] if len(part) == 2 and part.isalpha()), "")
        return f"{parts[0].lower()}_{region.upper()}" if region else parts[0].lower()

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(label, address) of each social account set, for the footer and structured data's sameAs."""
        links = [
            ("X", f"https://x.com/{self.x_handle}" if self.x_handle else ""),
            ("Facebook", self.facebook_url),
            ("Instagram", f"https://www.instagram.com/{self.instagram_handle}/" if self.instagram_handle else ""),
            ("Mastodon", self.mastodon_url),
            ("Bluesky", f"https://bsky.app/profile/{self.bluesky_handle}" if self.bluesky_handle else ""),
        ]
        return [(label, url) for label, url in links if url]


class Page(models.Model):
    """A standing page an editor writes (About, Ethics policy, Contact...), linked from every page's footer."""

    title = models.CharField(max_length=120, help_text="For example: Ethics policy.")
    slug = models.SlugField(max_length=120, unique=True, help_text="The page's address: /pages/<slug>/.")
    body = models.TextField(
        help_text="Paragraphs, subheadings, quotes, lists, links, bold and italic. Anything else is removed on save."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the footer; lower comes first.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Stored sanitized, as an article's body is: the editor sees exactly what readers get.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})
