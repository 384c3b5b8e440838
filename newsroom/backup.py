"""The whole site as a folder, and back: `manage.py export_site DIR` and `manage.py import_site DIR`.

A backup is only as good as its restore, so the format is plain and checked end to end (docs/backups.md):

    DIR/manifest.json       format name and version, when and from what, rows per model, and the SHA-256
                            and size of every other file in the folder
    DIR/data/NNNN.json      the rows, in Django's JSON serialization, at most CHUNK rows per file, in an
                            order where every row's references come before it
    DIR/media/...           every file in the media storage (uploads, clean copies, renditions), by name

Rows keep their primary keys, so the links between them (and the ids inside revisions) stay true;
content types and permissions travel by natural key, because their ids differ between databases.
The import checks the whole folder before it writes anything, then writes the files, then loads every
row in one transaction: a refused or failed import leaves the database and the storage as they were.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "newsroom-site"
FORMAT_VERSION = 1
CHUNK = 5_000

# Every model whose rows are the site's content, in an order where each one's references come first.
EXPORTED = [
    "auth.group",  # by name: the roles' groups exist in every database, an editor may have added more
    "auth.user",  # staff accounts: revisions, corrections and status changes name who did them
    "newsroom.publication",
    "newsroom.page",
    "articles.section",
    "taggit.tag",
    "authors.author",
    "articles.article",
    "articles.byline",
    "articles.taggedarticle",
    "articles.leadstory",
    "articles.correction",
    "articles.slugredirect",
    "articles.statuschange",
    "reversion.revision",
    "reversion.version",
    "admin.logentry",
    "comments.moderationsettings",
    "comments.comment",
]

# Models left out on purpose, with the reason; a test fails for any model in neither list, so a new
# model cannot be forgotten by the backup.
NOT_EXPORTED = {
    "auth.permission": "made by migrations in every database; referred to by natural key",
    "contenttypes.contenttype": "made by migrations in every database; referred to by natural key",
    "sessions.session": "logins in progress, not content; everyone signs in again after a move",
    "taggit.taggeditem": "taggit's generic tag link, unused: articles are tagged through articles.TaggedArticle",
    "axes.accessattempt": "sign-in lockouts in progress, which end by themselves",
    "axes.accessattemptexpiration": "sign-in lockouts in progress, which end by themselves",
    "axes.accesslog": "a log of sign-ins, not content",
    "axes.accessfailurelog": "a log of failed sign-ins, not content",
    "otp_totp.totpdevice": "second factors stay out of an archive that already holds the password hashes: staff add "
    "their authenticator app again after a move",
}

# Rows that a migrated database already holds, and that the archive's copy replaces rather than adds to.
MADE_BY_MIGRATIONS = {"auth.group", "newsroom.publication", "comments.moderationsettings"}
# Serialized by natural key instead of id: matched by name to the groups the roles' migration made.
BY_NATURAL_KEY = {"auth.group"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds, and a restore must change nothing."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    """The folder cannot be exported to or imported from; the message says why, in words."""


@dataclass
class Summary:
    """What an export or import did: rows per model and the media files."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0


def exported_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in EXPORTED]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, through the storage API (the disk today, a bucket tomorrow)."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_names(storage, f"{folder}/{sub}" if folder else sub)


# Export ------------------------------------------------------------------------------------------


def export_site(target: Path, *, progress: Callable[[str], None] = lambda message: None) -> Summary:
    """Write the whole site into `target`, which must be empty or not exist yet."""
    if target.exists() and any(target.iterdir()):
        raise ArchiveError(f"{target} is not empty: export into a new folder, so no older backup is mixed in.")
    (target / "data").mkdir(parents=True, exist_ok=True)
    (target / "media").mkdir(exist_ok=True)
    summary = Summary()
    chunks = []
    # One snapshot of every table, so a save during the export cannot leave a row pointing at nothing.
    with transaction.atomic():
        for model in exported_models():
            label = model._meta.label_lower
            queryset = model._default_manager.order_by("pk")
            summary.rows[label] = 0
            batch: list[models.Model] = []
            for row in queryset.iterator(chunk_size=CHUNK):
                batch.append(row)
                if len(batch) == CHUNK:
                    chunks.append(_write_chunk(target, len(chunks), label, batch))
                    summary.rows[label] += len(batch)
                    batch = []
            if batch:
                chunks.append(_write_chunk(target, len(chunks), label, batch))
                summary.rows[label] += len(batch)
            progress(f"{label}: {summary.rows[label]} rows")
    files = {}
    for name in _storage_names(default_storage):
        destination = target / "media" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as sink:
            for block in iter(lambda: source.read(1 << 20), b""):
                sink.write(block)
        files[name] = {"size": destination.stat().st_size, "sha256": _sha256(destination)}
        summary.files += 1
        summary.bytes += files[name]["size"]
    progress(f"media: {summary.files} files, {summary.bytes} bytes")
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": connection.vendor,
        # The schema the rows fit: an archive from a newer newsroom may hold columns this one lacks.
        "migrations": _applied_migrations(),
        "rows": summary.rows,
        "data": chunks,
        "media": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return summary


