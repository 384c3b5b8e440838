"""The site's admin: Django's own, with work waiting shown on the index page."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse


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
                note = getattr(model_admin, "index_note", None)
                text = note(request) if note else ""
                if text:
                    entry["name"] = f"{entry['name']} ({text})"
        return response
