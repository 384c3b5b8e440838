"""What the articles app tells the page cache (newsroom/pagecache.py, newsroom/surrogate.py): the surrogate keys
of the pages it makes, when a listing changes by itself, and which pages a change of its rows purges.

Purges follow the rows, not the admin: signals cover every save and delete (the admin, its bulk actions, the
commands, the importer), and the services whose `QuerySet.update()` sends no signal (a workflow step, a
withdrawal, a restored byline) call `purge_articles` themselves. Keys are worked out after the commit, from
the committed rows, so a purge costs the editor's request no query and a reader's none at all.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min, Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.http import HttpRequest
from taggit.models import Tag

from articles.models import Article, Byline, Correction, LeadStory, Section, TaggedArticle
from newsroom import surrogate

# Fields whose change moves a story onto or off a listing, or within it.
_LISTED_BY = ("status", "published_at", "section_id")


# The keys of the pages this app makes ------------------------------------------------------------------------


def article_page(request: HttpRequest, article: Article) -> None:
    """The article page shows the story, its section, tags and authors, and its comments (keyed by the story).
    It changes by itself when comments close."""
    surrogate.tag(request, *surrogate.story_keys([article], tags=True))
    surrogate.ends_by(request, lambda began: comments_close_at(article))


def home_page(request: HttpRequest, lead: Article | None, latest: Iterable[Article]) -> None:
    """The home page: a listing of every story, led by the editor's choice (LEAD), which ends by itself at the
    choice's "lead until" time."""
    surrogate.listing_page(request, surrogate.LIST_ALL, Article.objects.all(), [*([lead] if lead else []), *latest])
    surrogate.tag(request, surrogate.LEAD)
    surrogate.ends_by(request, _lead_ends)


def _lead_ends(began: datetime) -> datetime | None:
    until = LeadStory.objects.latest_choice().values_list("until", flat=True).first()
    return until if until is not None and until > began else None


def related_stories(request: HttpRequest, article: Article, related: Iterable[Article]) -> None:
    """Related stories under an article: the cards shown, and the listings they come from (the story's tags and
    section), so that a story published, unpublished or retagged into them changes the list."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    keys = [surrogate.listing("tag", pk) for pk in tag_ids]
    if article.section_id:
        keys.append(surrogate.listing("section", article.section_id))
    surrogate.tag(request, *keys, *surrogate.story_keys(related))
    if keys:
        # Built when the page is about to be cached, not on every render (the deadline runs only then): the
        # queryset alone cost the article page about 0.3 ms when the page cache is off (docs/performance.md).
        section_id = article.section_id

        def next_near(began: datetime) -> datetime | None:
            near = Article.objects.filter(Q(section_id=section_id) | Q(tags__in=tag_ids))
            return surrogate.next_publication(near)(began)

        surrogate.ends_by(request, next_near)


def comments_close_at(article: Article) -> datetime | None:
    """When the form under an open story gives way to "Comments are closed" by the clock alone."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if article.is_closed_for_comments or not days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def sitemap_page(view: Callable, *, news_window: timedelta | None = None) -> Callable:
    """Wrap one of Django's sitemap views: every sitemap shows every story (its address and last change) and
    every section, tag and author page, so any of those changes purges `sitemap`. The news sitemap also drops a
    story when it is older than its window."""
    from newsroom.pagecache import public_page

    def sitemap_view(request: HttpRequest, *args, **kwargs):
        surrogate.tag(request, surrogate.SITEMAP, surrogate.PUBLICATION)
        surrogate.ends_by(request, surrogate.next_publication(Article.objects.all()))
        if news_window is not None:
            surrogate.ends_by(request, lambda began: _oldest_news_leaves(news_window, began))
        return view(request, *args, **kwargs)

    return public_page(sitemap_view, chrome=False)


def _oldest_news_leaves(window: timedelta, began: datetime) -> datetime | None:
    oldest = (
        Article.objects.published()
        .filter(published_at__gte=began - window)
        .aggregate(oldest=Min("published_at"))["oldest"]
    )
    return None if oldest is None else oldest + window


# Purges ------------------------------------------------------------------------------------------------------


def purge_articles(article_ids: Iterable[int], *, listings: bool = True, sections: Iterable[int] = ()) -> None:
    """Purge the pages showing these stories once the transaction commits; with `listings`, also every listing
    they are, or were, on (their section's, tags', authors', the home page, feeds, sitemaps). `sections`: former
    sections, when a story moved out of one."""
    ids = sorted(set(article_ids))
    former = sorted(set(sections))
    if ids:
        surrogate.purge(lambda: _article_keys(ids, listings=listings, former_sections=former))


def _article_keys(ids: list[int], *, listings: bool, former_sections: list[int]) -> list[str]:
    keys = [surrogate.article(pk) for pk in ids]
    if not listings:
        return keys
    keys += [surrogate.LIST_ALL, surrogate.SITEMAP, surrogate.FEED]
    keys += [surrogate.listing("section", pk) for pk in former_sections]
    sections = Article.objects.filter(pk__in=ids, section__isnull=False).values_list("section_id", flat=True)
    keys += [surrogate.listing("section", pk) for pk in sections]
    tags = TaggedArticle.objects.filter(content_object_id__in=ids).values_list("tag_id", flat=True)
    keys += [surrogate.listing("tag", pk) for pk in tags]
    authors = Byline.objects.filter(article_id__in=ids).values_list("author_id", flat=True)
    keys += [surrogate.listing("author", pk) for pk in authors]
    return keys


