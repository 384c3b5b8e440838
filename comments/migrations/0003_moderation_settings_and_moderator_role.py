from django.db import migrations


def create_moderation_settings(apps, schema_editor):
    ModerationSettings = apps.get_model("comments", "ModerationSettings")
    ModerationSettings.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_article_is_closed_for_comments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0002_moderationsettings_comment_body_html_and_more"),
    ]

    operations = [
        migrations.RunPython(create_moderation_settings, migrations.RunPython.noop),
        # Once applied the roles, the Moderator among them; a no-op now that roles/0001 applies them.
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
