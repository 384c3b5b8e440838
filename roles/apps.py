from django.apps import AppConfig


class RolesConfig(AppConfig):
    """The staff roles (roles/groups.py): no models, only the data migrations that keep the groups in step."""

    name = "roles"
    verbose_name = "Staff roles"
