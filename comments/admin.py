"""The moderation queue, pending first with the rule that held each comment, and the moderation settings."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, OrderBy, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import ngettext

from articles.models import Article
from comments.models import Comment, ModerationSettings, fingerprint
from comments.services import mark_spam_and_block, moderate_comments
from newsroom.admin_site import IndexNote
from newsroom.ids import row_id

# About one line of the changelist: enough to spot spam without opening the comment.
EXCERPT_LENGTH = 80
# The queue counts its comments up to this many, then says "more than": a million comments took the count
# a second or more on every view, and no moderator pages through more than a hundred pages of a hundred.
COUNT_CAP = 10_000
# The queue's default order: pending comments first, then everything else, each newest first.
PENDING_FIRST = OrderBy(Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1)))


class QueuePaginator(Paginator):
    """The moderation queue's pages at a million comments: a count that stops at COUNT_CAP, and the
    pending-first order read as two index walks (pending comments, then the others, each newest first),
    since ordering by the CASE itself makes the database sort every comment on every view.

    A moderator who sorts by a column gets that order through the ordinary paging."""

    def __init__(self, object_list: QuerySet[Comment], *args, **kwargs) -> None:
        super().__init__(object_list, *args, **kwargs)
        ordering = list(object_list.query.order_by)
        self.pending_first = bool(ordering) and ordering[0] == PENDING_FIRST
        self.newest_first = object_list.order_by(*ordering[1:]) if self.pending_first else object_list

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        """More comments than were counted: the last page is COUNT_CAP's, and the list says "more than"."""
        return self.count > COUNT_CAP

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else -(-COUNT_CAP // self.per_page)

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, COUNT_CAP)
        if not self.pending_first:
            return self._get_page(self.object_list[bottom:top], number, self)
        pending = self.newest_first.filter(status=Comment.Status.PENDING)
        rows = list(pending[bottom:top])
        if len(rows) < top - bottom:
            # The page reaches past the pending comments: the others follow, from where pending ones end.
            waiting = bottom + len(rows) if rows or bottom == 0 else pending.count()
            others = self.newest_first.exclude(status=Comment.Status.PENDING)
            rows += others[max(bottom - waiting, 0) : top - waiting]
        return self._get_page(rows, number, self)


class ArticleFilter(admin.SimpleListFilter):
    """Articles with comments waiting, plus the one already chosen.

    Listing every article that ever had a comment would bury the sidebar; the link from the article
    changelist uses the same parameter, so any article can still be chosen from there.
    """

    title = "article"
    parameter_name = "article__id__exact"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        waiting = Article.objects.filter(comments__status=Comment.Status.PENDING)
        chosen = row_id(self.value())
        if chosen is not None:
            waiting = waiting | Article.objects.filter(pk=chosen)
        rows = waiting.distinct().order_by("-published_at", "-pk").values_list("pk", "headline")
        return [(str(pk), headline) for pk, headline in rows]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        value = self.value()
        if not value:
            return queryset
        # Django's changelist turns only this error into "start again"; anything else would be a server error.
        article_id = row_id(value)
        if article_id is None:
            raise IncorrectLookupParameters(f"No article has the id {value!r}.")
        return queryset.filter(article_id=article_id)


class CommentAdminForm(forms.ModelForm):
    def clean(self) -> dict:
        # The database refuses a second comment with the same words from the same address on a story;
        # an edit that would make one is refused here, as a form error rather than a failed save.
        cleaned = super().clean()
        email, body = cleaned.get("email"), cleaned.get("body")
        if email and body:
            same = Comment.objects.filter(article_id=self.instance.article_id, fingerprint=fingerprint(email, body))
            if same.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("This reader already has a comment with these words on this story.")
        return cleaned


