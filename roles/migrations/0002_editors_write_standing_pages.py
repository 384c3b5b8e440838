"""Editors write the standing pages (About, Ethics policy, Corrections policy, Contact, Privacy)."""

from django.db import migrations

from roles.groups import sync_roles


class Migration(migrations.Migration):

    dependencies = [
        ("roles", "0001_initial"),
        ("newsroom", "0002_publication_row"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
