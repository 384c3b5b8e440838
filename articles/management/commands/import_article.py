"""manage.py import_article FILE: load a captured plain-text article page (read by articles/capture.py, written by
articles/importer.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.capture import ImportRefused, read_article_file, read_hero_image
from articles.importer import import_article


class Command(BaseCommand):
    help = (
        "Import a captured plain-text article (headline, image description, standfirst, paragraphs,"
        " 'Original Source:' line, author bio). Importing the same file again updates the same article."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The UTF-8 text file to import.")
        parser.add_argument("--section", metavar="NAME", help="Section name, for example World; created if missing.")
        parser.add_argument(
            "--tag", action="append", default=[], dest="tags", metavar="NAME", help="A tag to add; repeatable."
        )
        parser.add_argument("--publish", action="store_true", help="Publish now (the first publication time is kept).")
        parser.add_argument(
            "--image", type=Path, metavar="PATH", help="Hero image file, checked as the admin checks an upload."
        )
        parser.add_argument("--image-caption", default="", metavar="TEXT", help="Caption shown under the image.")
        parser.add_argument("--image-credit", default="", metavar="TEXT", help="For example: Reuters/Jane Doe.")
        parser.add_argument(
            "--original-url",
            metavar="URL",
            help="The syndicated story's own address, when the 'Original Source:' line gives only the site.",
        )
        parser.add_argument(
            "--canonical",
            choices=["this", "original"],
            help="Which address search engines should list: this page, or the original (needs its address).",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            parsed = read_article_file(path)
            image = None
            if options["image"] is not None:
                image = read_hero_image(
                    options["image"], caption=options["image_caption"], credit=options["image_credit"]
                )
            elif options["image_caption"] or options["image_credit"]:
                raise ImportRefused("--image-caption and --image-credit describe an image: add --image PATH")
            outcome = import_article(
                parsed,
                section=options["section"],
                tags=options["tags"],
                publish=options["publish"],
                image=image,
                original_url=options["original_url"],
                canonical=options["canonical"],
            )
        except ImportRefused as exc:
            raise CommandError(f"Refused {path}: {exc}") from exc

        article = outcome.article
        verb = "Created" if outcome.created else "Updated" if outcome.changed else "Unchanged"
        author = f"{parsed.author_name} ({'new author' if outcome.author_created else 'existing author'})"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} article {article.pk} “{article.headline}” [{article.get_status_display()}]")
        )
        self.stdout.write(f"  slug: {article.slug}\n  byline: {author}")
        if image is not None:
            self.stdout.write(
                f"  image: {'stored ' + article.hero_image.name if outcome.image_stored else 'unchanged'}"
            )
