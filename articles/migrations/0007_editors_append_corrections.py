"""The Editor group gains the correction-note permissions that newsroom/roles.py now lists."""

from django.db import migrations

from newsroom.roles import sync_roles


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_hero_renditions_and_focal_point"),
        ("comments", "0003_moderation_settings_and_moderator_role"),
    ]

    operations = [
        # Going back leaves the groups as they are, as 0004 does.
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