def _site_url(request: HttpRequest) -> str:
    # Links in reply emails point at the host the moderator uses, which ALLOWED_HOSTS has vetted.
    return request.build_absolute_uri("/")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    # Short columns and headers, so the queue fits a 1280 px laptop beside the sidebars
    # (tests/test_admin_layout.py): the reader's name and address share one column.
    list_display = ["excerpt", "reader", "article_link", "status", "held_by_rule", "created", "ip"]
    list_filter = ["status", "created_at", ArticleFilter]
    list_select_related = ["article"]
    paginator = QueuePaginator
    # "N total" would count every comment a second time on each view (see QueuePaginator).
    show_full_result_count = False
    search_fields = ["name", "email", "body", "ip_address"]
    fields = [
        "article_link",
        "parent_link",
        "name",
        "email",
        "body",
        "status",
        "held_by_rule",
        "created_at",
        "ip_address",
        "user_agent",
        "notify_replies",
    ]
    readonly_fields = [
        "article_link",
        "parent_link",
        "held_by_rule",
        "created_at",
        "ip_address",
        "user_agent",
        "notify_replies",
    ]
    actions = ["approve", "mark_spam", "mark_spam_block_email", "mark_spam_block_ip", "remove"]

    class Media:
        css = {"all": ["admin-extra/changelist.css", "admin-extra/comments.css"]}

    def get_ordering(self, request: HttpRequest) -> list:
        # The queue's work first (QueuePaginator reads this order from two indexes).
        return [PENDING_FIRST, "-created_at", "-pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers through comments.services.post_comment, which screens each one;
        # one typed in here would skip that and carry no reader's address.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        # Moderation hides a comment instead, so a slip can be undone; only purge_comments deletes,
        # and only spam and removed comments past a given age.
        return False

    def index_note(self, request: HttpRequest) -> IndexNote | None:
        """Shown beside "Comments" on the admin index (newsroom.admin_site.NewsroomAdminSite), linking to them."""
        pending = Comment.objects.pending().count()
        return IndexNote(f"{pending} pending", {"status__exact": Comment.Status.PENDING}) if pending else None

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        # A status changed on the form goes through the same service as the bulk actions, so an
        # approved reply is announced to the reader it answers in both cases.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if obj.status != new_status:
            moderate_comments(Comment.objects.filter(pk=obj.pk), status=new_status, site_url=_site_url(request))
            obj.status = new_status

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(EXCERPT_LENGTH)

    @admin.display(description="reader", ordering="name")
    def reader(self, obj: Comment) -> SafeString:
        return format_html('{}<br><span class="reader-email">{}</span>', obj.name, obj.email)

    @admin.display(description="created", ordering="created_at")
    def created(self, obj: Comment) -> str:
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description="IP", ordering="ip_address")
    def ip(self, obj: Comment) -> str:
        return obj.ip_address or "—"

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, obj: Comment) -> SafeString:
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.headline)

    @admin.display(description="in reply to")
    def parent_link(self, obj: Comment) -> SafeString | str:
        if obj.parent_id is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.parent_id])
        return format_html('<a href="{}">{}</a>', url, obj.parent)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.APPROVED, site_url=_site_url(request))
        message = ngettext("%(count)d comment approved.", "%(count)d comments approved.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.SPAM)
        message = ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Mark as spam and block their email addresses", permissions=["change"])
    def mark_spam_block_email(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._spam_and_block(request, queryset, "email", "email address")

    @admin.action(description="Mark as spam and block their IP addresses", permissions=["change"])
    def mark_spam_block_ip(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._spam_and_block(request, queryset, "ip_address", "IP address")

    def _spam_and_block(self, request: HttpRequest, queryset: QuerySet[Comment], field: str, what: str) -> None:
        # Blocking edits the moderation settings, so it needs that permission as well as this one.
        if not request.user.has_perm("comments.change_moderationsettings"):
            self.message_user(
                request, f"You may not change the moderation settings, so no {what} was blocked.", messages.ERROR
            )
            return
        count, blocked = mark_spam_and_block(queryset, field=field)
        message = ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
        if blocked:
            self.message_user(request, f"Blocked from now on: {', '.join(blocked)}.", messages.SUCCESS)
        else:
            self.message_user(request, f"Every {what} of these comments was already blocked.", messages.INFO)

    @admin.action(description="Remove selected comments (hidden, not deleted)", permissions=["change"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.REMOVED)
        message = ngettext("%(count)d comment removed.", "%(count)d comments removed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """The one row of rules, edited like WordPress's discussion settings: the list goes straight to it."""

    fieldsets = [
        (None, {"fields": ["mode", "auto_approve_known_authors"]}),
        (
            "Hold for moderation",
            {
                "fields": ["max_links", "moderation_words"],
                "description": "A comment that matches waits for a moderator, who sees which rule held it.",
            },
        ),
        (
            "Send to spam",
            {
                "fields": ["blocked_words", "blocked_emails", "blocked_ips"],
                "description": "A comment that matches goes to spam; the sender is told it awaits moderation. "
                "“Mark as spam and block” in the comment list adds to these lists.",
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ModerationSettings | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings_row = ModerationSettings.load()
        url = reverse("admin:comments_moderationsettings_change", args=[settings_row.pk])
        return HttpResponseRedirect(url)
