"""What readers are shown beyond the newest-first lists: the home page's lead story and the related stories
under each article. Both start from Article.objects.published(), so a draft, a scheduled story or a withdrawn
one never leads and is never related, and both cost a fixed number of queries whatever the rows.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.query import prefetch_related_objects

from articles.models import Article, LeadStory, TaggedArticle
from articles.models.article import _bylines_prefetch, listing_prefetches

# Under a story: one row of cards on a wide screen, and few enough that each is worth a look.
RELATED_COUNT = 4


def lead_story() -> Article | None:
    """The story on top of the home page: the editor's latest choice while it runs and its story is
    published, else the newest published story. One query, without the card's prefetches.

    Only two rows can qualify (the chosen story and the newest), so ordering them is free; the subqueries
    each read one row from an index.
    """
    chosen = LeadStory.objects.latest_choice().running().values("article_id")
    newest = Article.objects.published().order_by("-published_at", "-pk").values("pk")[:1]
    return (
        Article.objects.published()
        .filter(Q(pk__in=chosen) | Q(pk=Subquery(newest)))
        .with_card_columns()
        .annotate(is_chosen=Exists(chosen.filter(article_id=OuterRef("pk"))))
        .order_by("-is_chosen", "-published_at", "-pk")
        .first()
    )


def home_page(page_number: str | None) -> tuple[Article | None, Page]:
    """The lead story and one page of the latest stories after it, with everything their cards show.

    The lead is left out of every page of the list, so it is never shown twice and the pages do not shift
    when an editor changes the lead. Six queries in all with the section bar: the lead, the count, the
    page, then the bylines and tags of the lead and the page together.
    """
    lead = lead_story()
    latest = Article.objects.published().with_card_columns()
    if lead is not None:
        latest = latest.exclude(pk=lead.pk)
    page = Paginator(latest, settings.ARTICLES_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    prefetch_related_objects([*([lead] if lead else []), *page.object_list], *listing_prefetches())
    return lead, page


def related_articles(article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Up to `count` published stories to read next: those sharing the most tags with `article` first,
    then those in its section, newest first within each; never the article itself.

    `article` comes from for_detail(), whose prefetched tags are read here without a query. Two queries
    (the stories, their bylines), whatever the number of tags or stories; none for an article with
    neither tags nor a section, which has nothing to relate to.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids and article.section_id is None:
        return []
    # Spelt out for the article without tags or without a section, rather than left to how each database
    # treats an empty IN () list.
    tagged = TaggedArticle.objects.filter(tag_id__in=tag_ids)
    with_tags = Q(pk__in=tagged.values("content_object_id"))
    in_section = Q(section_id=article.section_id)
    shared = (
        tagged.filter(content_object_id=OuterRef("pk"))
        .order_by()
        .values("content_object_id")
        .annotate(shared=Count("pk"))
        .values("shared")
    )
    shared_tags = Coalesce(Subquery(shared, output_field=IntegerField()), Value(0))
    same_section = Case(When(in_section, then=Value(1)), default=Value(0))
    if not tag_ids:
        candidates, shared_tags, same_section = in_section, Value(0), Value(1)
    elif article.section_id is None:
        candidates, same_section = with_tags, Value(0)
    else:
        candidates = with_tags | in_section
    related = list(
        Article.objects.published()
        .filter(candidates)
        .exclude(pk=article.pk)
        .with_card_columns()
        .annotate(shared_tags=shared_tags, same_section=same_section)
        .order_by("-shared_tags", "-same_section", "-published_at", "-pk")[:count]
    )
    # Cards show the byline; the tags they do not show are left unfetched.
    prefetch_related_objects(related, _bylines_prefetch())
    return related
