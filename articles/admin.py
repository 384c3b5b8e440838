"""What editors see of sections and articles: the article form with its byline, tags and publishing actions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import ngettext
from taggit.models import Tag

from articles.models import Article, Byline, Section
from articles.services import publish_articles, unpublish_articles
from comments.models import Comment
from images.preview import crop_preview

TAG_HELP_TEXT = (
    "Type to find an existing tag and pick it. A name that matches no tag becomes a new one: "
    "finish it with Enter or a comma. For example: Mali, Elections."
)
# Wide enough to judge the crop, small enough to leave the form fields in view.
PREVIEW_WIDTH = 480


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TagAutocompleteWidget(AutocompleteSelectMultiple):
    """The admin's own select2 autocomplete, in select2's "tags" mode so an editor can also type a new tag.

    django-taggit ships only a comma-separated text input, and `autocomplete_fields` does not apply to a
    TaggableManager (the admin builds autocomplete widgets only for ForeignKey and ManyToManyField). This
    reuses the jQuery and select2 files that come with Django, so it adds no dependency. Its own script,
    static/admin-extra/tag-autocomplete.js, starts select2 instead of the admin's autocomplete.js, to set
    options that data attributes cannot carry.
    """

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:articles_article_tag_autocomplete")

    def build_attrs(self, base_attrs: dict, extra_attrs: dict | None = None) -> dict:
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        # Without the admin-autocomplete class, autocomplete.js leaves this element to the script below.
        attrs["class"] = " ".join(
            name for name in [*attrs["class"].split(), "tag-autocomplete"] if name != "admin-autocomplete"
        )
        return attrs

    @property
    def media(self) -> forms.Media:
        # One list, so the merged page media keeps this script after jQuery and select2: Media orders
        # files only relative to those declared in the same list.
        base = super().media
        return forms.Media(js=[*base._js, "admin-extra/tag-autocomplete.js"], css=base._css)

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        # The values are tag names, which are their own labels, so no query is needed to render them.
        options = [self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)]
        return [(None, options, 0)]


class TagNamesField(forms.Field):
    """A list of tag names; TaggableManager.save_form_data() creates the ones that do not exist yet."""

    max_length = Tag._meta.get_field("name").max_length

    def prepare_value(self, value: object) -> list[str]:
        # The initial value is the article's Tag objects; the widget works with names.
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [getattr(tag, "name", tag) for tag in value]

    def to_python(self, value: object) -> list[str]:
        names: list[str] = []
        for raw in self.prepare_value(value):
            name = str(raw).strip()
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        too_long = [name for name in value if len(name) > self.max_length]
        if too_long:
            raise ValidationError(
                f"Keep each tag to {self.max_length} characters or fewer: {Truncator(too_long[0]).chars(40)}"
            )

    def has_changed(self, initial: object, data: object) -> bool:
        return sorted(self.to_python(initial)) != sorted(self.to_python(data))


class TagAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers for tags, with the tag's name as the value.

    Names, not primary keys, so an existing tag the editor picked and a new one they typed reach the form
    alike; a new tag named "2024" could otherwise be mistaken for the tag whose id is 2024.
    """

    def serialize_result(self, obj: Tag, to_field_name: str) -> dict[str, str]:
        return {"id": obj.name, "text": obj.name}

    def has_perm(self, request: HttpRequest, obj: object = None) -> bool:
        # Whoever may write an article may create tags by typing them, so may also see the existing ones.
        article_admin = self.admin_site.get_model_admin(Article)
        return article_admin.has_add_permission(request) or article_admin.has_change_permission(request)


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    min_num = 1
    extra = 0
    verbose_name = "author"
    verbose_name_plural = "byline"

    def get_formset(self, request: HttpRequest, obj: Article | None = None, **kwargs) -> type[BaseInlineFormSet]:
        # An article without an author has no byline to print. min_num alone only sets how many empty rows
        # the form shows; InlineModelAdmin has no validate_min attribute, so it is passed to the factory here.
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs) -> forms.Field | None:
        if db_field.name == "position":
            kwargs["help_text"] = "Order on the byline: lower comes first; equal numbers keep the order added."
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _count_comments(**filters: object) -> Coalesce:
    """An article's comments counted in a subquery rather than a join with GROUP BY: the changelist's
    row counts and date hierarchy then query the articles table alone."""
    counts = (
        Comment.objects.filter(article=OuterRef("pk"), **filters)
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "published_at", "is_live", "byline", "comment_link"]
    list_filter = ["status", "section", "tags", "authors", "published_at"]
    list_select_related = ["section"]
    # An editor pasting "www.inkl.com" means https; Django 6 makes that the default too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["headline", "summary", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["hero_preview", "created_at", "updated_at"]
    inlines = [BylineInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "summary", "body"]}),
        (
            "Image",
            {
                "fields": [
                    "hero_preview",
                    "hero_image",
                    ("hero_focus_x", "hero_focus_y"),
                    "hero_alt",
                    "hero_caption",
                    "hero_credit",
                ]
            },
        ),
        (
            "Source",
            {
                "fields": ["source_name", "source_url"],
                "description": "Only for stories that first appeared elsewhere.",
            },
        ),
        ("Section and tags", {"fields": ["section", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Timestamps", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # Bylines with their authors and the comment counts arrive with the page of articles, so the
        # changelist costs the same number of queries for one row or a hundred.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
            .annotate(
                comment_count=_count_comments(),
                pending_count=_count_comments(status=Comment.Status.PENDING),
            )
        )

    def get_urls(self) -> list[URLPattern]:
        autocomplete = TagAutocompleteJsonView.as_view(admin_site=self.admin_site)
        # Before the inherited routes: their "<path:object_id>/" would otherwise take this address.
        return [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(autocomplete),
                name="articles_article_tag_autocomplete",
            ),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs) -> forms.Field | None:
        if db_field.name == "tags":
            return db_field.formfield(
                form_class=TagNamesField,
                widget=TagAutocompleteWidget(db_field, self.admin_site),
                help_text=TAG_HELP_TEXT,
            )
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 20, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(boolean=True, description="live")
    def is_live(self, obj: Article) -> bool:
        return obj.is_published

    @admin.display(description="byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description="comments", ordering="comment_count")
    def comment_link(self, obj: Article) -> SafeString | str:
        if not obj.comment_count:
            return "0"
        url = reverse("admin:comments_comment_changelist") + "?" + urlencode({"article__id__exact": obj.pk})
        label = f"{obj.comment_count} ({obj.pending_count} pending)" if obj.pending_count else str(obj.comment_count)
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="current image and crop")
    def hero_preview(self, obj: Article) -> SafeString | str:
        return crop_preview(obj, "hero_image", width=PREVIEW_WIDTH, alt=obj.hero_alt)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = publish_articles(queryset)
        message = ngettext("%(count)d article published.", "%(count)d articles published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = unpublish_articles(queryset)
        message = ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
