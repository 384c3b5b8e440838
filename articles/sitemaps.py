"""Sitemaps: every article, section, tag and author page a reader can reach, the corrections page, and the
Google News sitemap of the newest stories. Each starts from Article.objects.published(), so a draft, a scheduled
story or a withdrawn one is in none of them.

The author sitemap lives here rather than in authors/: an author's page is listed, and dated, by their
published articles, and authors/ sits below articles/ and may not import Article.
"""

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db import connections
from django.db.models import Exists, F, Max, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, Byline, Correction, Section, TaggedArticle
from authors.models import Author
from newsroom.publication import current_publication

# Google's rules for a news sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/
# news-sitemap, "Guidelines"): list only articles published in the last two days, and at most 1,000
# <news:news> entries in one sitemap. The site's own sitemaps list older stories.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_ARTICLES = 1000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A page number past any archive's last block: larger ones are a 404 without a query.
MAX_PAGE = 1_000_000


def canonical_elsewhere() -> Q:
    """Syndicated copies whose editor made the original's address canonical: a sitemap lists canonical addresses
    only, and Google News credits the original, so they are left out of both."""
    return Q(canonical=Article.Canonical.ORIGINAL) & ~Q(original_url="")


class BlockSitemap(Sitemap):
    """A sitemap paged by fixed blocks of ids: page N lists the rows whose id falls in block N - 1, at most
    `limit` addresses (Yoast's 1,000, where the protocol allows 50,000).

    A page is chosen without OFFSET and without counting: an index seek to the block, one query, however many
    rows the table holds, and a row keeps its page whatever is published after it. The index lists the blocks
    that hold a listed row (`page_numbers`), found by a recursive query that seeks from one to the next.
    """

    limit = 1000

    def listed(self) -> QuerySet:
        """Every row the sitemap lists, in no order."""
        raise NotImplementedError

    def entries(self, rows: QuerySet) -> list[tuple[str, datetime | None]]:
        """Each row of a page as (path escaped for XML, lastmod), newest last."""
        raise NotImplementedError

    def page_numbers(self) -> list[int | None]:
        """The pages that list at least one address, in order: the first as the bare address (None), which
        lists the first block holding a row, the others by number; the bare address alone when none does."""
        blocks = nonempty_blocks(self.listed(), self.limit)
        return [None, *(block + 1 for block in blocks[1:])]

    def page_entries(self, page: int | None) -> list[tuple[str, datetime | None]]:
        if page is None:
            # Ids need not start at 1 (an import, a database's sequence): the bare address is the first block
            # holding a row, found by one seek.
            first = self.listed().order_by("pk").values_list("pk", flat=True).first()
            page = 1 if first is None else first // self.limit + 1
        block = page - 1
        return self.entries(self.listed().filter(pk__gte=block * self.limit, pk__lt=(block + 1) * self.limit))


def nonempty_blocks(listed: QuerySet, size: int) -> list[int]:
    """The blocks of `size` ids that hold a row of `listed`: one recursive query, each step the lowest listed
    id of the next block from the primary key's index, so it costs a seek per block rather than a read of the
    table. PostgreSQL and SQLite both run WITH RECURSIVE."""
    inner, params = listed.order_by().annotate(listed_id=F("pk")).values("listed_id").query.sql_with_params()
    # Constants and the ORM's own SQL; values travel as parameters.
    # The lowest id as ORDER BY ... LIMIT 1 rather than MIN(): PostgreSQL turns a MIN() over a join (a tag is
    # listed if one of its rows leads to a published story) into an aggregate over every tag row of the archive
    # joined to every published story (0.2 s at 100,000 stories), where LIMIT 1 walks the ids in order and stops
    # at the first listed one.
    sql = (
        f"WITH RECURSIVE blocks(block) AS ("  # noqa: S608
        f"SELECT (SELECT listed.listed_id FROM ({inner}) listed ORDER BY listed.listed_id LIMIT 1) / {size:d} "
        f"UNION ALL SELECT (SELECT listed.listed_id FROM ({inner}) listed "
        f"WHERE listed.listed_id >= (blocks.block + 1) * {size:d} ORDER BY listed.listed_id LIMIT 1) / {size:d} "
        f"FROM blocks WHERE blocks.block IS NOT NULL"
        f") SELECT block FROM blocks WHERE block IS NOT NULL"
    )
    with connections[listed.db].cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return [int(row[0]) for row in cursor.fetchall()]


