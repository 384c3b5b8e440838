"""The publication record every site starts with, named as the site was before it had one."""

from django.db import migrations

# Fixed, not read from the model: a migration records the values of its day.
PUBLICATION_ID = 1


def create_publication(apps, schema_editor) -> None:
    Publication = apps.get_model("newsroom", "Publication")
    Publication.objects.get_or_create(
        pk=PUBLICATION_ID, defaults={"name": "Newsroom", "tagline": "Independent news and analysis."}
    )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_publication_and_pages")]

    # Reversed by doing nothing: the table itself goes when 0001 is reversed.
    operations = [migrations.RunPython(create_publication, migrations.RunPython.noop)]
