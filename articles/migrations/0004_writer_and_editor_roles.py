"""The Writer and Editor groups, with exactly the permissions newsroom/roles.py lists."""

from django.db import migrations

from newsroom.roles import sync_roles


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
        # Going back leaves the groups in place: people may have been added to them since.
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
