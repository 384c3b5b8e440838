"""What editors see of articles: the article list and form with its byline, status steps, corrections and
previews. Beside it in this package: the form's rules (forms.py), the tags field (widgets.py), the list's
workflow actions (actions.py) and filters (filters.py), the revision history views (history.py), the
byline and correction inlines (inlines.py), and deleting an article with its comments (deletion.py).

Writers and editors share one article admin. Editors (with articles.publish_article) see every article and
take every step of the workflow; writers see the articles they created or are on the byline of, edit them
until they are published, and can submit them for review but not publish. What a writer cannot do is not
offered to them, and is refused when forced: the status field only accepts the steps they may take, and the
services check the permission again.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import smart_split, unescape_string_literal

from articles.admin.actions import ArticleActionsMixin
from articles.admin.curation import lead_home_page
from articles.admin.deletion import ArticleDeletionMixin
from articles.admin.filters import ArticleChangeList, AuthorFilter, MyDraftsFilter, TagFilter
from articles.admin.forms import ArticleAdminForm
from articles.admin.history import ArticleHistoryMixin
from articles.admin.inlines import BylineInline, CorrectionInline
from articles.admin.widgets import TAG_HELP_TEXT, TagAutocompleteJsonView, TagAutocompleteWidget, TagNamesField
from articles.models import Article, Byline, Correction
from articles.preview import preview_link_expiry, preview_link_path
from articles.rich_text import BodyEditorWidget
from articles.services import append_correction, may_publish, move_article, save_article
from authors.models import Author
from images.preview import crop_preview
from newsroom.admin_site import IndexNote
from newsroom.templatetags.machine_time import machine_datetime

# Wide enough to judge the crop, small enough to leave the form fields in view.
PREVIEW_WIDTH = 480


@admin.register(Article)
class ArticleAdmin(ArticleActionsMixin, ArticleHistoryMixin, ArticleDeletionMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    # Few, short columns, so the list fits a 1280 px laptop beside the sidebars (tests/test_admin_layout.py);
    # the status column carries the publication time, and says whether a story is live or scheduled.
    list_display = ["headline", "section", "workflow_status", "byline", "comment_link"]
    list_filter = [MyDraftsFilter, "status", "article_type", "section", AuthorFilter, TagFilter, "published_at"]
    list_select_related = ["section"]
    # Counting every article again for "N total" costs a second full count on each page of a large list,
    # and "Show counts" would count every choice of every filter across the whole table.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # An editor pasting "www.inkl.com" means https; Django 6 makes that the default too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["headline", "summary", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "hero_preview",
        "status_history",
        "created_by",
        "created_at",
        "updated_at",
        "preview_links",
        "withdrawn_at",
        "withdrawal_note",
    ]
    inlines = [BylineInline]
    actions = ["publish", "unpublish", "submit", "withdraw", lead_home_page]
    fieldsets = [
        # The byline inline is rendered between these two (templates/admin/articles/article/change_form.html).
        (None, {"fields": ["headline", "slug"]}),
        (None, {"fields": ["summary", "body"]}),
        (
            "Image",
            {
                "fields": [
                    "hero_preview",
                    "hero_image",
                    ("held_hero_image", "forget_held_hero_image"),
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
                "fields": ["source_name", "source_url", "original_url", "canonical"],
                "description": "Only for stories that first appeared elsewhere: who published it first, the "
                "address of their article, and which address search engines should list.",
            },
        ),
        ("Type, section and tags", {"fields": ["article_type", "section", "tags"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "is_closed_for_comments", "status_history", "opened_version"],
                "description": (
                    "A draft may be saved unfinished. Publishing needs an author on the byline, a headline of up "
                    "to 70 characters, a summary of up to 400, and a body. A publication time in the future "
                    "schedules the article."
                ),
            },
        ),
        ("Preview", {"fields": ["preview_links"]}),
        (
            "Withdrawal",
            {
                "fields": ["withdrawn_at", "withdrawal_note"],
                "classes": ["collapse"],
                "description": "Set by the “Withdraw” action on the article list; publishing again clears it.",
            },
        ),
        ("Timestamps", {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @property
    def media(self) -> forms.Media:
        # The list's author and tag filters use the admin's autocomplete widget and submit on choice.
        # One list, so the filter script stays after jQuery and select2 (Media orders files only relative to
        # those declared in the same list).
        autocomplete = AutocompleteSelect(Article._meta.get_field("authors"), self.admin_site).media
        return (
            super().media
            + forms.Media(js=[*autocomplete._js, "admin-extra/autocomplete-filter.js"], css=autocomplete._css)
            + forms.Media(css={"all": ["admin-extra/changelist.css", "admin-extra/articles.css"]})
        )

    def view_on_site(self, obj: Article) -> str:
        """A story readers cannot see yet (draft, in review, scheduled) opens in its preview, not a 404."""
        return obj.get_absolute_url() if obj.is_published else reverse("articles:preview", args=[obj.pk])

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # Bylines with their authors arrive with the page of articles, and ArticleChangeList adds the comment
        # counts, so the changelist costs the same number of queries for one row or a hundred.
        # A writer's list, change pages and actions reach only their own articles; anyone else's answers as
        # if it did not exist. The preview address follows the same rule.
        return (
            super()
            .get_queryset(request)
            .for_staff(request.user)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_list_display(self, request: HttpRequest) -> list[str]:
        # The comment counts link to the moderation queue; without access to it the column would only lead
        # to a refusal.
        if request.user.has_perm("comments.view_comment"):
            return self.list_display
        return [name for name in self.list_display if name != "comment_link"]

    def index_note(self, request: HttpRequest) -> IndexNote | None:
        """Stories waiting for an editor, beside "Articles" on the admin index; only editors act on them."""
        if not may_publish(request.user):
            return None
        waiting = Article.objects.filter(status=Article.Status.IN_REVIEW).count()
        return IndexNote(f"{waiting} in review", {"status__exact": Article.Status.IN_REVIEW}) if waiting else None

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ArticleChangeList]:
        return ArticleChangeList

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Article], search_term: str
    ) -> tuple[QuerySet[Article], bool]:
        """Articles whose headline, summary or a byline author's name contains each word searched for.

        The authors are matched through a list of article ids rather than a join, so no article is listed
        twice and the list needs no DISTINCT; with DISTINCT each of the list's queries sorted the whole
        table (scripts/changelist_volume.py).
        """
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            by_author = Byline.objects.filter(author__name__icontains=word).order_by().values("article_id")
            queryset = queryset.filter(Q(headline__icontains=word) | Q(summary__icontains=word) | Q(pk__in=by_author))
        return queryset, False

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # Writers edit their own articles until an editor publishes them; after that they may only look.
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_publish(request.user) or obj.status != Article.Status.PUBLISHED

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_publish(request.user):
            # When an article reaches readers is the editor's call, made on publishing.
            readonly.append("published_at")
        return readonly

    def get_form(self, request: HttpRequest, obj: Article | None = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Article, inline: admin.options.InlineModelAdmin, prefix: str
    ) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            # A writer's new article starts with their own byline.
            author = Author.objects.filter(user=request.user).first()
            if author is not None:
                kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    def save_model(self, request: HttpRequest, obj: Article, form: ArticleAdminForm, change: bool) -> None:
        # The status field is a request to take a workflow step, which the services take and record, so the
        # save itself keeps the status the article had; the step follows in save_related.
        form.status_wanted = obj.status
        obj.status = form.status_before
        save_article(obj, by=request.user)
        transaction.on_commit(form.release_held_picture)

    def save_related(
        self, request: HttpRequest, form: ArticleAdminForm, formsets: list[BaseInlineFormSet], change: bool
    ) -> None:
        # The workflow step comes after the byline rows are saved, because publishing checks the byline.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if form.status_wanted != obj.status:
            move_article(obj, to=form.status_wanted, by=request.user, site_url=request.build_absolute_uri("/"))
            if obj.is_scheduled:
                when = date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
                # The time does not end the sentence: a format ending in "a.m." would get a second full stop.
                self.message_user(request, f"“{obj}” is scheduled for {when}; readers see it from then.", messages.INFO)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Article | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            # A refused save: the browser will not send the chosen picture again, so the form holds it.
            context["adminform"].form.keep_chosen_picture()
        # A refused save has put the typed values on `obj`; the page's title and breadcrumbs name the
        # article as it is saved, not the headline that was just refused.
        if change and obj is not None and request.method == "POST":
            saved = Article.objects.filter(pk=obj.pk).first()
            if saved is not None:
                context["subtitle"], context["original"] = str(saved), saved
        # Errors of the byline, which sits in the form's first part, are repeated at the top in words.
        context["byline_errors"] = [
            error
            for inline_formset in context.get("inline_admin_formsets", [])
            if isinstance(inline_formset.opts, BylineInline)
            for error in inline_formset.formset.non_form_errors()
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Article | None:
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            # Absolute, so it can be pasted into a message to a colleague; only the request knows the host.
            article.preview_share_url = request.build_absolute_uri(preview_link_path(article))
        return article

    def get_inlines(self, request: HttpRequest, obj: Article | None) -> list:
        # A correction is for a story readers have seen, so a new article's form has no place for one.
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, CorrectionInline] if obj is not None else inlines

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not Correction:
            super().save_formset(request, form, formset, change)
            return
        # Only new notes reach here (saved ones are read-only); the service also moves "updated".
        for note in formset.save(commit=False):
            append_correction(article=form.instance, kind=note.kind, text=note.text, user=request.user)

    def response_add(self, request: HttpRequest, obj: Article, post_url_continue: str | None = None) -> HttpResponse:
        if "_preview" in request.POST:
            return self._open_preview(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        if "_preview" in request.POST:
            return self._open_preview(request, obj)
        return super().response_change(request, obj)

    def _open_preview(self, request: HttpRequest, obj: Article) -> HttpResponse:
        """After "Save and preview": the story as readers will see it, by primary key so a new slug holds."""
        self.message_user(request, f"“{obj}” was saved. This is how readers will see it.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))

    def get_urls(self) -> list[URLPattern]:
        """Every route the article admin adds to Django's: the tags field's autocomplete and the history's
        compare and restore views (history.py)."""
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        autocomplete = TagAutocompleteJsonView.as_view(admin_site=self.admin_site)
        # Before the inherited routes, whose "<path:object_id>/" would otherwise take these addresses.
        return [
            path("tag-autocomplete/", wrap(autocomplete), name=f"{info}_tag_autocomplete"),
            path("<path:object_id>/history/compare/", wrap(self.compare_view), name=f"{info}_compare"),
            path(
                "<path:object_id>/history/<row_id:revision_id>/restore/",
                wrap(self.restore_view),
                name=f"{info}_restore",
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
            kwargs["widget"] = BodyEditorWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="status", ordering="published_at")
    def workflow_status(self, obj: Article) -> str:
        """The status with the publication time, one column for both. Sorted by the time: the sidebar's
        status filter already groups by status."""
        if obj.published_at is None:
            return obj.get_status_display()
        when = date_format(timezone.localtime(obj.published_at), "SHORT_DATETIME_FORMAT")
        if obj.is_scheduled:
            return f"Scheduled for {when}"
        if obj.status == Article.Status.PUBLISHED:
            return f"Published {when}"
        return obj.get_status_display()

    @admin.display(description="byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description="comments")
    def comment_link(self, obj: Article) -> SafeString | str:
        """The comments readers see, with those waiting for a moderator apart; spam is in neither."""
        if not (obj.comment_count or obj.pending_count):
            return "0"
        url = reverse("admin:comments_comment_changelist") + "?" + urlencode({"article__id__exact": obj.pk})
        label = f"{obj.comment_count} ({obj.pending_count} pending)" if obj.pending_count else str(obj.comment_count)
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="current image and crop")
    def hero_preview(self, obj: Article) -> SafeString | str:
        return crop_preview(obj, "hero_image", width=PREVIEW_WIDTH, alt=obj.hero_alt)

    @admin.display(description="preview")
    def preview_links(self, obj: Article) -> SafeString | str:
        if obj.pk is None:
            return "Save the article to preview it; “Save and preview” does both."
        share_url = getattr(obj, "preview_share_url", "")
        expires_at = timezone.localtime(preview_link_expiry())
        return format_html(
            '<a href="{}">Open the preview</a> (staff only).<br>'
            'For a colleague without a login, send this link; it works until <time datetime="{}">{}</time>:<br>'
            '<a href="{}">{}</a>',
            reverse("articles:preview", args=[obj.pk]),
            machine_datetime(expires_at),
            date_format(expires_at, "DATETIME_FORMAT"),
            share_url,
            share_url,
        )

    @admin.display(description="history")
    def status_history(self, obj: Article) -> SafeString | str:
        """Every workflow step the article has taken, oldest first, with who took it and when."""
        if obj.pk is None:
            return "Not saved yet."
        steps = obj.status_changes.select_related("by")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(step.at), "DATETIME_FORMAT"),
                    step.get_from_status_display(),
                    step.get_to_status_display(),
                    step.by.get_username() if step.by else "(deleted user)",
                )
                for step in steps
            ),
        )
        if not rows:
            return "No status changes yet."
        return format_html(
            '<table class="status-history"><thead><tr><th>When</th><th>Step</th><th>By</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )
