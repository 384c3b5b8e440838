"""Once gave the Editor group the correction-note permissions; roles/migrations/0001 now applies every role."""

from django.db import migrations

class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_hero_renditions_and_focal_point"),
        ("comments", "0003_moderation_settings_and_moderator_role"),
    ]

    operations = [
        # A no-op, kept so migration history stays the same: roles/0001 now applies the roles.
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