def _path_maker(viewname: str) -> Callable[[str], str]:
    """reverse() once, then a slug put in place, as XML text: reverse() per address was most of a large page's
    cost, and escaping each address a good part of the rest. Slugs are quoted as reverse() quotes them, and
    quote() leaves only letters, digits and "_.-~/%", which XML does not escape: the fixed parts are escaped
    once, and the result is the escaped path, byte for byte."""
    before, after = (escape(part) for part in reverse(viewname, kwargs={"slug": "SLUG"}).split("SLUG"))
    return lambda slug: f"{before}{quote(slug)}{after}"


def _local_date(tz: tzinfo) -> Callable[[datetime], str]:
    """A lastmod's date in the site's time zone as the sitemap writes it: the zone looked up once per page
    rather than per address (timezone.localtime() reads it from a context-local each time, which was most of
    a 1,000-address page's processor time)."""
    return lambda value: value.astimezone(tz).date().isoformat()


# How many of the last edited stories the article sitemap's date is looked for among.
RECENTLY_EDITED = 100


class ArticleSitemap(BlockSitemap):
    """Every published story, by blocks of ids: a block is written once, new stories fill the last one."""

    def listed(self) -> QuerySet[Article]:
        return Article.objects.published().exclude(canonical_elsewhere())

    def entries(self, rows: QuerySet[Article]) -> list[tuple[str, datetime | None]]:
        path = _path_maker("articles:detail")
        # An edit moves updated_at, and so does a correction note (articles.services.append_correction); a
        # scheduled story's time arriving saves nothing, so its publication time counts too.
        # The later of the two in SQL: a page of 1,000 addresses then reads 1,000 times rather than 2,000, and
        # reading a time from PostgreSQL's answer was most of a page's processor time.
        found = rows.order_by("pk").values_list("slug", Greatest("updated_at", "published_at"))
        return [(path(slug), lastmod) for slug, lastmod in found]

    def get_latest_lastmod(self) -> datetime | None:
        # The newest edit among the last stories edited (a walk of the updated_at index; SQLite's planner would
        # rather read every published story and sort them), and the newest publication, which a scheduled
        # story's arrival moves without an edit (a seek in the listing index).
        edited = Article.objects.order_by("-updated_at").values("pk")[:RECENTLY_EDITED]
        latest = self.listed().filter(pk__in=edited).aggregate(latest=Max("updated_at"))["latest"]
        if latest is None:  # none of them is listed, which a run of edited drafts can make
            latest = self.listed().aggregate(latest=Max("updated_at"))["latest"]
        published = self.listed().order_by("-published_at").values_list("published_at", flat=True).first()
        return max((value for value in (latest, published) if value is not None), default=None)


