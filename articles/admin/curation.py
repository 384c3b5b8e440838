"""What editors see of the home page's lead: the list of choices (the latest one counts), and the article
list's action that puts one story on top.

Choosing the lead is an editor's call, like publishing: the permission to publish (articles.publish_article)
is the permission to choose it, so no role needs a permission of its own. A choice is never deleted, since
the list is the record of what led the home page; an editor ends one by giving it an end time, or replaces
it by choosing another story.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, LeadStory
from articles.services import may_publish


@admin.register(LeadStory)
class LeadStoryAdmin(admin.ModelAdmin):
    list_display = ["article", "until", "state", "chosen_by", "chosen_at"]
    list_select_related = ["article", "chosen_by"]
    autocomplete_fields = ["article"]
    fields = ["article", "until", "chosen_by", "chosen_at"]
    readonly_fields = ["chosen_by", "chosen_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_publish(request.user)

    def has_view_permission(self, request: HttpRequest, obj: LeadStory | None = None) -> bool:
        return may_publish(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_publish(request.user)

    def has_change_permission(self, request: HttpRequest, obj: LeadStory | None = None) -> bool:
        return may_publish(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: LeadStory | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: LeadStory | None = None) -> list[str]:
        # A choice made is a record: to lead with another story, choose again; only the end time moves.
        return [*self.readonly_fields, "article"] if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: LeadStory, form, change: bool) -> None:
        if not change:
            obj.chosen_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeadStory]:
        # Whether each row is the latest choice, for the state column: in the list's own query, not one a row.
        latest = LeadStory.objects.order_by("-chosen_at", "-pk").values("pk")[:1]
        is_latest = ExpressionWrapper(Q(pk=Subquery(latest)), output_field=BooleanField())
        return super().get_queryset(request).annotate(is_latest=is_latest)

    @admin.display(description="on the home page")
    def state(self, obj: LeadStory) -> str:
        if not obj.is_latest:
            return "Replaced by a later choice"
        if obj.until is not None and obj.until <= timezone.now():
            return "Ended: the newest story leads"
        if obj.article.is_scheduled:
            return "Leads from its publication time"
        if not obj.article.is_published:
            return "Not published: the newest story leads"
        return "Leads the home page"


@admin.action(description="Lead the home page with the selected story", permissions=["publish"])
def lead_home_page(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Article]) -> None:
    """Put one published or scheduled story on top of the home page, until the editor chooses another
    or sets an end time on the choice (the message links to it)."""
    articles = list(queryset[:2])
    if len(articles) != 1:
        modeladmin.message_user(request, "Select one story to lead the home page.", messages.ERROR)
        return
    choice = LeadStory(article=articles[0], chosen_by=request.user)
    try:
        choice.full_clean()
    except ValidationError as error:
        modeladmin.message_user(request, f"“{articles[0]}”: {' '.join(error.messages)}", messages.ERROR)
        return
    choice.save()
    change_url = reverse("admin:articles_leadstory_change", args=[choice.pk])
    message = format_html(
        '“{}” leads the home page until you choose another story. <a href="{}">Set an end time</a>.',
        choice.article,
        change_url,
    )
    modeladmin.message_user(request, message, messages.SUCCESS)
