"""manage.py generate_archive: years of stories, authors, tags, pictures and comment threads, to measure the site
at a newsroom's size (articles/archive.py says what is made and how)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.archive import BATCH_SIZE, ArchiveGenerator


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add a made-up archive to the database: --articles stories over --years years with their sections, "
        "authors, bylines, tags, shared pictures and corrections, and --comments readers' comments in threads. "
        "For measuring the site at size (make bench-archive), on a database of its own: the archive's stories "
        "share picture files, so deleting one of them takes its picture from the others."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=_positive, default=100_000, help="stories to add (default 100,000)")
        parser.add_argument("--comments", type=_positive, default=1_000_000, help="comments to add (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=0, help="the same seed makes the same archive (default 0)")
        parser.add_argument("--years", type=float, default=8.0, help="how far back the stories go (default 8)")
        parser.add_argument("--images", type=_positive, default=6, help="pictures shared by the stories (default 6)")
        parser.add_argument("--batch-size", type=_positive, default=BATCH_SIZE, help="rows per insert and transaction")

    def handle(self, *args, **options) -> None:
        if options["years"] <= 0:
            raise CommandError("--years must be more than 0.")
        if not options["batch_size"]:
            raise CommandError("--batch-size must be at least 1.")
        if options["comments"] and not options["articles"]:
            raise CommandError("Comments need stories to be on: give --articles as well.")
        generator = ArchiveGenerator(
            articles=options["articles"],
            comments=options["comments"],
            seed=options["seed"],
            years=options["years"],
            batch_size=options["batch_size"],
            image_count=options["images"],
            stream=self.stderr._out,
        )
        report = generator.run()
        span = ""
        if report.first_published:
            span = f", published {report.first_published:%Y-%m-%d} to {report.last_published:%Y-%m-%d}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.articles:,} stories ({report.published:,} readers can see{span}), "
                f"{report.comments:,} comments, {report.corrections:,} corrections, {report.authors:,} authors, "
                f"{report.tags:,} tags and {report.images} pictures in {report.sections} sections, "
                f"in {report.seconds:.0f} s."
            )
        )
