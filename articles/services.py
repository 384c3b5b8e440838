"""Writes with rules on articles, shared by the admin and commands."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article


@transaction.atomic
def publish_articles(articles: QuerySet[Article]) -> int:
    """Publish the given articles and return how many changed status.

    Follows Article.save(): an article without a publication time gets now, one with a future time stays
    scheduled. updated_at is left alone: readers' "updated" note is about the words, not the status.
    """
    changed = articles.exclude(status=Article.Status.PUBLISHED).update(status=Article.Status.PUBLISHED)
    articles.filter(status=Article.Status.PUBLISHED, published_at__isnull=True).update(published_at=timezone.now())
    return changed


def unpublish_articles(articles: QuerySet[Article]) -> int:
    """Turn the given articles back into drafts, keeping their publication time for when they return."""
    return articles.filter(status=Article.Status.PUBLISHED).update(status=Article.Status.DRAFT)
