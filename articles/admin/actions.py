"""The article list's workflow actions: publish, unpublish, withdraw and submit for review.

Each calls the workflow's service per article, so an article that is refused is named with the reasons and
the others go ahead. Which actions a user is offered follows their permissions (`permissions=` below, and
has_publish_permission); a forced post of one not offered is refused by Django before it runs.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from articles.models import Article
from articles.services import may_publish, publish_article, submit_for_review, unpublish_article, withdraw_articles


class WithdrawForm(forms.Form):
    notice = forms.CharField(
        label="Notice for readers",
        max_length=Article._meta.get_field("withdrawal_note").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=(
            "Shown at the article's address, which answers 410 Gone. For example: This article has been "
            "withdrawn because it did not meet our editorial standards."
        ),
    )


class ArticleActionsMixin:
    """Mixed into ArticleAdmin, whose `actions` names these methods."""

    def has_publish_permission(self, request: HttpRequest) -> bool:
        """What `permissions=["publish"]` asks: editors only, so a writer's list never offers these."""
        return may_publish(request.user)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        articles = queryset.exclude(status=Article.Status.PUBLISHED)
        count = self._take_step(request, articles, publish_article, "not published")
        message = ngettext("%(count)d article published.", "%(count)d articles published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        articles = queryset.filter(status=Article.Status.PUBLISHED)
        count = self._take_step(request, articles, unpublish_article, "not unpublished")
        message = ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Withdraw selected articles (their address answers 410 Gone)", permissions=["publish"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Article]) -> TemplateResponse | None:
        """Asks for the notice readers will see first, on a page of its own, as Django's delete action does."""
        form = WithdrawForm(request.POST if "withdraw_confirmed" in request.POST else None)
        if form.is_valid():
            selected = queryset.count()
            count = withdraw_articles(queryset, notice=form.cleaned_data["notice"], by=request.user)
            message = ngettext("%(count)d article withdrawn.", "%(count)d articles withdrawn.", count)
            message %= {"count": count}
            if selected > count:
                message += " Articles that were not live were left as they are: there is nothing to withdraw."
            self.message_user(request, message, messages.SUCCESS if count else messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Withdraw articles",
            "subtitle": None,
            "opts": self.opts,
            "articles": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/withdraw_confirmation.html", context)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        articles = queryset.filter(status=Article.Status.DRAFT)
        count = self._take_step(request, articles, submit_for_review, "not submitted")
        message = ngettext("%(count)d article submitted for review.", "%(count)d articles submitted for review.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _take_step(
        self,
        request: HttpRequest,
        articles: QuerySet[Article],
        service: Callable[..., Article],
        refusal: str,
    ) -> int:
        """Run a workflow service on each article; one that is refused is named with the reasons, and the
        others go ahead, each in its own transaction."""
        done = 0
        # The workflow's emails link to the story on the host the editor uses, which ALLOWED_HOSTS has vetted.
        site_url = request.build_absolute_uri("/")
        for article in articles:
            try:
                service(article, by=request.user, site_url=site_url)
            except ValidationError as error:
                reasons = " ".join(error.messages)
                self.message_user(request, f"“{article}” was {refusal}: {reasons}", messages.WARNING)
            else:
                done += 1
        return done
