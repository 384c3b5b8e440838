"""Sections, articles and their bylines and tags: the story as it is written and filed."""

from datetime import datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.search import search as full_text_search
from comments.models import Comment, count_per_article
from images.fields import PictureField
from images.renditions import Picture, Rendition, nearest_rendition
from images.services import pictures_kept_current
from images.specs import HERO_IMAGE
from newsroom.paths import path_for
from newsroom.prepared import PreparedPrefetch, PreparedQuery, lazily_filtered
from newsroom.sanitize import sanitize_html
from newsroom.text import clean_line, clean_lines

# Link previews (Facebook, LinkedIn, messaging apps) ask for an image about 1200 pixels wide.
SHARE_IMAGE_WIDTH = 1200
# Editors hold it (roles/groups.py); writers do not, which is what keeps them to their own articles.
PUBLISH_PERMISSION = "articles.publish_article"


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=240, blank=True, help_text="One line, shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation bar; lower comes first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for("articles:section", slug=self.slug)

    def clean(self) -> None:
        super().clean()
        typed, self.name, self.description = self.name, clean_line(self.name), clean_line(self.description)
        if typed and not self.name:  # an empty one has its "required" error already
            raise ValidationError({"name": "Write a name: this one is made only of invisible characters."})


class TaggedArticle(TaggedItemBase):
    """A real foreign key to Article, so tag lookups join on an indexed integer column."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        indexes = [
            # A tag page: the tag's stories found from the tag alone, without reading the rows (index-only).
            models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article_idx"),
        ]


# How many stories a tag or an author needs before their page walks the newest stories rather than sorting
# theirs (ArticleQuerySet.filed_under): either way about a millisecond's work at this size.
FILED_UNDER_WALK = 1_000


class ArticleQuerySet(models.QuerySet):
    def published(self, at: datetime | None = None) -> "ArticleQuerySet":
        """What a reader may see. Scheduling is decided here, at query time, not by a cron job,
        so a scheduled story appears on the first request after its time, on every server.

        `at` is now unless given: a prepared query (newsroom/prepared.py) passes the request's time in."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def filed_under(self, relation: str, target: models.Model) -> "ArticleQuerySet":
        """These articles with `target` among their `relation` ("tags" or "authors"): a tag's or an author's page.

        Asked in the way that stays cheap at an archive's size whichever the tag or author. One used on many
        stories (FILED_UNDER_WALK or more) is found by walking the listing index newest first and checking each
        story, which finds a page after a few dozen checks; one used on few by its own stories, sorted. One
        index-only count decides, since a planner without per-value statistics (SQLite's) cannot tell "Politics"
        from a tag used twice, and picking wrong costs a sort of tens of thousands of rows or a walk of the table.
        """
        link_model, column = {"tags": (TaggedArticle, "tag"), "authors": (Byline, "author")}[relation]
        article = "content_object" if link_model is TaggedArticle else "article"
        links = link_model.objects.filter(**{column: target})
        if links[:FILED_UNDER_WALK].count() >= FILED_UNDER_WALK:
            return self.filter(Exists(links.filter(**{article: OuterRef("pk")})))
        return self.filter(pk__in=links.values(article))

    def for_listing(self) -> "ArticleQuerySet":
        """Everything a story card renders, in a fixed number of queries whatever the page size.

        The comment count is a subquery in the same SELECT, so it costs no query of its own."""
        return self.with_card_columns().prefetch_related(*listing_prefetches())

    def with_card_columns(self) -> "ArticleQuerySet":
        """for_listing() without its prefetches, for a page that shows two lists of cards (the home page's
        lead and latest stories) and fetches their bylines and tags together, with listing_prefetches()."""
        return self.select_related("section").annotate(comment_count=_visible_comment_count())

    def for_detail(self) -> "ArticleQuerySet":
        """A card's worth, plus the corrections and updates at the foot of the story and the number of
        comment threads that the comment pages are counted in."""
        return self.with_detail_columns().prefetch_related(*detail_prefetches())

    def with_detail_columns(self) -> "ArticleQuerySet":
        """for_detail() without its prefetches, for a prepared query (published_article)."""
        return self.with_card_columns().annotate(thread_count=_thread_count())

    def withdrawn(self) -> "ArticleQuerySet":
        """Stories an editor took down: their address answers 410 Gone with the editor's notice."""
        return self.filter(withdrawn_at__isnull=False)

    def at_old_address(self, slug: str) -> "ArticleQuerySet":
        """Articles that used to answer at this slug before an editor changed it."""
        return self.filter(slug_redirects__old_slug=slug)

    def owned_by(self, user: AbstractBaseUser) -> "ArticleQuerySet":
        """A writer's own articles: the ones they created, and the ones with their author on the byline.

        Both count because an editor often starts a story and assigns it to a writer by putting the writer's
        byline on it. One list of ids from two indexed lookups rather than "created by them OR on their
        byline" per row: with 100,000 articles that OR read the whole table (scripts/changelist_volume.py).
        """
        created = Article.objects.filter(created_by=user).order_by().values("pk")
        on_byline = Byline.objects.filter(author__user=user).order_by().values("article_id")
        return self.filter(pk__in=created.union(on_byline))

    def for_staff(self, user: AbstractBaseUser) -> "ArticleQuerySet":
        """The articles a staff user may open in the admin and preview as readers will see them.

        Editors, and staff who may only read articles (moderators open the story a comment answers), get
        every article; a writer gets their own, so a colleague's draft is as absent from their preview
        address as from their article list.
        """
        if user.has_perm(PUBLISH_PERMISSION) or not user.has_perm("articles.change_article"):
            return self
        return self.owned_by(user)

    def search(self, text: str) -> "ArticleQuerySet":
        """These articles matching a reader's search, most relevant and recent first (articles/search.py).

        Start from published(): the index holds every article, drafts included, and only this filter
        keeps them out of results. Each result carries search_rank and the marked_headline,
        marked_summary and marked_excerpt that articles.search.marked_html turns into safe HTML."""
        return full_text_search(self, text)

    def unpublished(self) -> "ArticleQuerySet":
        """Drafts and articles in review: work still in the writer's hands or waiting for an editor."""
        return self.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])


