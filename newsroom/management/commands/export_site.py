"""manage.py export_site DIR: the whole site (rows and media files) into a new folder; see newsroom/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import ArchiveError, export_site


class Command(BaseCommand):
    help = "Write the whole site (content, settings, revisions, comments and every media file) into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder that does not exist yet, or is empty.")

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        try:
            summary = export_site(folder, progress=lambda message: self.stderr.write(message))
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(summary.rows.values())
        self.stdout.write(self.style.SUCCESS(f"Exported {rows} rows and {summary.files} media files to {folder}."))
