"""What editors see of the publication: its one settings record and the standing pages."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from images.preview import crop_preview
from newsroom.models import Page, Publication
from newsroom.publication import current_publication

# Wide enough to judge a 1.91:1 link preview's crop, narrow enough to keep the form fields in view.
PREVIEW_WIDTH = 360


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """One record: the list is skipped, nothing is added beside it, and it cannot be deleted."""

    # A profile address pasted without its scheme is an https one.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["logo_preview", "share_preview", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "tagline", "language", "contact_email"]}),
        ("Logo", {"fields": ["logo_preview", "logo"]}),
        ("Share image", {"fields": ["share_preview", "share_image", ("share_focus_x", "share_focus_y")]}),
        (
            "Social accounts",
            {"fields": ["x_handle", "facebook_url", "instagram_handle", "mastodon_url", "bluesky_handle"]},
        ),
        ("Timestamps", {"fields": ["updated_at"], "classes": ["collapse"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The row always exists (a migration made it, current_publication() remakes it), and answering
        # without a query keeps every admin page's sidebar free of one.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Publication | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponseRedirect:
        """A list of one is a detour: the sidebar's link opens the record itself."""
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        return HttpResponseRedirect(reverse("admin:newsroom_publication_change", args=[current_publication().pk]))

    @admin.display(description="current logo")
    def logo_preview(self, obj: Publication) -> SafeString | str:
        picture = obj.logo_rendition
        if picture is None:
            return "No logo: the header shows the name."
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">', picture.url, picture.width, picture.height, obj.name
        )

    @admin.display(description="current share image and crop")
    def share_preview(self, obj: Publication) -> SafeString | str:
        return crop_preview(obj, "share_image", width=PREVIEW_WIDTH, alt=obj.name)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "updated_at"]
    list_editable = ["position"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "position"]
