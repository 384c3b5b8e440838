"""Sections, articles and their bylines and tags."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from images.fields import PictureField
from images.renditions import Picture, Rendition, nearest_rendition
from images.services import pictures_kept_current
from images.specs import HERO_IMAGE
from newsroom.sanitize import sanitize_html

# Link previews (Facebook, LinkedIn, messaging apps) ask for an image about 1200 pixels wide.
SHARE_IMAGE_WIDTH = 1200


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=240, blank=True, help_text="One line, shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation bar; lower comes first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """A real foreign key to Article, so tag lookups join on an indexed integer column."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What a reader may see. Scheduling is decided here, at query time, not by a cron job,
        so a scheduled story appears on the first request after its time, on every server."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self) -> "ArticleQuerySet":
        """Everything a story card renders, in a fixed number of queries whatever the page size."""
        return self.select_related("section").prefetch_related(_bylines_prefetch(), "tags")

    def for_detail(self) -> "ArticleQuerySet":
        return self.for_listing()


def _bylines_prefetch() -> Prefetch:
    return Prefetch("bylines", queryset=Byline.objects.select_related("author").order_by("position", "pk"))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The article's address; made from the headline, editable."
    )
    summary = models.TextField(
        max_length=600, blank=True, help_text="The standfirst: one or two sentences shown under the headline."
    )
    body = models.TextField(
        blank=True,
        help_text="Paragraphs, subheadings, quotes, lists, links, bold and italic. Anything else is removed on save.",
    )
    hero_image = PictureField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        spec=HERO_IMAGE,
        renditions_field="hero_renditions",
        focus_fields=("hero_focus_x", "hero_focus_y"),
        help_text="Location, camera details and all other metadata are removed before it is stored.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Written by the save (images.services), read by every page that shows the image: see images/renditions.py.
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_focus_x = models.PositiveSmallIntegerField(
        "focal point across",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Where the subject is, in % of the width from the left edge (0 to 100). Empty: the middle.",
    )
    hero_focus_y = models.PositiveSmallIntegerField(
        "focal point down",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="In % of the height from the top edge. Empty: the middle. Story cards crop to 16:9 around it.",
    )
    hero_alt = models.CharField(
        "alt text", max_length=300, blank=True, help_text="What the image shows, for readers who cannot see it."
    )
    hero_caption = models.CharField("caption", max_length=300, blank=True)
    hero_credit = models.CharField("credit", max_length=120, blank=True, help_text="For example: Reuters/Jane Doe.")
    source_name = models.CharField(max_length=120, blank=True, help_text="For example: inkl.com.")
    source_url = models.URLField(
        max_length=500, blank=True, help_text="For example: https://www.inkl.com. Only http and https links."
    )
    authors = models.ManyToManyField("authors.Author", through="Byline", related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers may see it. Set to now on publishing if left empty; a future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Every public listing filters on status and sorts on publication time.
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        # The body is stored already sanitized, so the editor sees exactly what readers get.
        self.body = sanitize_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        with pictures_kept_current(self, "hero_image", update_fields=kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Describe the image for readers who cannot see it."})
        if self.source_url and urlsplit(self.source_url).scheme.lower() not in {"http", "https"}:
            raise ValidationError({"source_url": "Use an http:// or https:// address."})

    @property
    def is_published(self) -> bool:
        """Twin of ArticleQuerySet.published(); tests pin both to the same truth table."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def hero_picture(self) -> Picture | None:
        """The hero in its own shape, for the article page; None until it has renditions."""
        return Picture.from_renditions(self.hero_renditions, "full", self.hero_image.storage)

    @property
    def card_picture(self) -> Picture | None:
        """The hero cropped to the 16:9 frame of a story card, around its focal point."""
        return Picture.from_renditions(self.hero_renditions, "card", self.hero_image.storage)

    @property
    def share_image(self) -> Rendition | None:
        """One JPEG of the hero for link previews (og:image)."""
        return nearest_rendition(self.hero_renditions, "full", self.hero_image.storage, width=SHARE_IMAGE_WIDTH)

    @property
    def byline_authors(self) -> list:
        """Authors in byline order, from the prefetched bylines when the queryset has them."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def was_updated(self) -> bool:
        """Worth telling readers: a change more than a minute after publication."""
        return bool(self.published_at) and (self.updated_at - self.published_at).total_seconds() > 60


class Byline(models.Model):
    """One author's place on an article's byline; position keeps the order editors set."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"