def _remember_listing(sender: type[Model], instance: Article, **kwargs: object) -> None:
    # What the row said when it was read, to tell after a save whether the story moved on or off a listing.
    instance._listed_as = tuple(instance.__dict__.get(name) for name in _LISTED_BY)


def _article_saved(sender: type[Model], instance: Article, created: bool, **kwargs: object) -> None:
    # A new row was on no listing, whatever it was constructed with.
    before = (None,) * len(_LISTED_BY) if created else getattr(instance, "_listed_as", (None,) * len(_LISTED_BY))
    now = tuple(getattr(instance, name) for name in _LISTED_BY)
    instance._listed_as = now
    ever_public = instance.status == Article.Status.PUBLISHED or before[0] == Article.Status.PUBLISHED
    if not ever_public:
        return  # a draft before and after: no public page shows it (unpublishing purged them)
    moved = now != before
    former = [before[2]] if moved and before[2] and before[2] != instance.section_id else []
    purge_articles([instance.pk], listings=moved, sections=former)
    if not moved:
        # Every sitemap dates a story by its last change.
        surrogate.purge([surrogate.SITEMAP])


def _article_deleted(sender: type[Model], instance: Article, **kwargs: object) -> None:
    keys = [surrogate.article(instance.pk), surrogate.LIST_ALL, surrogate.SITEMAP, surrogate.FEED]
    if instance.section_id:
        keys.append(surrogate.listing("section", instance.section_id))
    surrogate.purge(keys)  # its tags' and authors' listings: by the rows deleted with it, below


def _byline_changed(sender: type[Model], instance: Byline, **kwargs: object) -> None:
    # The author sitemap lists the authors with a published story.
    keys = [surrogate.article(instance.article_id), surrogate.listing("author", instance.author_id)]
    surrogate.purge([*keys, surrogate.SITEMAP])


def _tagging_changed(sender: type[Model], instance: TaggedArticle, **kwargs: object) -> None:
    # The tag sitemap lists the tags with a published story.
    keys = [surrogate.article(instance.content_object_id), surrogate.listing("tag", instance.tag_id)]
    surrogate.purge([*keys, surrogate.SITEMAP])


def _tags_set(sender: type[Model], instance: Model, action: str, pk_set: set | None, **kwargs: object) -> None:
    # taggit's add/remove/clear send m2m_changed; the rows it writes may be bulk-created, without post_save.
    if not action.startswith("post_") or not isinstance(instance, Article):
        return
    keys = [surrogate.article(instance.pk), surrogate.SITEMAP] + [surrogate.listing("tag", pk) for pk in pk_set or ()]
    if action == "post_clear":
        purge_articles([instance.pk])
    surrogate.purge(keys)


def _section_changed(sender: type[Model], instance: Section, **kwargs: object) -> None:
    # The navigation bar on every page names every section.
    surrogate.purge([surrogate.section(instance.pk), surrogate.SECTIONS, surrogate.SITEMAP])


def _tag_changed(sender: type[Model], instance: Tag, **kwargs: object) -> None:
    surrogate.purge([surrogate.tag_key(instance.pk), surrogate.SITEMAP])


def _lead_chosen(sender: type[Model], instance: LeadStory, **kwargs: object) -> None:
    surrogate.purge([surrogate.LEAD])


def _correction_changed(sender: type[Model], instance: Correction, **kwargs: object) -> None:
    # A note moves the story's "updated" time (append_correction), which sitemaps and feeds show.
    surrogate.purge([surrogate.article(instance.article_id), surrogate.CORRECTIONS, surrogate.SITEMAP, surrogate.FEED])


def connect() -> None:
    """Called from ArticlesConfig.ready()."""
    surrogate.register_row_keys(Article._meta.label, lambda pk: [surrogate.article(pk)])
    post_init.connect(_remember_listing, sender=Article, dispatch_uid="pagecache-article-init")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="pagecache-article-saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="pagecache-article-deleted")
    m2m_changed.connect(_tags_set, sender=TaggedArticle, dispatch_uid="pagecache-article-tags")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_byline_changed, sender=Byline, dispatch_uid=f"pagecache-byline-{name}")
        signal.connect(_tagging_changed, sender=TaggedArticle, dispatch_uid=f"pagecache-tagged-{name}")
        signal.connect(_section_changed, sender=Section, dispatch_uid=f"pagecache-section-{name}")
        signal.connect(_tag_changed, sender=Tag, dispatch_uid=f"pagecache-tag-{name}")
        signal.connect(_correction_changed, sender=Correction, dispatch_uid=f"pagecache-correction-{name}")
        signal.connect(_lead_chosen, sender=LeadStory, dispatch_uid=f"pagecache-lead-{name}")
