"""The site's admin: Django's own, with work waiting shown on the index page."""

from dataclasses import dataclass, field

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import urlencode


@dataclass(frozen=True)
class IndexNote:
    """Work waiting, as a model admin's `index_note(request)` reports it: the words shown beside the model's
    name ("3 pending") and the list filter that shows that work, so the link opens on it."""

    text: str
    filters: dict[str, str] = field(default_factory=dict)


class NewsroomAdminSite(admin.AdminSite):
    # Titles are set on admin.site in newsroom/urls.py.

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
