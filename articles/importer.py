"""Write a parsed capture (articles/capture.py) as an Article with its author, section, tags and image.

All the writes happen in one transaction, after every check has passed, and a second import of the
same capture updates the same rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from articles.capture import (
    HeroImage,
    ImportRefused,
    ParsedArticle,
    clean_original_url,
    clean_section_name,
    clean_tag_names,
)
from articles.models import Article, Byline, Section
from articles.services import keep_revisions, save_article
from authors.models import Author
from images.renditions import rendition_files
from newsroom.sanitize import sanitize_html


@dataclass(frozen=True)
class ImportOutcome:
    article: Article
    created: bool
    author_created: bool
    image_stored: bool
    # False when the article already held everything the capture and options say: nothing was saved,
    # so readers see no "updated" time and an editor's open form is not made stale.
    changed: bool = True


def _find_or_build_section(name: str) -> Section:
    """The section an editor means by this name, matched loosely so "world" finds "World"; unsaved if new."""
    slug = slugify(name)
    existing = Section.objects.filter(Q(name__iexact=name) | Q(slug=slug)).order_by("pk").first()
    return existing or Section(name=name, slug=slug)


def _holds_same_image(article: Article, image: HeroImage) -> bool:
    """True when the stored hero image has exactly these bytes, so a re-import stores no second copy."""
    name = article.hero_image.name
    if not name:
        return False
    storage = article.hero_image.storage
    if not storage.exists(name) or storage.size(name) != len(image.content):
        return False
    with storage.open(name, "rb") as stored:
        return stored.read() == image.content


def _full_clean(instance: Article | Author | Section, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        label = instance._meta.verbose_name
        raise ImportRefused(f"the {label} would be invalid: {'; '.join(exc.messages)}") from exc


def import_article(
    parsed: ParsedArticle,
    *,
    section: str | None = None,
    tags: Iterable[str] = (),
    publish: bool = False,
    image: HeroImage | None = None,
    original_url: str | None = None,
    canonical: str | None = None,
) -> ImportOutcome:
    """Create or update the article with this headline's slug, its author, byline, section, tags and image.

    Idempotent: the same capture imported again updates the same rows and stores no second image.
    An existing author is reused as editors left them; an existing article keeps its status unless
    `publish` is given, and keeps its first publication time. Refusals are raised before any write.

    The original's address comes from `original_url`, else from the capture when its source line gives one;
    with neither, an address an editor typed is kept. `canonical` (Article.Canonical) is the editor's choice
    of canonical address; None leaves it as it is.
    """
    section_name = clean_section_name(section) if section is not None else None
    tag_names = clean_tag_names(tags)
    original = clean_original_url(original_url) if original_url else parsed.original_url
    if canonical is not None and canonical not in Article.Canonical.values:
        raise ImportRefused(f"the canonical choice {canonical!r} is not one of {', '.join(Article.Canonical.values)}")
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            outcome = _write_article(
                parsed, section_name, tag_names, publish, image, stored_files, original=original, canonical=canonical
            )
            if outcome.changed:
                keep_revisions([outcome.article.pk], comment="Imported from a captured page.")
            return outcome
    except BaseException:
        # The rollback undoes the rows; files written to storage (the image and its renditions) are
        # not part of it.
        storage = Article._meta.get_field("hero_image").storage
        for name in stored_files:
            storage.delete(name)
        raise


def _write_article(
    parsed: ParsedArticle,
    section_name: str | None,
    tag_names: list[str],
    publish: bool,
    image: HeroImage | None,
    stored_files: list[str],
    *,
    original: str,
    canonical: str | None,
) -> ImportOutcome:
    author = Author.objects.filter(slug=parsed.author_slug).first()
    author_created = author is None
    if author is None:
        author = Author(name=parsed.author_name, slug=parsed.author_slug, bio=parsed.author_bio)
    article = _find_article(parsed.slug)
    created = article is None
    if article is None:
        article = Article(slug=parsed.slug)
    before = {name: getattr(article, name) for name in _IMPORTED_FIELDS}
    article.headline = parsed.headline
    article.hero_alt = parsed.hero_alt
    article.summary = parsed.summary
    article.body = parsed.body_html
    article.source_name = parsed.source_name
    article.source_url = parsed.source_url
    if original:
        article.original_url = original
    if canonical is not None:
        article.canonical = canonical
    if publish:
        article.status = Article.Status.PUBLISHED
    if image is not None:
        article.hero_caption = image.caption
        article.hero_credit = image.credit
    section_obj = _find_or_build_section(section_name) if section_name else None

    # Everything is checked before the first write, so a refusal leaves no half-made rows behind.
    if author_created:
        _full_clean(author)
    if section_obj is not None and section_obj.pk is None:
        _full_clean(section_obj)
    _full_clean(article, exclude=["section", "hero_image"])

    if author_created:
        author.save()
    if section_obj is not None:
        if section_obj.pk is None:
            section_obj.save()
        article.section = section_obj
    image_stored = False
    if image is not None and not _holds_same_image(article, image):
        # Named after the article, not the uploaded file, so storage paths stay readable and safe.
        # The save below makes the renditions and, after commit, deletes the image this one replaces.
        article.hero_image.save(f"{parsed.slug[:60]}.{image.extension}", ContentFile(image.content), save=False)
        stored_files.append(article.hero_image.name)
        image_stored = True
    # Compared as the save would store it: the body is kept sanitized.
    article.body = sanitize_html(article.body)
    changed = created or image_stored or any(getattr(article, name) != before[name] for name in _IMPORTED_FIELDS)
    if changed:
        renditions_before = set(rendition_files(article.hero_renditions))
        save_article(article)
        stored_files.extend(set(rendition_files(article.hero_renditions)) - renditions_before)

    if author_created or not article.bylines.filter(author=author).exists():
        last = article.bylines.aggregate(last=Max("position"))["last"]
        Byline.objects.create(article=article, author=author, position=0 if last is None else last + 1)
        changed = True
    missing_tags = set(tag_names) - set(article.tags.names()) if tag_names else set()
    if missing_tags:
        article.tags.add(*tag_names)
        changed = True
    return ImportOutcome(
        article=article, created=created, author_created=author_created, image_stored=image_stored, changed=changed
    )


# What a capture and the import options write on the article row; a re-import that would change none of
# them, and adds no image, byline or tag, saves nothing.
_IMPORTED_FIELDS = (
    "headline",
    "hero_alt",
    "summary",
    "body",
    "source_name",
    "source_url",
    "original_url",
    "canonical",
    "status",
    "hero_caption",
    "hero_credit",
    "section_id",
)


def _find_article(slug: str) -> Article | None:
    """The article this capture made before: at the slug its headline gives, or at the address an editor
    moved it from (the old slug answers 301 there and may not be taken again), keeping the editor's slug."""
    locked = Article.objects.select_for_update()
    return locked.filter(slug=slug).first() or locked.at_old_address(slug).first()