def listing_prefetches() -> list[Prefetch | str]:
    """What for_listing() prefetches, for prefetch_related_objects() over articles from several querysets."""
    return [_bylines_prefetch(), "tags"]


def detail_prefetches() -> list[Prefetch | str]:
    """What for_detail() prefetches."""
    return [*listing_prefetches(), _corrections_prefetch()]


def published_article(slug: str) -> "Article | None":
    """The published story at `slug` as for_detail() gives it, or None: the article page's first query.

    Prepared once per process (newsroom/prepared.py): building and compiling the query with its two comment
    counts cost about 5 ms of processor time a page, running it a fraction of a millisecond."""
    found = _published_by_slug.run(slug=slug, now=timezone.now())
    if not found:
        return None
    prefetch_for_detail(found)
    return found[0]


def prefetch_for_listing(articles: list["Article"]) -> None:
    """prefetch_related_objects(articles, *listing_prefetches()), through prepared queries: the same two
    queries and the same rows, without building and compiling them on every request."""
    _prepared_bylines().fill(articles)
    _prepared_tags().fill(articles)


def prefetch_for_detail(articles: list["Article"]) -> None:
    """prefetch_related_objects(articles, *detail_prefetches()), through prepared queries (three queries)."""
    prefetch_for_listing(articles)
    _prepared_corrections().fill(articles)


def prefetch_bylines(articles: list["Article"]) -> None:
    """prefetch_related_objects(articles, _bylines_prefetch()), through a prepared query."""
    _prepared_bylines().fill(articles)


def _build_published_by_slug(*, slug: str, now: datetime) -> ArticleQuerySet:
    # Two rows at most, as get() would see a second: a slug is unique, so there is never one.
    return Article.objects.published(at=now).with_detail_columns().filter(slug=slug)[:2]


