"""The site's own app config, and the admin configured with this site's AdminSite (newsroom/admin_site.py)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class NewsroomConfig(AppConfig):
    """Installs newsroom/ itself: the publication record, the standing pages, and site-wide commands."""

    # The one "newsroom" picks, should INSTALLED_APPS ever name the package rather than a config.
    default = True
    name = "newsroom"
    verbose_name = "Publication"

    def ready(self) -> None:
        # Signals rather than save() overrides: a queryset delete (the admin's bulk action) calls no
        # delete() method, and the models need not know they are cached.
        from django.db.models.signals import post_delete, post_save

        from newsroom import surrogate
        from newsroom.models import Page, Publication
        from newsroom.publication import forget_pages, forget_publication

        surrogate.register_row_keys(Publication._meta.label, lambda pk: [surrogate.PUBLICATION])
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(forget_publication, sender=Publication, dispatch_uid=f"forget-publication-{name}")
            signal.connect(forget_pages, sender=Page, dispatch_uid=f"forget-pages-{name}")
            # Cached pages: the publication's chrome is on every page; a standing page is in every footer too.
            signal.connect(surrogate.publication_changed, sender=Publication, dispatch_uid=f"pagecache-pub-{name}")
            signal.connect(surrogate.page_changed, sender=Page, dispatch_uid=f"pagecache-page-{name}")


class NewsroomAdminConfig(admin_apps.AdminConfig):
    # AdminConfig says default = True, which would make this a second candidate for "newsroom"; the module
    # is imported rather than the class for the same reason, since Django looks at every class in this one.
    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class SignInLockoutsConfig(AxesAppConfig):
    """django-axes under a name staff understand in the admin's sidebar (newsroom/login_throttle.py)."""

    default = False
    verbose_name = "Sign-in lockouts"

    def ready(self) -> None:
        super().ready()
        # The failure log is off (AXES_ENABLE_ACCESS_FAILURE_LOG): its list in the admin would only ever be empty.
        # The admin registered django-axes' models already: its own ready() runs first, being first in the list.
        from axes.models import AccessFailureLog
        from django.contrib import admin

        if admin.site.is_registered(AccessFailureLog):
            admin.site.unregister(AccessFailureLog)


class TwoFactorDevicesConfig(TOTPAppConfig):
    """django-otp's authenticator-app devices under a name staff understand (newsroom/two_factor.py)."""

    default = False
    verbose_name = "Two-factor devices"
