"""The article admin's revision history: every save kept, a list of them, a diff of two, and restore.

django-reversion stores the revisions; its VersionAdmin is not used, because its revert deletes rows the
old revision did not have (it would remove correction notes readers have seen) and brings back status
and publication time as well. Here a restore is articles.services.restore_revision, which does neither.
"""

from typing import Any

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from articles.models import Article
from articles.revisions import compare, restore_preview, saved_in, saved_now, versions_of
from articles.services import RestoreRefused, keep_revisions, restore_revision
from newsroom.ids import row_id


class ArticleHistoryMixin:
    """Mixed into ArticleAdmin: keeps a revision of every save made through the admin and serves the history.

    ArticleAdmin.get_urls routes compare_view and restore_view; history_view is the admin's own route.

    A form save and the actions on the changelist each run in one revision block, so the article, its
    byline, tags and any correction note added in the same save become one revision, with the user and
    the admin's own change message.
    """

    object_history_template = "admin/articles/article/object_history.html"

    # Keeping revisions ----------------------------------------------------------------------

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Actions post to the changelist; a GET writes nothing and stays outside any revision block.
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            return super().changelist_view(request, extra_context)

    def log_addition(self, request: HttpRequest, obj: Article, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        keep_revisions([obj.pk], comment=entry.get_change_message() or "Added.", user=request.user)
        return entry

    def log_change(self, request: HttpRequest, obj: Article, message: Any) -> Any:
        # Logged after the form, the byline and the tags are saved, so the revision holds all of them.
        entry = super().log_change(request, obj, message)
        keep_revisions([obj.pk], comment=entry.get_change_message() or "Saved.", user=request.user)
        return entry

    # Views ----------------------------------------------------------------------------------

    def _article_or_redirect(self, request: HttpRequest, object_id: str) -> Article | HttpResponse:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _context(self, request: HttpRequest, article: Article, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "history_url": reverse(f"{self.admin_site.name}:articles_article_history", args=[article.pk]),
            **extra,
        }

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        """Every revision of the article, newest first, with who saved it, when and what changed."""
        article = self._article_or_redirect(request, object_id)
        if isinstance(article, HttpResponse):
            return article
        context = self._context(
            request,
            article,
            f"History: {article}",
            versions=list(versions_of(article)),
            can_restore=self.has_change_permission(request, article),
            compare_url=reverse(f"{self.admin_site.name}:articles_article_compare", args=[article.pk]),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A diff of two revisions of the article, older on the left whichever order they were picked in."""
        article = self._article_or_redirect(request, object_id)
        if isinstance(article, HttpResponse):
            return article
        picked = {row_id(request.GET.get("from")), row_id(request.GET.get("to"))} - {None}
        versions = list(versions_of(article).filter(revision_id__in=picked)) if len(picked) == 2 else []
        if len(versions) != 2:
            messages.error(request, "Pick two different revisions of this article to compare.")
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:articles_article_history", args=[article.pk]))
        newer, older = versions  # versions_of() lists newest first
        changes = compare(saved_in(older.revision, article.pk), saved_in(newer.revision, article.pk))
        context = self._context(
            request, article, f"Compare revisions: {article}", older=older, newer=newer, changes=changes
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int) -> HttpResponse:
        """GET shows what restoring the revision would change; POST restores it, as a new revision."""
        article = self._article_or_redirect(request, object_id)
        if isinstance(article, HttpResponse):
            return article
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(versions_of(article), revision_id=revision_id)
        if request.method == "POST":
            try:
                restore_revision(article=article, revision=version.revision, user=request.user)
            except RestoreRefused as exc:
                messages.error(request, f"Not restored: {exc}")
                return HttpResponseRedirect(request.path)
            messages.success(request, "The earlier version is back. The version it replaced is kept in the history.")
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:articles_article_change", args=[article.pk]))
        changes = restore_preview(saved_now(article), saved_in(version.revision, article.pk))
        context = self._context(
            request, article, f"Restore an earlier version: {article}", version=version, changes=changes
        )
        return TemplateResponse(request, "admin/articles/article/revision_restore.html", context)