_published_by_slug = PreparedQuery(_build_published_by_slug)


# The comment counts are built once per process: each annotate() resolves its own copy, so one instance serves
# every query, and building the subquery anew cost about 0.7 ms a page (docs/performance.md). Built on first
# use, not at import, since the subquery's join to the article needs every model loaded.
@cache
def _visible_comment_count() -> Coalesce:
    return count_per_article(Comment.objects.visible())


@cache
def _thread_count() -> Coalesce:
    return count_per_article(Comment.objects.threads())


def _bylines_prefetch() -> Prefetch:
    return Prefetch("bylines", queryset=Byline.objects.select_related("author").order_by("position", "pk"))


def _corrections_prefetch() -> Prefetch:
    # Imported here: records.py builds on Article, so it is loaded after this module.
    from articles.models.records import Correction

    return Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk"))


# The prepared twins of the prefetches above: the same querysets, filtered as Django's prefetch filters them
# (`article__in`, or taggit's join through TaggedArticle with the owner's id as `_prefetch_related_val`), built
# on first use since they need every model loaded.
def _prepared_on_article(name: str, base: models.QuerySet) -> PreparedPrefetch:
    """The prepared twin of a prefetch of rows with an `article` key (bylines, correction notes)."""
    return PreparedPrefetch(
        name,
        lambda *, ids: base.filter(article__in=ids),
        lambda row: row.article_id,
        lambda article: getattr(article, name)._apply_rel_filters(base._chain()),
        back=base.model._meta.get_field("article"),
    )


@cache
def _prepared_bylines() -> PreparedPrefetch:
    return _prepared_on_article("bylines", _bylines_prefetch().queryset)


@cache
def _prepared_corrections() -> PreparedPrefetch:
    return _prepared_on_article("corrections", _corrections_prefetch().queryset)


# A story's tags in name order wherever they are read, prefetched or not: taggit's own prefetch has no ORDER BY, so
# PostgreSQL returned them in whatever order its plan gave (a restored backup showed them reordered).
TAG_ORDER = ("name",)


@cache
def _prepared_tags() -> PreparedPrefetch:
    relname = TaggedArticle.tag_relname()
    column = TaggedArticle._meta.get_field("content_object").column
    quote = connection.ops.quote_name
    owner_column = f"{quote(TaggedArticle._meta.db_table)}.{quote(column)}"
    # As taggit's own prefetch (TaggableManager with no instance): tags_for() over every tagged story, then
    # narrowed to these, with the story each row is for.
    tags = TaggedArticle.tag_model().objects
    owner = {"_prefetch_related_val": owner_column}

    def of_stories(*, ids: list[int]) -> models.QuerySet:
        narrowed = tags.filter(**{f"{relname}__content_object__in": ids, f"{relname}__content_object__isnull": False})
        return narrowed.distinct().order_by(*TAG_ORDER).extra(select=owner)  # noqa: S610 (quoted names, as taggit)

    return PreparedPrefetch(
        "tags",
        of_stories,
        lambda tag: tag._prefetch_related_val,
        lambda article: lazily_filtered(tags.order_by(*TAG_ORDER), **{f"{relname}__content_object": article}),
    )


# Search engines show about 600 pixels of a result's title, some 60 to 70 characters; a longer headline is cut
# off mid-word in the results.
HEADLINE_MAX_FOR_SEARCH = 70
# The summary is the standfirst under the headline as well as the search description. Search results show about
# 160 characters of a description, which the page's description tag gives them, cut at a word; the standfirst of
# the article the site was designed from runs to 347 characters, so the limit is for a standfirst: two or three
# sentences. SEARCH_DESCRIPTION_LENGTH is what the description tag carries.
SUMMARY_MAX_FOR_SEARCH = 400
SEARCH_DESCRIPTION_LENGTH = 160
# A story card's standfirst: about three lines of a card at its narrowest, so cards in a row line up. The
# stylesheet also clamps it to three lines; this cut is what readers without the stylesheet get.
CARD_STANDFIRST_LENGTH = 140


