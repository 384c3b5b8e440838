"""manage.py load_demo: sections and the sample article, so a fresh site has something to show."""

from django.core.management.base import BaseCommand, CommandError

from articles.capture import ImportRefused
from articles.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo sections and pages (About, Ethics policy...) and import the sample article with its"
        " generated image. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        try:
            outcome = load_demo()
        except ImportRefused as exc:
            raise CommandError(f"Demo article refused: {exc}") from exc
        article = outcome.article
        verb = "Created" if outcome.created else "Updated" if outcome.changed else "Unchanged"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo article “{article.headline}” in {article.section}."))
        self.stdout.write(f"  address: {article.get_absolute_url()}")
