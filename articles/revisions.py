"""Revisions of articles, kept by django-reversion: what is registered, what a revision held, and diffs.

A revision is one save: the article row with its byline rows, tagged items (and the tags they name)
and correction notes, all as they were at that moment, with who saved and when. Writes that keep or
restore revisions live in articles/services.py; this module only reads them.
"""

from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from reversion.models import Revision, Version
from taggit.models import Tag

from articles.models import Article, Byline, Correction, Section, TaggedArticle
from articles.textdiff import diff_html, diff_texts
from authors.models import Author

# Rows of other models that belong to one article's revision; reversion's `follow` captures them
# whenever the article is added to a revision, whatever saved it.
ARTICLE_FOLLOWS = ("bylines", "tagged_items", "corrections")
# What restoring a revision brings back, besides the byline and tags: the story as written and filed.
# Publishing state (status, times, withdrawal) stays as it is, so bringing back older words never publishes
# or unpublishes, and correction notes stay because readers have seen them.
RESTORED_FIELDS = (
    "headline",
    "slug",
    "summary",
    "body",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "source_name",
    "source_url",
    "section_id",
)
# Derived on save or bookkeeping: showing them in a diff would only be noise.
NOT_COMPARED = {"id", "hero_width", "hero_height", "created_at", "updated_at"}


def register_models() -> None:
    """Put articles and the rows that travel with them under version control (called from AppConfig.ready)."""
    for model, follow in (
        (Article, ARTICLE_FOLLOWS),
        (Byline, ()),
        # The tag itself is kept too, so a revision still names a tag deleted or renamed since.
        (TaggedArticle, ("tag",)),
        (Tag, ()),
        (Correction, ()),
    ):
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


def with_followed_rows(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Articles with everything a revision follows prefetched, so keeping N revisions costs no N queries.

    Bylines come with their authors because a version also stores each row's str(), which names the author."""
    return articles.prefetch_related("bylines__author", "tagged_items__tag", "corrections")


@dataclass(frozen=True)
class SavedArticle:
    """One article as a revision kept it, or as it is now: the same shape either way, so they compare."""

    fields: dict[str, object]
    # (position, byline pk, author pk), in byline order.
    bylines: list[tuple[int, int, int]] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    # (created_at, kind, text), oldest first.
    corrections: list[tuple[datetime, str, str]] = field(default_factory=list)

    @property
    def author_ids(self) -> list[int]:
        return [author_id for _, _, author_id in self.bylines]


def versions_of(article: Article) -> QuerySet[Version]:
    """The article's versions, newest first, each with its revision and the user who saved it."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-revision_id")
    )


def saved_in(revision: Revision, article_id: int) -> SavedArticle:
    """What `revision` kept of one article. A revision from a bulk action holds several articles, so
    rows are picked by the article they belong to."""
    fields: dict[str, object] = {}
    bylines: list[tuple[int, int, int]] = []
    tag_ids: list[int] = []
    tag_names: dict[int, str] = {}
    corrections: list[tuple[datetime, str, str]] = []
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        data = version.field_dict
        if model is Article and version.object_id == str(article_id):
            fields = data
        elif model is Byline and data["article_id"] == article_id:
            bylines.append((data["position"], data["id"], data["author_id"]))
        elif model is TaggedArticle and data["content_object_id"] == article_id:
            tag_ids.append(data["tag_id"])
        elif model is Tag:
            tag_names[data["id"]] = data["name"]
        elif model is Correction and data["article_id"] == article_id:
            corrections.append((data["created_at"], data["kind"], data["text"]))
    return SavedArticle(
        fields=fields,
        bylines=sorted(bylines),
        tag_names=sorted(tag_names.get(tag_id, f"tag #{tag_id}") for tag_id in tag_ids),
        corrections=sorted(corrections),
    )


def saved_now(article: Article) -> SavedArticle:
    """The article as it is in the database now, in the shape of a revision."""
    return SavedArticle(
        fields={f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields},
        bylines=sorted((b.position, b.pk, b.author_id) for b in article.bylines.all()),
        tag_names=sorted(article.tags.names()),
        corrections=[(c.created_at, c.kind, c.text) for c in article.corrections.order_by("created_at", "pk")],
    )


@dataclass(frozen=True)
class Change:
    label: str
    diff: SafeString


def _when(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


class _Names:
    """Section and author names for two saved articles, in one query each."""

    def __init__(self, *saved: SavedArticle) -> None:
        section_ids = {s.fields.get("section_id") for s in saved} - {None}
        self.sections = dict(Section.objects.filter(pk__in=section_ids).values_list("pk", "name"))
        author_ids = {author_id for s in saved for author_id in s.author_ids}
        self.authors = dict(Author.objects.filter(pk__in=author_ids).values_list("pk", "name"))

    def byline(self, saved: SavedArticle) -> str:
        return ", ".join(self.authors.get(author_id, f"deleted author #{author_id}") for author_id in saved.author_ids)

    def value(self, model_field: models.Field, value: object) -> str:
        if value is None or value == "":
            return ""
        if model_field.attname == "section_id":
            return self.sections.get(value, f"deleted section #{value}")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, datetime):
            return _when(value)
        if isinstance(model_field, models.FileField):
            return getattr(value, "name", str(value)) or ""
        return str(value)


def _compared_fields() -> list[models.Field]:
    # Every concrete field an editor can set, plus the withdrawal notice that actions set; fields added
    # to Article later are compared without a change here.
    return [
        f
        for f in Article._meta.concrete_fields
        if f.attname not in NOT_COMPARED and (f.editable or f.name == "withdrawal_note")
    ]


def _corrections_text(saved: SavedArticle) -> str:
    kinds = dict(Correction.Kind.choices)
    return "".join(f"{kinds.get(kind, kind)}, {_when(at)}: {text}\n" for at, kind, text in saved.corrections)


def compare(old: SavedArticle, new: SavedArticle) -> list[Change]:
    """What changed from `old` to `new`, field by field; unchanged fields are left out."""
    return _changes(old, new, _compared_fields(), with_corrections=True)


def restore_preview(now: SavedArticle, saved: SavedArticle) -> list[Change]:
    """What restoring `saved` over the article as it is `now` would change, and nothing else: the fields
    articles.services.restore_revision writes, the byline and the tags. Status, publication, withdrawal
    and correction notes stay as they are, so they are not shown as changing."""
    fields = sorted(
        (f for f in Article._meta.concrete_fields if f.attname in RESTORED_FIELDS),
        key=lambda f: RESTORED_FIELDS.index(f.attname),
    )
    return _changes(now, saved, fields, with_corrections=False)


def _changes(
    old: SavedArticle, new: SavedArticle, fields: list[models.Field], *, with_corrections: bool
) -> list[Change]:
    names = _Names(old, new)
    pairs = [
        (
            capfirst(f.verbose_name),
            names.value(f, old.fields.get(f.attname)),
            names.value(f, new.fields.get(f.attname)),
            # The body is stored HTML; copy editors read its text (textdiff.diff_html).
            diff_html if f.attname == "body" else diff_texts,
        )
        for f in fields
    ]
    pairs += [
        ("Byline", names.byline(old), names.byline(new), diff_texts),
        ("Tags", ", ".join(old.tag_names), ", ".join(new.tag_names), diff_texts),
    ]
    if with_corrections:
        pairs.append(("Corrections and updates", _corrections_text(old), _corrections_text(new), diff_texts))
    return [Change(label, differ(before, after)) for label, before, after, differ in pairs if before != after]
