"""manage.py make_renditions: renditions for every stored image, after a change of widths or formats.

Safe to run again at any time: an image whose renditions match the current settings is skipped, and
one interrupted run leaves every row either as it was or done. Images stored before this pipeline
existed are also replaced by their clean copy (metadata removed), as a save in the admin would.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from images.fields import picture_fields
from images.services import refresh_picture


class Command(BaseCommand):
    help = "Make missing or stale renditions of every stored image (hero images, author photos). Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Make every image's renditions again, even those up to date."
        )

    def handle(self, *args, **options) -> None:
        jobs = []
        for model, field in picture_fields():
            pks = model._default_manager.exclude(**{field.attname: ""}).order_by("pk").values_list("pk", flat=True)
            jobs.extend((model, field, pk) for pk in pks)
        made = current = 0
        failed: list[str] = []
        for number, (model, field, pk) in enumerate(jobs, start=1):
            label = f"[{number}/{len(jobs)}] {model._meta.verbose_name} {pk} {field.name}"
            try:
                outcome = refresh_picture(model, pk, field.name, force=options["force"])
            except model.DoesNotExist:
                self.stdout.write(f"{label}: deleted meanwhile")
                continue
            if outcome.error:
                failed.append(f"{model._meta.verbose_name} {pk}: {outcome.error}")
                self.stdout.write(self.style.ERROR(f"{label}: {outcome.error}"))
            elif outcome.made:
                made += 1
                self.stdout.write(f"{label}: {outcome.made} files made")
            else:
                current += 1
                self.stdout.write(f"{label}: up to date")
        summary = f"{len(jobs)} images: {made} made, {current} already up to date, {len(failed)} failed."
        if failed:
            raise CommandError(summary + " Upload these again: " + "; ".join(failed))
        self.stdout.write(self.style.SUCCESS(summary))