def _write_chunk(target: Path, number: int, label: str, rows: list[models.Model]) -> dict:
    path = target / "data" / f"{number:04d}.json"
    with path.open("w") as stream:
        serializers.serialize(
            "json",
            rows,
            stream=stream,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=label in BY_NATURAL_KEY,
            cls=ExactJSONEncoder,
        )
    return {"file": f"data/{path.name}", "model": label, "rows": len(rows), "sha256": _sha256(path)}


# Import ------------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    """The archive's manifest, once every file it names is present and intact; ArchiveError otherwise."""
    if not source.is_dir():
        raise ArchiveError(f"{source} is not a folder: give the folder export_site wrote.")
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except FileNotFoundError:
        raise ArchiveError(f"{source} has no manifest.json: it is not a folder export_site wrote.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"{source}/manifest.json is damaged ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{source}/manifest.json does not describe a newsroom site archive.")
    version = manifest.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ArchiveError(
            f"This archive is format version {version}, written by a newer newsroom; this one reads up to "
            f"version {FORMAT_VERSION}. Upgrade newsroom, then import again."
        )
    newer = sorted(set(map(tuple, manifest.get("migrations", []))) - set(map(tuple, _applied_migrations())))
    if newer:
        raise ArchiveError(
            f"This archive was written by a newer newsroom: its database had migrations this one does not "
            f"({', '.join('.'.join(m) for m in newer[:3])}). Upgrade newsroom and run migrate, then import again."
        )
    unknown = sorted({chunk.get("model") for chunk in manifest.get("data", [])} - set(EXPORTED))
    if unknown:
        raise ArchiveError(f"The archive holds rows of models this newsroom does not know: {', '.join(unknown)}.")
    problems = []
    for chunk in manifest.get("data", []):
        problems += _check_file(source, chunk["file"], chunk.get("sha256"), None)
    for name, expected in manifest.get("media", {}).items():
        problems += _check_file(source / "media", name, expected.get("sha256"), expected.get("size"))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise ArchiveError(f"The archive is incomplete or damaged, so nothing was imported: {shown}.")
    return manifest


def _check_file(folder: Path, name: str, sha256: str | None, size: int | None) -> list[str]:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return [f"{name} points outside the archive"]
    if not path.is_file():
        return [f"{name} is missing"]
    if (size is not None and path.stat().st_size != size) or _sha256(path) != sha256:
        return [f"{name} is damaged (its checksum does not match the manifest)"]
    return []


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def existing_content() -> dict[str, int]:
    """Rows the database holds beyond what migrations make: an import would mix two sites."""
    counts = {}
    for model in exported_models():
        label = model._meta.label_lower
        if label in MADE_BY_MIGRATIONS:
            continue
        count = model._default_manager.count()
        if count:
            counts[label] = count
    return counts


def import_site(source: Path, *, progress: Callable[[str], None] = lambda message: None) -> Summary:
    """Load an archive written by export_site into an empty database (one that has only been migrated)."""
    manifest = read_manifest(source)
    existing = existing_content()
    if existing:
        listed = ", ".join(f"{count} {label}" for label, count in existing.items())
        raise ArchiveError(
            f"The database already holds content ({listed}): import_site loads into an empty database. "
            "Point DATABASE_URL at a new database and run `manage.py migrate` first."
        )
    clashes = [name for name in manifest["media"] if default_storage.exists(name)]
    if clashes:
        raise ArchiveError(
            f"The media storage already holds {len(clashes)} of the archive's files (for example {clashes[0]}): "
            "import into an empty media storage."
        )
    summary = Summary()
    written: list[str] = []
    try:
        for name, expected in manifest["media"].items():
            with (source / "media" / name).open("rb") as stream:
                stored = default_storage.save(name, ContentFile(stream.read()))
            written.append(stored)
            if stored != name:
                raise ArchiveError(f"The media storage renamed {name} to {stored}; nothing was imported.")
            summary.files += 1
            summary.bytes += expected["size"]
        progress(f"media: {summary.files} files, {summary.bytes} bytes")
        with transaction.atomic():
            _load_rows(source, manifest, summary, progress)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    # The cache held pages and the publication record of the empty site.
    cache.clear()
    return summary


def _load_rows(source: Path, manifest: dict, summary: Summary, progress: Callable[[str], None]) -> None:
    deferred = []
    for chunk in manifest["data"]:
        with (source / chunk["file"]).open() as stream:
            try:
                objects = list(serializers.deserialize("json", stream, handle_forward_references=True))
            except serializers.base.DeserializationError as exc:
                raise ArchiveError(f"{chunk['file']} cannot be read: {exc}") from None
        for obj in objects:
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
        summary.rows[chunk["model"]] = summary.rows.get(chunk["model"], 0) + len(objects)
        progress(f"{chunk['model']}: {summary.rows[chunk['model']]} rows")
    for obj in deferred:
        obj.save_deferred_fields()
    # Rows came with their ids; PostgreSQL's sequences must continue after the highest, or the next
    # article saved would collide with an imported one.
    statements = connection.ops.sequence_reset_sql(no_style(), exported_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    expected = manifest.get("rows", {})
    for label, count in expected.items():
        if summary.rows.get(label, 0) != count:
            raise ArchiveError(
                f"The archive's manifest counts {count} {label} rows but its data holds "
                f"{summary.rows.get(label, 0)}; nothing was imported."
            )
