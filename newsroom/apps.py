"""The site's own app config, and the admin configured with this site's AdminSite (newsroom/admin.py)."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    """Installs newsroom/ itself, so its site-wide management commands (ensure_admin) are found."""

    # The one "newsroom" picks, should INSTALLED_APPS ever name the package rather than a config.
    default = True
    name = "newsroom"
    verbose_name = "Newsroom"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    # AdminConfig says default = True, which would make this a second candidate for "newsroom"; the module
    # is imported rather than the class for the same reason, since Django looks at every class in this one.
    default = False
    default_site = "newsroom.admin.NewsroomAdminSite"
