"""What the article change form posts, built from an article as the page would show it to the editor."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form_data(article: Article, **overrides: object) -> dict[str, object]:
    """The change form as the browser submits it untouched, opened now: fields, the version it was opened at
    (the admin refuses a save over a newer one), byline rows and correction rows."""
    article.refresh_from_db()
    published_at = timezone.localtime(article.published_at) if article.published_at else None
    data: dict[str, object] = {
        "headline": article.headline,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "hero_alt": article.hero_alt,
        "hero_caption": article.hero_caption,
        "hero_credit": article.hero_credit,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "original_url": article.original_url,
        "canonical": article.canonical,
        "article_type": article.article_type,
        "section": article.section_id or "",
        "tags": sorted(article.tags.names()),
        "status": article.status,
        "published_at_0": published_at.strftime("%Y-%m-%d") if published_at else "",
        "published_at_1": published_at.strftime("%H:%M:%S") if published_at else "",
        "opened_version": str(article.lock_version),
    }
    bylines = list(article.bylines.order_by("position", "pk"))
    data.update(_management("bylines", len(bylines)))
    for index, byline in enumerate(bylines):
        data.update(
            {
                f"bylines-{index}-id": byline.pk,
                f"bylines-{index}-article": article.pk,
                f"bylines-{index}-author": byline.author_id,
                f"bylines-{index}-position": byline.position,
            }
        )
    notes = list(article.corrections.all())
    data.update(_management("corrections", len(notes)))
    for index, note in enumerate(notes):
        data.update({f"corrections-{index}-id": note.pk, f"corrections-{index}-article": article.pk})
    data.update(overrides)
    return data


def with_new_note(data: dict[str, object], kind: str, text: str) -> dict[str, object]:
    """The form after the editor clicked "Add another correction or update" and filled the new row in."""
    index = int(data["corrections-TOTAL_FORMS"])
    return {
        **data,
        "corrections-TOTAL_FORMS": str(index + 1),
        f"corrections-{index}-kind": kind,
        f"corrections-{index}-text": text,
    }


def _management(prefix: str, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(initial),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
