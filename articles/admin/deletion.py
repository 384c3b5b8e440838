"""Deleting articles from the admin: the confirmation page and the delete itself, for one article or the
"Delete selected" action.

The rows that exist only as part of an article (its comments, byline, tags, corrections, old addresses and
status steps: every foreign key to Article with CASCADE) go with it, so the permission to delete the
article is the permission to delete them. Django's admin would also ask for each one's own delete
permission, which CommentAdmin never gives (a comment is not deleted on its own), and so refused every
article with a comment, even to a superuser.
"""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.models import Article
from articles.services import delete_articles


def parts_of_an_article() -> set[str]:
    """Verbose names of the models whose rows are deleted with their article, as the admin names them."""
    return {
        str(relation.related_model._meta.verbose_name)
        for relation in Article._meta.related_objects
        if relation.on_delete is models.CASCADE
    }


class ArticleDeletionMixin:
    """Mixed into ArticleAdmin. Who may delete an article at all is still has_delete_permission's call
    (articles.delete_article: editors, not writers)."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[list, dict, set, list]:
        deleted_objects, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted_objects, model_count, perms_needed - parts_of_an_article(), protected

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        delete_articles(Article.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        delete_articles(queryset)
