"""Once made the Writer and Editor groups; roles/migrations/0001 now applies every role."""

from django.db import migrations

class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_workflow_locking_and_publish_permission"),
        ("authors", "0001_initial"),
        ("comments", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # A no-op, kept so migration history stays the same: roles/0001 now applies the roles, after every
        # migration whose permissions they name.
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
