"""Every role's group, with exactly the permissions roles/groups.py lists.

The roles used to be applied by articles 0004 and 0007 and comments 0003, whichever app's change last touched
them; those steps are no-ops now and this app's migrations apply the list. It runs after the newest migration
of each app whose permissions a role names, so every permission exists by then. A later change to the list
goes into a new migration here, depending on the migrations that add any new model it names.
"""

from django.db import migrations

from roles.groups import sync_roles


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0007_editors_append_corrections"),
        ("authors", "0002_photo_renditions_and_focal_point"),
        ("comments", "0003_moderation_settings_and_moderator_role"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Going back leaves the groups in place: people may have been added to them since.
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
