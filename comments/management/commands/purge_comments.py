"""purge_comments --older-than DAYS [--dry-run]: the one way comments leave the database."""

from argparse import ArgumentParser, ArgumentTypeError

from django.core.management.base import BaseCommand

from comments.services import purge_comments


def days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"a whole number of days, not {value!r}") from None
    if number < 1:
        raise ArgumentTypeError("at least 1 day, so a comment just marked by mistake can still be restored")
    return number


class Command(BaseCommand):
    help = (
        "Delete spam and removed comments older than DAYS days. Approved and pending comments are never "
        "deleted, nor a comment that still has replies kept in the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--older-than", type=days, required=True, metavar="DAYS", help="age in days, at least 1")
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted and delete nothing")

    def handle(self, *args, older_than: int, dry_run: bool, **options) -> None:
        result = purge_comments(older_than_days=older_than, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.spam} spam and {result.removed} removed comments older than {older_than} days."
        )
        if result.kept_for_replies:
            self.stdout.write(f"Kept {result.kept_for_replies} that still have replies in the database.")
