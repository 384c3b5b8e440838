"""manage.py import_site DIR: load a folder written by export_site into an empty database; see newsroom/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import ArchiveError, import_site


class Command(BaseCommand):
    help = "Load a folder written by export_site into an empty (freshly migrated) database and media storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="The folder export_site wrote.")

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        try:
            summary = import_site(folder, progress=lambda message: self.stderr.write(message))
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(summary.rows.values())
        self.stdout.write(self.style.SUCCESS(f"Imported {rows} rows and {summary.files} media files from {folder}."))
