"""Sitemaps: every article, section, tag and author page a reader can reach, the corrections page, and the
Google News sitemap of the newest stories. Each starts from Article.objects.published(), so a draft, a scheduled
story or a withdrawn one is in none of them.

The author sitemap lives here rather than in authors/: an author's page is listed, and dated, by their
published articles, and authors/ sits below articles/ and may not import Article.
"""

from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Correction, Section
from authors.models import Author
from newsroom.publication import current_publication

# Google's rules for a news sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/
# news-sitemap, "Guidelines"): list only articles published in the last two days, and at most 1,000
# <news:news> entries in one sitemap. The site's own sitemaps list older stories.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_ARTICLES = 1000


def canonical_elsewhere() -> Q:
    """Syndicated copies whose editor made the original's address canonical: a sitemap lists canonical addresses
    only, and Google News credits the original, so they are left out of both."""
    return Q(canonical=Article.Canonical.ORIGINAL) & ~Q(original_url="")


class ArticleSitemap(Sitemap):
    """Every published story, oldest first, so a page of 50,000 (Sitemap.limit, the protocol's maximum)
    keeps its contents as new stories arrive at the end and only the last page changes."""

    def items(self) -> QuerySet[Article]:
        return (
            Article.objects.published()
            .exclude(canonical_elsewhere())
            # An edit moves updated_at, and so does a correction note (articles.services.append_correction);
            # a scheduled story's time arriving saves nothing, so its publication time counts too.
            .annotate(last_changed=Greatest("updated_at", "published_at"))
            .only("slug")
            .order_by("published_at", "pk")
        )

    def lastmod(self, article: Article) -> datetime:
        return article.last_changed

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default calls lastmod() on every item: one aggregate instead of reading every story.
        return self.items().aggregate(latest=Max("last_changed"))["latest"]


class _ListingSitemap(Sitemap):
    """Listing pages (a section, a tag, an author) that show at least one published story, dated by the
    newest of them: the page changes when a story arrives on it."""

    model: type[Model]
    # How an article names the listed object, as a lookup: "section", "tags", "authors".
    article_lookup: str

    def items(self) -> QuerySet:
        newest = (
            Article.objects.published()
            .filter(**{self.article_lookup: OuterRef("pk")})
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        # A subquery in the same SELECT, so the date costs no query per row; a listing without a
        # published story has no date and is left out: its page would be empty.
        return (
            self.model._default_manager.annotate(newest_published_at=Subquery(newest))
            .filter(newest_published_at__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, obj: Model) -> datetime:
        return obj.newest_published_at

    def get_latest_lastmod(self) -> datetime | None:
        published = Article.objects.published().filter(**{f"{self.article_lookup}__isnull": False})
        return published.aggregate(latest=Max("published_at"))["latest"]


class SectionSitemap(_ListingSitemap):
    model, article_lookup = Section, "section"


class TagSitemap(_ListingSitemap):
    model, article_lookup = Tag, "tags"

    def location(self, tag: Tag) -> str:
        # taggit's Tag has no get_absolute_url; the tag page is this app's.
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(_ListingSitemap):
    model, article_lookup = Author, "authors"


class NewsSitemap(Sitemap):
    """The Google News sitemap: stories published within NEWS_WINDOW, newest first, at most NEWS_MAX_ARTICLES.

    One page only: the items are already cut to the cap, so ?p=2 is empty and answers 404.
    """

    limit = NEWS_MAX_ARTICLES

    def items(self) -> QuerySet[Article]:
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .exclude(canonical_elsewhere())
            .only("slug", "headline", "published_at")
            .order_by("-published_at", "-pk")[:NEWS_MAX_ARTICLES]
        )


class CorrectionsSitemap(Sitemap):
    """The corrections page, dated by its newest note; left out while no published story has a note, as an
    empty page is. One query, shared by the index's date and its page count through the instance (the
    sitemap views make one per request)."""

    def items(self) -> list[datetime]:
        if not hasattr(self, "_newest"):
            self._newest = Correction.objects.public().aggregate(newest=Max("created_at"))["newest"]
        return [] if self._newest is None else [self._newest]

    def location(self, newest: datetime) -> str:
        return reverse("articles:corrections")

    def lastmod(self, newest: datetime) -> datetime:
        return newest

    def get_latest_lastmod(self) -> datetime | None:
        return next(iter(self.items()), None)


# The sections of sitemap.xml, by the name each has in its address (/sitemap-articles.xml).
SITEMAPS: dict[str, type[Sitemap]] = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "corrections": CorrectionsSitemap,
}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """/news-sitemap.xml: Django's sitemap view with the news template, which names the publication."""
    response = sitemap_views.sitemap(request, {"news": NewsSitemap}, template_name="articles/news_sitemap.xml")
    publication = current_publication()
    # The response is rendered after the view returns, so the template still sees what is added here.
    response.context_data.update(publication=publication, news_language=news_language(publication.language))
    return response


# Google's two exceptions to the ISO 639 rule, and the script subtags that name the same two writings.
_CHINESE = {"zh-cn": "zh-cn", "zh-tw": "zh-tw", "zh-hans": "zh-cn", "zh-hant": "zh-tw"}


def news_language(code: str) -> str:
    """The <news:language> for a language tag: Google takes the ISO 639 code alone ("en", not "en-gb"),
    except "zh-cn" and "zh-tw", which tell Simplified and Traditional Chinese apart."""
    code = code.strip().lower().replace("_", "-")
    return _CHINESE.get(code) or code.split("-")[0]
