"""What editors see of authors: the people the byline inline finds by name."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from authors.models import Author
from images.preview import crop_preview

# Large enough to see where the square crop falls on a head-and-shoulders photo, small enough to
# leave the form fields in view.
PREVIEW_WIDTH = 240


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user", "article_link"]
    list_select_related = ["user"]
    # The article form's byline inline searches authors through these fields.
    search_fields = ["name"]
    # Explicit because the annotated count below drops Meta.ordering, and autocomplete pages need an order.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio"]}),
        ("Photo", {"fields": ["photo_preview", "photo", ("photo_focus_x", "photo_focus_y")]}),
        ("Login", {"fields": ["user"]}),
        ("Timestamps", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Author]:
        # Counted in the changelist's own query rather than once per row.
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description="articles", ordering="article_count")
    def article_link(self, obj: Author) -> SafeString:
        """Every article on the author's byline, drafts included, linked to that list of articles."""
        url = reverse("admin:articles_article_changelist") + "?" + urlencode({"authors__id__exact": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.article_count)

    @admin.display(description="current photo and crop")
    def photo_preview(self, obj: Author) -> SafeString | str:
        return crop_preview(obj, "photo", width=PREVIEW_WIDTH, alt=obj.name)
