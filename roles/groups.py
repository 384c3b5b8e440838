"""The newsroom's roles: one auth Group each, holding exactly the permissions listed here.

A data migration of this app applies the list with `sync_roles`, so a fresh database gets the groups without
anyone clicking through the admin, and a changed list reaches existing databases through a new migration in
roles/migrations/ (depending on the migrations that add any model it names). Giving
someone a role is adding their staff login to the group in the admin (Users → Groups).
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Group name → "app_label.codename". What each role can do, and so what the admin shows it:
#   Writer writes articles and edits their own until they are published (ArticleAdmin narrows
#   change_article to their own drafts, since they lack publish_article). The byline rows are their own
#   model, so adding, changing and removing an author on the byline needs the byline permissions, and
#   finding an author by name in the byline needs view_author.
#   Editor edits and publishes any article and manages authors, sections, tags and the standing pages
#   (About, Ethics policy, Corrections policy...); the publication's settings stay with administrators.
#   Correction notes are their own model, so appending one to a published story needs add_correction,
#   and seeing the saved ones on the form view_correction (nobody changes or deletes a note: ArticleAdmin
#   offers neither). view_comment lets the article list's comment counts link to the comments they count;
#   moderating them is the Moderator's.
#   Moderator runs the comment queue and the moderation rules, and may read (not edit) the story a comment
#   answers, which the queue links to.
# Named once here: comments.notifications emails this group about held comments.
MODERATOR = "Moderator"

ROLES: dict[str, list[str]] = {
    "Writer": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "authors.view_author",
    ],
    "Editor": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_correction",
        "articles.view_correction",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_section",
        "authors.add_author",
        "authors.change_author",
        "authors.delete_author",
        "authors.view_author",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
        "newsroom.add_page",
        "newsroom.change_page",
        "newsroom.delete_page",
        "newsroom.view_page",
        "comments.view_comment",
    ],
    MODERATOR: [
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_moderationsettings",
        "comments.change_moderationsettings",
        "articles.view_article",
    ],
}


def sync_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create or update each role's group so it holds exactly the permissions in ROLES; for RunPython."""
    apply_roles(apps, using=schema_editor.connection.alias)


def apply_roles(apps: Apps, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make each role's group hold exactly the permissions in ROLES, creating the group if needed.

    On a fresh database the permissions do not exist yet during a migration (Django creates them after
    `migrate` finishes), so they are created first, for every app the migration state has. A permission
    whose model is not in that state yet is skipped, which is why roles/migrations/ depend on the newest
    migrations of the apps the roles name. tests/roles/test_groups.py checks the finished groups against ROLES.
    """
    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, which create_permissions takes to mean "no models".
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = models_module

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            permissions.extend(
                permission_model.objects.using(using).filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
