"""The site's staff roles: one group per role, holding exactly the permissions the role needs.

One definition for every app: a data migration calls `sync_roles`, which creates each group or
brings it back to this list (a permission added by hand in the admin is removed on the next sync).
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROLES: dict[str, list[str]] = {
    # Runs the comment queue and the moderation rules, and may read (not edit) the story a
    # comment answers, which the queue links to.
    "Moderator": [
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_moderationsettings",
        "comments.change_moderationsettings",
        "articles.view_article",
    ],
}


def sync_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    """Create or update the groups in ROLES with exactly their permissions. Usable as a RunPython function."""
    using = schema_editor.connection.alias if schema_editor else "default"
    # On a fresh database, permissions are created by a post_migrate signal, after every migration
    # has run, so they do not exist yet when this one does: create them first.
    for app_config in apps.get_app_configs():
        # create_permissions() skips an app without a models module, which a migration's app stubs
        # do not record; the flag is lent for the call and put back.
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = had_models
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            # get() rather than filter(): a misspelt codename fails the migration instead of
            # quietly making a weaker role.
            permissions.append(
                Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            )
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