class SectionSitemap(Sitemap):
    """The sections showing at least one published story, dated by the newest: a handful, one page, each date
    one seek in the listing index."""

    def items(self) -> QuerySet[Section]:
        newest = Article.objects.published().filter(section=OuterRef("pk")).order_by("-published_at")
        return (
            Section.objects.annotate(newest_published_at=Subquery(newest.values("published_at")[:1]))
            .filter(newest_published_at__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, section: Section) -> datetime:
        return section.newest_published_at

    def get_latest_lastmod(self) -> datetime | None:
        return Article.objects.published().filter(section__isnull=False).aggregate(latest=Max("published_at"))["latest"]


# The newest stories whose tags and authors a tag or author sitemap dates exactly. Finding the newest story of
# every tag reads every tag row of the archive (1.8 s at 100,000 stories); the newest stories are an index
# walk, and they hold the pages that changed lately, which is what a crawler's lastmod is for.
RECENT_STORIES = 1000


class _ListedBySitemap(BlockSitemap):
    """Tag or author pages that show at least one published story, by blocks of ids. A page whose newest
    story is among the RECENT_STORIES newest is dated by it; an older one is listed without a date, which the
    protocol allows (lastmod is optional) and which claims nothing wrong."""

    model: type[Model]
    link: type[Model]  # the row tying a story to the tag or author
    link_field: str  # that row's field naming the tag or author
    story_field: str  # and the story

    def listed(self) -> QuerySet:
        # From each tag's (author's) own rows in the link index to the story by its key, stopping at the first
        # published one: a filter on the story's columns instead lets SQLite read every published story first.
        story = Article.objects.published().filter(pk=OuterRef(f"{self.story_field}_id"))
        links = self.link._default_manager.filter(**{self.link_field: OuterRef("pk")}).filter(Exists(story))
        return self.model._default_manager.filter(Exists(links))

    def entries(self, rows: QuerySet) -> list[tuple[str, datetime | None]]:
        found = list(rows.order_by("pk").values_list("pk", "slug"))
        newest = dict(self.newest_recent_stories())
        path = self.path_maker()
        return [(path(slug), newest.get(pk)) for pk, slug in found]

    def path_maker(self) -> Callable[[str], str]:
        raise NotImplementedError

    def newest_recent_stories(self) -> list[tuple[int, datetime]]:
        """(tag or author id, publication of their newest story) for those with a story among the
        RECENT_STORIES newest, in one query: the newest stories with their dates (a walk of the listing index),
        joined to their link rows. Asked with the stories' dates read back by id (a MAX over the join to the
        stories table), it cost a primary-key read per link row, or on PostgreSQL a read of every story."""
        recent = Article.objects.published().order_by("-published_at", "-pk")[:RECENT_STORIES]
        named = recent.annotate(recent_id=F("pk"), recent_at=F("published_at")).values("recent_id", "recent_at")
        recent_sql, params = named.query.sql_with_params()
        links = self.link._meta
        link_column = links.get_field(self.link_field).column
        story_column = links.get_field(self.story_field).column
        connection = connections[recent.db]
        quote = connection.ops.quote_name
        story = f"link.{quote(story_column)}"
        ids = f"SELECT ids.recent_id FROM ({recent_sql}) ids"  # noqa: S608
        # The link rows through their story index: on PostgreSQL the ids as an array made once, or the planner
        # guesses the join cheaper as a read of every link row (237,000 at 100,000 stories, 80 ms).
        among = f"{story} = ANY(ARRAY({ids}))" if connection.vendor == "postgresql" else f"{story} IN ({ids})"
        # Names from the models' own metadata and the ORM's SQL; values travel as parameters.
        sql = (
            f"SELECT link.{quote(link_column)}, MAX(recent.recent_at) "  # noqa: S608
            f"FROM {quote(links.db_table)} link INNER JOIN ({recent_sql}) recent ON recent.recent_id = {story} "
            f"WHERE {among} GROUP BY link.{quote(link_column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params])
            rows = cursor.fetchall()
        # SQLite hands the aggregate back as text: read through the field's converters, as the ORM would (none
        # on PostgreSQL, whose driver reads the time itself).
        expression = Max("published_at", output_field=Article._meta.get_field("published_at"))
        converters = connection.ops.get_db_converters(expression)
        for converter in converters:
            rows = [(pk, converter(value, expression, connection)) for pk, value in rows]
        return rows

    def get_latest_lastmod(self) -> datetime | None:
        # The newest story with a tag (or an author) is among the newest stories: an index walk that stops there.
        published = Article.objects.published().order_by("-published_at", "-pk")
        linked = self.link._default_manager.filter(**{self.story_field: OuterRef("pk")})
        return published.filter(Exists(linked)).values_list("published_at", flat=True).first()


class TagSitemap(_ListedBySitemap):
    model, link, link_field, story_field = Tag, TaggedArticle, "tag", "content_object"

    def path_maker(self) -> Callable[[str], str]:
        # taggit's Tag has no get_absolute_url; the tag page is this app's.
        return _path_maker("articles:tag")


class AuthorSitemap(_ListedBySitemap):
    model, link, link_field, story_field = Author, Byline, "author", "article"

    def path_maker(self) -> Callable[[str], str]:
        return _path_maker("authors:detail")


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
            # The newest note walking correction_recent_idx, stopping at the first on a published story: MAX()
            # read every published story to join them to the notes (20-60 ms at 100,000 stories).
            newest = Correction.objects.public().order_by("-created_at", "-pk").values_list("created_at", flat=True)
            self._newest = newest.first()
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


def _entries_of(site: Sitemap) -> list[tuple[str, datetime | None]]:
    """A small sitemap of Django's kind (sections, corrections) as (path escaped for XML, lastmod)."""
    location, lastmod = getattr(site, "location", None), getattr(site, "lastmod", None)
    return [
        (
            escape(location(item) if callable(location) else item.get_absolute_url()),
            lastmod(item) if lastmod else None,
        )
        for item in site.items()
    ]


def _xml_response(body: str, lastmods: list[datetime | None]) -> HttpResponse:
    response = HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}', content_type="application/xml")
    if lastmods and None not in lastmods:
        # What Django's sitemap views send when every entry is dated.
        response["Last-Modified"] = http_date(max(lastmods).timestamp())
    return response


@x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: each sitemap's pages, dated by the sitemap's newest change. Written out rather than through
    Django's index view, whose paging counts every row and whose pages are OFFSETs."""
    base = f"{request.scheme}://{request.get_host()}"
    tz = timezone.get_current_timezone()
    listed: list[tuple[str, datetime | None]] = []
    for name, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        url = base + reverse("sitemap_section", kwargs={"section": name})
        lastmod = site.get_latest_lastmod()
        pages = site.page_numbers() if isinstance(site, BlockSitemap) else [None]
        listed += [(url if page is None else f"{url}?p={page}", lastmod) for page in pages]
    lines = [
        f"<sitemap><loc>{escape(url)}</loc>"
        + (f"<lastmod>{lastmod.astimezone(tz).isoformat()}</lastmod>" if lastmod else "")
        + "</sitemap>"
        for url, lastmod in listed
    ]
    body = f'<sitemapindex xmlns="{SITEMAP_NS}">{"".join(lines)}</sitemapindex>\n'
    return _xml_response(body, [lastmod for _, lastmod in listed])


@x_robots_tag
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=N: one page of one sitemap, each address a line of f-string (Django's template
    took about 0.1 ms an address), its path escaped once per page and its date made with the zone looked up
    once. A page that lists nothing, other than the first, is a 404."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap {section!r}.")
    site = SITEMAPS[section]()
    page = request.GET.get("p")
    if page is not None and not (page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE):
        raise Http404(f"No page {page!r}.")
    if isinstance(site, BlockSitemap):
        entries = site.page_entries(None if page is None else int(page))
    else:
        entries = _entries_of(site) if page in (None, "1") else []
    if not entries and page is not None:
        raise Http404(f"Page {page} is empty.")
    base = escape(f"{request.scheme}://{request.get_host()}")
    date = _local_date(timezone.get_current_timezone())
    lines = [
        f"<url><loc>{base}{path}</loc><lastmod>{date(lastmod)}</lastmod></url>"
        if lastmod
        else f"<url><loc>{base}{path}</loc></url>"
        for path, lastmod in entries
    ]
    body = f'<urlset xmlns="{SITEMAP_NS}">\n{chr(10).join(lines)}\n</urlset>\n'
    return _xml_response(body, [lastmod for _, lastmod in entries])


NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@x_robots_tag
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """/news-sitemap.xml: the stories of NEWS_WINDOW under the publication's name, one page, in one query.

    Written out as the other sitemaps are: through Django's sitemap view and a template, each story cost about
    0.1 ms of processor time, and its paginator counted the stories before reading them. The bytes are the
    ones that template made (each entry on one line of tags with no space between, text escaped as the
    template escaped it, the time in the site's zone as `|date:"c"` writes it). Only page 1, or none, exists:
    any other ?p= is a 404, as Django's view answers it."""
    page = request.GET.get("p")
    if page is not None:
        try:
            number = int(page)
        except ValueError:
            raise Http404(f"No page {page!r}.") from None
        if number != 1:
            raise Http404(f"Page {page} is empty.")
    publication = current_publication()
    # Every entry repeats the publication, as Google asks: escaped once.
    named = (
        f"<news:publication><news:name>{escape(publication.name)}</news:name>"
        f"<news:language>{escape(news_language(publication.language))}</news:language></news:publication>"
    )
    base = escape(f"{request.scheme}://{request.get_host()}")
    path = _path_maker("articles:detail")
    tz = timezone.get_current_timezone()
    entries = "".join(
        f"<url><loc>{base}{path(slug)}</loc><news:news>{named}"
        f"<news:publication_date>{published.astimezone(tz).isoformat()}</news:publication_date>"
        f"<news:title>{escape(headline)}</news:title></news:news></url>"
        for slug, headline, published in NewsSitemap().items().values_list("slug", "headline", "published_at")
    )
    body = f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{entries}\n</urlset>\n'
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}', content_type="application/xml")


# Google's two exceptions to the ISO 639 rule, and the script subtags that name the same two writings.
_CHINESE = {"zh-cn": "zh-cn", "zh-tw": "zh-tw", "zh-hans": "zh-cn", "zh-hant": "zh-tw"}


def news_language(code: str) -> str:
    """The <news:language> for a language tag: Google takes the ISO 639 code alone ("en", not "en-gb"),
    except "zh-cn" and "zh-tw", which tell Simplified and Traditional Chinese apart."""
    code = code.strip().lower().replace("_", "-")
    return _CHINESE.get(code) or code.split("-")[0]