def shorten(text: str, length: int) -> str:
    """The text on one line, at most `length` characters, cut at a word with an ellipsis when longer."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    # A single word longer than the limit is cut inside it rather than dropped whole.
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    class Type(models.TextChoices):
        """The kind of work, as the Trust Project labels it: readers see it on the page and on every card,
        and search engines read it as the JSON-LD type (SCHEMA_TYPES)."""

        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        EXPLAINER = "explainer", "Explainer"
        OPINION = "opinion", "Opinion"
        REVIEW = "review", "Review"
        SPONSORED = "sponsored", "Sponsored"

    class Canonical(models.TextChoices):
        """Which address search engines should treat as the story's own: a syndicated copy may point to the
        original, so the original publisher keeps the search ranking the licence gives them."""

        THIS_PAGE = "this", "This page"
        ORIGINAL = "original", "The original article"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The article's address; made from the headline, editable."
    )
    summary = models.TextField(
        max_length=600, blank=True, help_text="The standfirst: one or two sentences shown under the headline."
    )
    body = models.TextField(
        blank=True,
        help_text="Paragraphs, subheadings, quotes, lists, links, bold and italic. Anything else is removed on save.",
    )
    hero_image = PictureField(
        upload_to="articles/%Y/%m/",
        blank=True,
        spec=HERO_IMAGE,
        # Adds hero_width, hero_height, hero_renditions, hero_focus_x and hero_focus_y (images/fields.py).
        columns="hero",
        focus_help=(
            "Where the subject is, in % of the width from the left edge (0 to 100). Empty: the middle.",
            "In % of the height from the top edge. Empty: the middle. Story cards crop to 16:9 around it.",
        ),
        help_text="Location, camera details and all other metadata are removed before it is stored.",
    )
    hero_alt = models.CharField(
        "alt text", max_length=300, blank=True, help_text="What the image shows, for readers who cannot see it."
    )
    hero_caption = models.CharField("caption", max_length=300, blank=True)
    hero_credit = models.CharField("credit", max_length=120, blank=True, help_text="For example: Reuters/Jane Doe.")
    source_name = models.CharField(max_length=120, blank=True, help_text="For example: inkl.com.")
    source_url = models.URLField(
        max_length=500, blank=True, help_text="For example: https://www.inkl.com. Only http and https links."
    )
    original_url = models.URLField(
        "original article",
        max_length=500,
        blank=True,
        help_text="The address of the story this one is a copy of, for syndicated stories: the article itself, "
        "not the source's home page. Only http and https links.",
    )
    canonical = models.CharField(
        "canonical address",
        max_length=8,
        choices=Canonical,
        default=Canonical.THIS_PAGE,
        help_text="The address search engines list. Choose the original when the licence asks for it; "
        "this page then stays readable here but search results send readers to the original.",
    )
    article_type = models.CharField(
        "type",
        max_length=16,
        choices=Type,
        default=Type.NEWS,
        help_text="Shown as a label on the story and on every card. Opinion and Sponsored tell readers this is "
        "not news reporting.",
    )
    authors = models.ManyToManyField("authors.Author", through="Byline", related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True, ordering=list(TAG_ORDER))
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    is_closed_for_comments = models.BooleanField(
        "close comments",
        default=False,
        help_text="Readers can no longer comment; the comments already published stay on the page. Comments also "
        "close by themselves a set number of days after publication.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers may see it. Set to now on publishing if left empty; a future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Withdrawal is not a status: a withdrawn story is a draft again, and these two fields are what
    # turns its public address from 404 into 410 Gone with the editor's notice.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(
        max_length=600, blank=True, editable=False, help_text="Shown to readers at the article's address."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    # Raised by every write, so a form opened before another person's save can tell that it is stale
    # (see ArticleAdminForm); a counter rather than updated_at, which two saves within a clock tick share.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Every public listing filters on status and reads newest first, the id ordering stories published in
            # the same minute: with the id in the index a cursor page (newsroom/paging.py) is one seek and a
            # page's worth of entries, however deep, and needs no sort.
            models.Index(fields=["status", "-published_at", "-id"], name="article_listing_idx"),
            models.Index(fields=["section", "status", "-published_at", "-id"], name="article_section_listing_idx"),
            # The admin's article list, unfiltered: newest first, one page at a time, and the date
            # hierarchy's first and last dates, without reading the whole table.
            models.Index(fields=["-published_at", "-id"], name="article_admin_order_idx"),
            # The article sitemap's date in the sitemap index: the newest edit, one seek rather than a read of
            # every story (articles/sitemaps.py).
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish any article, and edit any article")]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        """Derive the row's own columns. Publishing defaults, withdrawals and old addresses are
        articles.services.save_article's, which every writer of an article goes through."""
        # The body is stored already sanitized, so the editor sees exactly what readers get.
        self.body = sanitize_html(self.body)
        if self.pk is not None:
            self.lock_version += 1
        with pictures_kept_current(self, "hero_image", update_fields=kwargs.get("update_fields")):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_for("articles:detail", slug=self.slug)

    def clean(self) -> None:
        super().clean()
        # Invisible characters (a pasted U+202E reverses a headline on the home page) go before any check;
        # an empty headline already has its "required" error, one emptied here gets its own.
        typed, self.headline, self.summary = self.headline, clean_line(self.headline), clean_lines(self.summary)
        # The image's words and the source line are typed too; alt text emptied here is then missing below.
        self.hero_alt, self.hero_caption, self.hero_credit, self.source_name = (
            clean_line(self.hero_alt),
            clean_line(self.hero_caption),
            clean_line(self.hero_credit),
            clean_line(self.source_name),
        )
        self.original_url = self.original_url.strip()
        problems = self._problems_at_any_stage()
        if typed and not self.headline:
            problems["headline"] = ["Write a headline: this one is made only of invisible characters."]
        if problems:
            raise ValidationError(problems)

    def _problems_at_any_stage(self) -> dict[str, list[str]]:
        """What no save may store, draft or not."""
        problems: dict[str, list[str]] = {}
        taken = Article.objects.at_old_address(self.slug).exclude(pk=self.pk).first()
        if self.slug and taken is not None:
            problems["slug"] = [f"This address used to be “{taken}” and still leads there. Choose another."]
        if self.hero_image and not self.hero_alt.strip():
            problems["hero_alt"] = ["Describe the image for readers who cannot see it."]
        if self.source_url and urlsplit(self.source_url).scheme.lower() not in {"http", "https"}:
            problems["source_url"] = ["Use an http:// or https:// address."]
        if self.original_url and urlsplit(self.original_url).scheme.lower() not in {"http", "https"}:
            problems["original_url"] = ["Use an http:// or https:// address."]
        elif self.canonical == self.Canonical.ORIGINAL and not self.original_url:
            problems["canonical"] = ["Give the original article's address to make it the canonical one."]
        return problems

    def publish_problems(self, *, authors: int | None = None) -> dict[str, list[str]]:
        """What keeps this article from being published, by field; empty when it is ready.

        A draft may be saved incomplete; these are checked only on the way to readers, by the admin form
        and by the publishing service alike. `authors` is how many authors the byline will have when the
        caller holds a byline not saved yet (the admin form's rows); by default the saved byline counts.
        """
        problems = self._problems_at_any_stage()
        if authors is None:
            authors = len(self.bylines.all()) if self.pk is not None else 0
        if not authors:
            problems["bylines"] = ["Put at least one author on the byline before publishing."]
        headline = self.headline.strip()
        if not headline:
            problems["headline"] = ["Write a headline before publishing."]
        elif len(headline) > HEADLINE_MAX_FOR_SEARCH:
            problems["headline"] = [
                f"Keep the headline to {HEADLINE_MAX_FOR_SEARCH} characters so search results show all of it "
                f"(it has {len(headline)})."
            ]
        summary = self.summary.strip()
        if not summary:
            problems["summary"] = ["Write a summary before publishing: search results and story cards show it."]
        elif len(summary) > SUMMARY_MAX_FOR_SEARCH:
            problems["summary"] = [
                f"Keep the summary to {SUMMARY_MAX_FOR_SEARCH} characters, two or three sentences of standfirst "
                f"(it has {len(summary)})."
            ]
        if not strip_tags(sanitize_html(self.body)).strip():
            problems["body"] = ["Write the story before publishing: the body is empty."]
        return problems

    @property
    def search_description(self) -> str:
        """The summary as search results show it: at most SEARCH_DESCRIPTION_LENGTH characters, cut at a word."""
        return shorten(self.summary, SEARCH_DESCRIPTION_LENGTH)

    @property
    def card_standfirst(self) -> str:
        """The summary as a story card shows it: at most CARD_STANDFIRST_LENGTH characters, cut at a word."""
        return shorten(self.summary, CARD_STANDFIRST_LENGTH)

    @property
    def schema_type(self) -> str:
        """The schema.org type search engines read for this kind of work (the JSON-LD @type)."""
        return SCHEMA_TYPES.get(self.article_type, "NewsArticle")

    @property
    def canonical_is_original(self) -> bool:
        """The editor chose the original's address as canonical, and there is one to point to."""
        return self.canonical == self.Canonical.ORIGINAL and bool(self.original_url)

    @property
    def is_scheduled(self) -> bool:
        """Published by an editor, waiting for its publication time."""
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published

    @property
    def is_published(self) -> bool:
        """Twin of ArticleQuerySet.published(); tests pin both to the same truth table."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_open_for_comments(self) -> bool:
        """Whether readers may comment: the editor has not closed comments and the story is not too old
        (COMMENTS_CLOSE_AFTER_DAYS after publication; 0 means never)."""
        if self.is_closed_for_comments:
            return False
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return not (days and self.published_at and timezone.now() >= self.published_at + timedelta(days=days))

    @property
    def hero_picture(self) -> Picture | None:
        """The hero in its own shape, for the article page; None until it has renditions."""
        return Picture.from_renditions(self.hero_renditions, "full", self.hero_image.storage)

    @property
    def card_picture(self) -> Picture | None:
        """The hero cropped to the 16:9 frame of a story card, around its focal point."""
        return Picture.from_renditions(self.hero_renditions, "card", self.hero_image.storage)

    @property
    def share_image(self) -> Rendition | None:
        """One JPEG of the hero for link previews (og:image)."""
        return nearest_rendition(self.hero_renditions, "full", self.hero_image.storage, width=SHARE_IMAGE_WIDTH)

    @property
    def byline_authors(self) -> list:
        """Authors in byline order, from the prefetched bylines when the queryset has them."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def was_updated(self) -> bool:
        """Worth telling readers: a change more than a minute after publication."""
        return bool(self.published_at) and (self.updated_at - self.published_at).total_seconds() > 60


# schema.org's NewsArticle types for the Trust Project's labels. Sponsored content is no journalism: an
# AdvertiserContentArticle is an Article, not a NewsArticle, so Google News does not count it as news.
SCHEMA_TYPES = {
    Article.Type.NEWS: "NewsArticle",
    Article.Type.ANALYSIS: "AnalysisNewsArticle",
    Article.Type.EXPLAINER: "BackgroundNewsArticle",
    Article.Type.OPINION: "OpinionNewsArticle",
    Article.Type.REVIEW: "ReviewNewsArticle",
    Article.Type.SPONSORED: "AdvertiserContentArticle",
}


class Byline(models.Model):
    """One author's place on an article's byline; position keeps the order editors set."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")]
        indexes = [
            # An author page: the author's stories found from the author alone, without reading the rows.
            models.Index(fields=["author", "article"], name="byline_author_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"
