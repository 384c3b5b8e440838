"""The site's admin: Django's own, with work waiting shown on the index page, and lists that answer any
query string a person can type with a page."""

from dataclasses import dataclass, field
from functools import cache

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.http import urlencode

from newsroom.two_factor import StaffLoginForm, two_factor_view


@dataclass(frozen=True)
class IndexNote:
    """Work waiting, as a model admin's `index_note(request)` reports it: the words shown beside the model's
    name ("3 pending") and the list filter that shows that work, so the link opens on it."""

    text: str
    filters: dict[str, str] = field(default_factory=dict)


# What a mangled filter value raises in Python rather than as "no such rows": int() or datetime() of a
# number too large for C (OverflowError), the year after 9999 that a date drill-down on year 9999 asks
# for (ValueError), a value a field's to_python() refuses (ValidationError), SQLite's driver handed an
# integer past 64 bits (OverflowError). Django's changelist turns only some of them into "start again".
MANGLED_VALUE_ERRORS = (ValueError, OverflowError, ValidationError)


class TolerantChangeList(ChangeList):
    """A changelist for which a query string it cannot read means "start again" (Django's ?e=1 redirect),
    never a server error: the shared mechanism, so no filter needs its own guard."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: list[str] | None = None) -> QuerySet:
        # PostgreSQL's driver refuses a NUL in any text it is sent, and no filter value has one.
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            raise IncorrectLookupParameters("A query string value contains a NUL character.")
        try:
            return super().get_queryset(request, exclude_parameters)
        except MANGLED_VALUE_ERRORS as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request: HttpRequest) -> None:
        # The queryset is lazy: a value the database driver refuses surfaces only when the page is counted.
        try:
            super().get_results(request)
        except MANGLED_VALUE_ERRORS as error:
            raise IncorrectLookupParameters(error) from error


@cache
def tolerant(changelist: type[ChangeList]) -> type[ChangeList]:
    """`changelist` with TolerantChangeList's guards, one class per changelist class."""
    if issubclass(changelist, TolerantChangeList):
        return changelist
    return type(changelist.__name__, (TolerantChangeList, changelist), {"__module__": changelist.__module__})


class TolerantChangeListMixin:
    """Gives a model admin's changelist, whatever class it uses, TolerantChangeList's guards."""

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return tolerant(super().get_changelist(request, **kwargs))


class NewsroomAdminSite(admin.AdminSite):
    # Titles are set on admin.site in newsroom/urls.py.

    # The password, and the code from an authenticator app for those who added one (newsroom/two_factor.py).
    login_form = StaffLoginForm

    def get_urls(self) -> list[URLPattern]:
        """Django's admin URLs and the two-factor page, which is the admin's like the password change is."""
        two_factor = self.admin_view(lambda request: two_factor_view(request, self.each_context(request)))
        return [path("two-factor/", two_factor, name="two_factor"), *super().get_urls()]

    def register(self, model_or_iterable, admin_class: type[admin.ModelAdmin] | None = None, **options) -> None:
        """Registers as Django does, with TolerantChangeListMixin mixed into the model admin, so the lists of
        models registered by other apps (users, groups, tags) get the guards too."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, TolerantChangeListMixin):
            admin_class = type(
                admin_class.__name__,
                (TolerantChangeListMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        """The index, where a model admin with an `index_note(request)` method adds it to its row.

        Done here, not in get_app_list(), because the app list is also the sidebar of every admin
        page: a note there would cost its query on each of them.
        """
        response = super().index(request, extra_context)
        for app in response.context_data["app_list"]:
            for entry in app["models"]:
                model_admin = self.get_model_admin(entry["model"])
                note_for = getattr(model_admin, "index_note", None)
                note: IndexNote | None = note_for(request) if note_for else None
                if note is None:
                    continue
                entry["name"] = f"{entry['name']} ({note.text})"
                if note.filters and entry.get("admin_url"):
                    entry["admin_url"] = f"{entry['admin_url']}?{urlencode(note.filters)}"
        return response
