"""The moderation queue: readers' comments, pending first, with bulk actions that never delete."""

from django.contrib import admin, messages
from django.db.models import Case, OrderBy, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import ngettext

from articles.models import Article
from comments.models import Comment
from comments.services import moderate_comments

# About one line of the changelist: enough to spot spam without opening the comment.
EXCERPT_LENGTH = 80


class ArticleFilter(admin.SimpleListFilter):
    """Articles with comments waiting, plus the one already chosen.

    Listing every article that ever had a comment would bury the sidebar; the link from the article
    changelist uses the same parameter, so any article can still be chosen from there.
    """

    title = "article"
    parameter_name = "article__id__exact"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        waiting = Article.objects.filter(comments__status=Comment.Status.PENDING)
        chosen = self.value()
        if chosen and chosen.isdigit():
            waiting = waiting | Article.objects.filter(pk=chosen)
        rows = waiting.distinct().order_by("-published_at", "-pk").values_list("pk", "headline")
        return [(str(pk), headline) for pk, headline in rows]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value():
            return queryset.filter(article_id=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "article_link", "status", "created_at", "ip_address"]
    list_filter = ["status", "created_at", ArticleFilter]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body", "ip_address"]
    fields = ["article_link", "name", "email", "body", "status", "created_at", "ip_address", "user_agent"]
    readonly_fields = ["article_link", "created_at", "ip_address", "user_agent"]
    actions = ["approve", "mark_spam", "remove"]

    class Media:
        css = {"all": ["admin-extra/comments.css"]}

    def get_ordering(self, request: HttpRequest) -> list:
        # The queue's work first: pending comments, then everything else, each newest first.
        pending_first = Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1))
        return [OrderBy(pending_first), "-created_at", "-pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers through comments.services.post_comment, which holds each one for
        # moderation; one typed in here would skip that and carry no reader's address.
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        # Moderation hides a comment instead; a bulk delete next to "remove" would make a slip permanent.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(EXCERPT_LENGTH)

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, obj: Comment) -> SafeString:
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.headline)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.APPROVED)
        message = ngettext("%(count)d comment approved.", "%(count)d comments approved.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.SPAM)
        message = ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Remove selected comments (hidden, not deleted)", permissions=["change"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate_comments(queryset, status=Comment.Status.REMOVED)
        message = ngettext("%(count)d comment removed.", "%(count)d comments removed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
