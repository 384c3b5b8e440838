"""Keeping an image field's files in step with its row: the clean copy stored, renditions made when the
image or the recipe changes, and files the row no longer uses deleted once the change is committed.

Renditions are made during the save, in the editor's request: no worker or queue exists, an editor
waits one to three seconds (see the README), and a page never shows an image whose renditions are not
there yet. Deleting replaced files waits for the commit, so a rolled-back save keeps what the
committed row still points to; files made by a save that fails are deleted straight away.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import models, transaction

from images.fields import PictureField, picture_fields
from images.renditions import delete_files, make_renditions, rendition_files, rendition_folder, spec_key
from images.uploads import (
    ImageRefused,
    NormalizedImage,
    accept_image,
    check_file_size,
    clean_copy,
    clean_name,
    decode,
    is_clean,
)
from newsroom import surrogate

logger = logging.getLogger(__name__)


@dataclass
class Change:
    """What bringing one field up to date did to storage."""

    storage: Storage
    made: list[str] = field(default_factory=list)  # new files; deleted if the save fails
    replaced: list[str] = field(default_factory=list)  # files the row stops using; deleted after commit
    error: str = ""  # why the stored image could not be used, if it could not


@contextmanager
def pictures_kept_current(
    instance: models.Model, *field_names: str, update_fields: list[str] | None = None
) -> Iterator[None]:
    """Wrap a model's save() so its picture fields are stored clean, with current renditions.

    Before the body runs: a new upload is checked and stored as its clean copy, and renditions are
    made if the image, the focal point or the rendition settings changed. The renditions JSON is set
    on the instance for the save to write. A save with update_fields that leaves a field out leaves
    that field alone (a caller saving an image this way must list its renditions field too).
    """
    changes: list[tuple[PictureField, Change]] = []
    try:
        for name in field_names:
            if update_fields is not None and name not in update_fields:
                continue
            picture_field = instance._meta.get_field(name)
            change = Change(storage=picture_field.storage)
            changes.append((picture_field, change))
            bring_up_to_date(instance, picture_field, change)
        yield
    except BaseException:
        for _, change in changes:
            delete_files(change.storage, change.made)
        raise
    for picture_field, change in changes:
        if change.replaced:
            # The row's own source too: a new focal point replaces renditions that others may still show.
            current = getattr(instance, picture_field.attname)
            sources = [*change.replaced, current.name if current else None]
            transaction.on_commit(partial(delete_unused_files, change.storage, change.replaced, sources=sources))


def focus_of(instance: models.Model, picture_field: PictureField) -> tuple[float, float]:
    """The focal point as fractions of width and height; the centre when the model keeps none."""
    if not picture_field.focus_fields:
        return (0.5, 0.5)
    x, y = (getattr(instance, name) for name in picture_field.focus_fields)
    return tuple(min(max(50 if value is None else value, 0), 100) / 100 for value in (x, y))


def _accept(content: File, picture_field: PictureField) -> NormalizedImage:
    """The clean copy of a file assigned in code rather than through a form, which checked it already."""
    spec = picture_field.spec
    try:
        check_file_size(content.size)
        content.seek(0)
        return accept_image(content.read(), name=content.name or "", min_size=spec.min_size(), label=spec.label)
    except ImageRefused as exc:
        raise ValidationError({picture_field.name: ValidationError(str(exc), code=exc.code)}) from exc


def bring_up_to_date(
    instance: models.Model, picture_field: PictureField, change: Change, *, force: bool = False
) -> None:
    """Store a pending upload's clean copy and make renditions if they are stale (or `force`).

    A stored file that cannot be read or decoded (missing, damaged, over the limits) is not an error
    here: saving the row must still work, so the renditions JSON records why, pages show no image
    and the admin says to upload it again.
    """
    file = getattr(instance, picture_field.attname)
    old = getattr(instance, picture_field.renditions_field) or {}
    old_files = [*rendition_files(old), old.get("source")]
    data: bytes | None = None

    if file and not file._committed:
        content = file.file
        if not isinstance(content, NormalizedImage):
            content = _accept(content, picture_field)
        file.save(content.name, content, save=False)
        change.made.append(file.name)
        data = content.content

    if not file:
        setattr(instance, picture_field.renditions_field, {})
        change.replaced = [name for name in old_files if name]
        return

    focus = focus_of(instance, picture_field)
    key = spec_key(picture_field.spec, focus)
    if not force and old.get("source") == file.name and old.get("spec") == key:
        return

    clean: tuple | None = None
    try:
        if data is None:
            with file.storage.open(file.name, "rb") as stored:
                data = stored.read()
        picture = decode(data, check_size=False)
        if not is_clean(picture):
            # Stored before this pipeline existed, or assigned by name in code: it is replaced below
            # by its clean copy, so the original's metadata stops being served.
            clean = clean_copy(picture)
    except (OSError, ImageRefused) as exc:
        logger.warning("Cannot make renditions of %s: %s", file.name, exc)
        change.error = str(exc) if isinstance(exc, ImageRefused) else "The stored file cannot be read."
        setattr(instance, picture_field.renditions_field, {"source": file.name, "error": change.error})
        change.replaced = [name for name in old_files if name and name != file.name]
        return

    if clean is not None:
        change.replaced.append(file.name)
        picture, data, extension = clean
        file.save(clean_name(file.name, extension), ContentFile(data), save=False)
        change.made.append(file.name)

    # The stored file's size, as ImageField would read it from the file: rows imported with their image
    # (articles/importer.py, the demo) were stored without it, and Django then opened the file with Pillow to
    # measure it each time such a row was loaded, on every page that showed it (docs/performance.md).
    if picture_field.width_field:
        setattr(instance, picture_field.width_field, picture.width)
    if picture_field.height_field:
        setattr(instance, picture_field.height_field, picture.height)
    folder = rendition_folder(file.name, data, key)
    crops = make_renditions(
        picture, spec=picture_field.spec, focus=focus, storage=file.storage, folder=folder, made=change.made
    )
    setattr(instance, picture_field.renditions_field, {"source": file.name, "spec": key, "crops": crops})
    change.replaced.extend(name for name in old_files if name and name != file.name)


@dataclass(frozen=True)
class Refreshed:
    made: int  # files written: renditions, plus a clean copy of an image stored before this pipeline
    error: str = ""


def refresh_picture(model: type[models.Model], pk: object, field_name: str, *, force: bool = False) -> Refreshed:
    """Bring one stored row's renditions up to date outside a form, for the make_renditions command.

    Writes only the image columns, with update(): save() would move updated_at, and readers would be
    told the story was updated when only its renditions were. Raises model.DoesNotExist for a row
    deleted meanwhile.
    """
    picture_field = model._meta.get_field(field_name)
    change = Change(storage=picture_field.storage)
    try:
        with transaction.atomic():
            # Locked, so an editor saving the same row waits rather than racing this one.
            row = model._default_manager.select_for_update().get(pk=pk)
            before = getattr(row, picture_field.renditions_field)
            # As stored: ImageField measures a row stored without its size (imported before sizes were recorded)
            # with Pillow when the row is loaded, and does so again on every load until the size is written.
            sizes = [name for name in (picture_field.width_field, picture_field.height_field) if name]
            stored_sizes = list(model._default_manager.filter(pk=pk).values_list(*sizes).get()) if sizes else []
            bring_up_to_date(row, picture_field, change, force=force)
            after = getattr(row, picture_field.renditions_field)
            if change.made or after != before or [getattr(row, name) for name in sizes] != stored_sizes:
                columns = [picture_field.attname, picture_field.renditions_field, *sizes]
                model._default_manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in columns})
                # update() sends no signal: the cached pages showing the picture are purged here, before the
                # replaced files go (newsroom/surrogate.py).
                surrogate.purge_row(model._meta.label, row.pk)
                if change.replaced:
                    sources = [*change.replaced, getattr(row, picture_field.attname).name]
                    delete = partial(delete_unused_files, change.storage, change.replaced, sources=sources)
                    transaction.on_commit(delete)
    except BaseException:
        delete_files(change.storage, change.made)
        raise
    return Refreshed(made=len(change.made), error=change.error)


def delete_files_with_row(sender: type[models.Model], instance: models.Model, field_name: str, **kwargs) -> None:
    """post_delete (connected in images/apps.py): once the deletion is committed, delete the row's image
    and its renditions."""
    picture_field = instance._meta.get_field(field_name)
    file = getattr(instance, picture_field.attname)
    renditions = getattr(instance, picture_field.renditions_field) or {}
    names = {*rendition_files(renditions), renditions.get("source"), file.name if file else None}
    names.discard(None)
    if names:
        sources = [renditions.get("source"), file.name if file else None]
        transaction.on_commit(partial(delete_unused_files, picture_field.storage, sorted(names), sources=sources))


def delete_unused_files(storage: Storage, names: Iterable[str], *, sources: Iterable[str | None]) -> None:
    """Delete those of `names` that no committed row still refers to.

    One picture can be shown by many rows (the generated archive shares a handful among thousands of
    stories, and code may assign a stored name to several): its files go only with the last of them. Rows
    refer to files through their picture column and renditions JSON; those showing one of `sources` are the
    only ones that can share these files, since rendition names are made from the source's."""
    in_use = files_in_use(sources)
    delete_files(storage, [name for name in names if name not in in_use])


def files_in_use(sources: Iterable[str | None]) -> set[str]:
    """Every file name that the rows showing one of `sources` refer to: one query per picture field."""
    wanted = sorted({name for name in sources if name})
    used: set[str] = set()
    if not wanted:
        return used
    for model, picture_field in picture_fields():
        rows = model._default_manager.filter(**{f"{picture_field.attname}__in": wanted}).values_list(
            picture_field.attname, picture_field.renditions_field
        )
        for name, renditions in rows:
            used.update({name, (renditions or {}).get("source"), *rendition_files(renditions)})
    return used
