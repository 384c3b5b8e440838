"""Older and newer stories: how every listing of articles pages (home, section, tag, author), kept here
beside the other cross-app pieces because authors/ pages its stories too and does not import from articles/.

A listing pages by a cursor, the (published_at, id) of the story at the edge of the page shown, rather than
by page number: "older stories" asks for the page of stories before the last one shown (?before=<cursor>),
"newer stories" for the page after the first one (?after=<cursor>). The database seeks to the cursor in the
listing index and reads one page, so page 2,000 of a 100,000-story archive costs what page 2 costs; a page
number is an OFFSET, which reads and throws away every story before it (docs/performance.md has the figures).
Readers lose nothing they use: news is read newest first, a page number means nothing once new stories push
everything down, and a cursor page stays the same page while they do.

Old page-number links (?page=N, from before this and from search engines) answer with a permanent redirect
to the same stories' cursor page, found in the index up to OLD_PAGE_LIMIT pages deep; deeper ones go to that
page. A cursor that cannot be read, or that is past the end, redirects to the first page: never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

from newsroom.templatetags.machine_time import machine_datetime

OLDER, NEWER, OLD_PAGE = "before", "after", "page"
# How deep an old ?page=N link is followed: finding page N's first story reads N pages of the index, so the
# cost is bounded here (500 pages of 10 is 5,000 index entries, a millisecond or two).
OLD_PAGE_LIMIT = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"(-?\d{1,17})-(\d{1,18})")


@dataclass(frozen=True)
class Cursor:
    """A story's place in a listing: its publication time, and its id to order stories published together."""

    published_at: datetime
    pk: int

    def __str__(self) -> str:
        # Whole microseconds since 1970, so the text is exact, short and needs no escaping in a URL.
        return f"{(self.published_at - _EPOCH) // timedelta(microseconds=1)}-{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """The cursor written by str(), or None for anything else (a mangled or hand-made link)."""
        match = _CURSOR.fullmatch(text.strip())
        if match is None:
            return None
        try:
            published_at = _EPOCH + timedelta(microseconds=int(match[1]))
        except OverflowError:
            return None
        pk = int(match[2])
        return cls(published_at, pk) if 0 < pk < 2**63 else None

    @classmethod
    def of(cls, article: Model) -> Cursor:
        return cls(article.published_at, article.pk)


@dataclass
class KeysetPage:
    """One page of a listing, and the cursors of the pages either side of it (None where there is none)."""

    object_list: list
    older: str | None
    newer: str | None

    @property
    def is_first(self) -> bool:
        return self.newer is None

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None

    @property
    def newest_date(self) -> datetime | None:
        return self.object_list[0].published_at if self.object_list else None

    @property
    def oldest_date(self) -> datetime | None:
        return self.object_list[-1].published_at if self.object_list else None


class PageMoved(Exception):
    """The page asked for lives at another address: `permanent` for old page numbers, temporary otherwise."""

    def __init__(self, url: str, *, permanent: bool = False) -> None:
        super().__init__(url)
        self.url, self.permanent = url, permanent


def keyset_listing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A listing view whose keyset_page() may answer with a redirect instead of a page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PageMoved as moved:
            redirect_class = HttpResponsePermanentRedirect if moved.permanent else HttpResponseRedirect
            return redirect_class(moved.url)

    return wrapped


def keyset_page(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> KeysetPage:
    """The page of `queryset` (published articles, newest first) that the request's cursor asks for.

    Costs one query: the page and one story more, to know whether older ones exist. Raises PageMoved where
    the answer is another address (an old page number, a mangled cursor, the newest page asked by cursor).
    """
    per_page = per_page or settings.ARTICLES_PER_PAGE
    newest_first = queryset.order_by("-published_at", "-pk")
    if NEWER in request.GET:
        cursor = _cursor_or_first_page(request, NEWER)
        at = cursor.published_at
        # The redundant bound on published_at alone lets the database seek in the index to the cursor.
        rows = _rows(
            queryset,
            queryset.filter(published_at__gte=at)
            .filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=cursor.pk))
            .order_by("published_at", "pk"),
            per_page + 1,
        )
        if len(rows) <= per_page:
            # Nothing newer than a page: that is the first page, whose address is the listing's own.
            raise PageMoved(_address(request))
        rows = rows[:per_page][::-1]
        return KeysetPage(rows, older=str(Cursor.of(rows[-1])), newer=str(Cursor.of(rows[0])))
    if OLDER in request.GET:
        return older_page(request, lambda cursor, limit: list(older_rows(queryset, cursor, limit)), per_page)
    if OLD_PAGE in request.GET:
        raise PageMoved(_old_page_address(request, newest_first, per_page), permanent=True)
    return first_page(lambda limit: list(first_page_rows(queryset, limit)), per_page)


def is_first_page(request: HttpRequest) -> bool:
    """Whether keyset_page() would answer this request with the listing's first page, with no redirect."""
    return not any(name in request.GET for name in (NEWER, OLDER, OLD_PAGE))


def first_page(fetch: Callable[[int], list], per_page: int | None = None) -> KeysetPage:
    """The first page from `fetch(limit)`, the newest `limit` rows as first_page_rows() gives them: for a
    view that runs that query prepared (articles/curation.py's home page)."""
    per_page = per_page or settings.ARTICLES_PER_PAGE
    rows = fetch(per_page + 1)
    page = rows[:per_page]
    return KeysetPage(page, older=str(Cursor.of(page[-1])) if len(rows) > per_page else None, newer=None)


def is_older_page(request: HttpRequest) -> bool:
    """Whether keyset_page() would answer this request from older_page(): ?before= without ?after=."""
    return OLDER in request.GET and NEWER not in request.GET


def older_page(request: HttpRequest, fetch: Callable[[Cursor, int], list], per_page: int | None = None) -> KeysetPage:
    """The page of stories older than the request's ?before= cursor from `fetch(cursor, limit)`, the rows
    older_rows() gives: for a view that runs that query prepared (the home page's deep pages). Raises PageMoved
    for a mangled cursor or one past the end."""
    per_page = per_page or settings.ARTICLES_PER_PAGE
    rows = fetch(_cursor_or_first_page(request, OLDER), per_page + 1)
    if not rows:
        raise PageMoved(_address(request))
    page = rows[:per_page]
    older = str(Cursor.of(page[-1])) if len(rows) > per_page else None
    return KeysetPage(page, older=older, newer=str(Cursor.of(page[0])))


def older_rows(queryset: QuerySet, cursor: Cursor, limit: int) -> QuerySet:
    """The `limit` rows of `queryset` just older than `cursor`, newest first, as _rows() selects them
    (unevaluated)."""
    at = cursor.published_at
    # The redundant bound on published_at alone lets the database seek in the index to the cursor.
    ordered = (
        queryset.order_by("-published_at", "-pk")
        .filter(published_at__lte=at)
        .filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=cursor.pk))
    )
    return queryset.filter(pk__in=ordered.values("pk")[:limit]).order_by(*ordered.query.order_by)


def first_page_rows(queryset: QuerySet, limit: int) -> QuerySet:
    """The newest `limit` rows of `queryset`, as _rows() selects them (unevaluated)."""
    newest_first = queryset.order_by("-published_at", "-pk")
    return queryset.filter(pk__in=newest_first.values("pk")[:limit]).order_by(*newest_first.query.order_by)


def _rows(queryset: QuerySet, ordered: QuerySet, limit: int) -> list:
    """The first `limit` rows of `ordered`, each with everything `queryset` annotates and prefetches.

    The page's ids are chosen in a subquery of the same query, which reads no more than the ids and the
    ordering columns; the annotations (a card's comment count is a subquery of its own) are then computed for
    the page's rows alone. Written as one query, a database that sorts, as SQLite does for a tag's or an
    author's stories joined through their table, would compute them for every story it sorts."""
    ids = ordered.values("pk")[:limit]
    return list(queryset.filter(pk__in=ids).order_by(*ordered.query.order_by))


def _cursor_or_first_page(request: HttpRequest, name: str) -> Cursor:
    cursor = Cursor.parse(request.GET.get(name, ""))
    if cursor is None:
        raise PageMoved(_address(request))
    return cursor


def _old_page_address(request: HttpRequest, newest_first: QuerySet, per_page: int) -> str:
    """Where ?page=N now lives: the cursor page starting at the same story, the last page past the end."""
    try:
        number = min(int(request.GET[OLD_PAGE]), OLD_PAGE_LIMIT)
    except ValueError:
        number = 1
    if number <= 1:
        return _address(request)
    edges = newest_first.prefetch_related(None).values_list("published_at", "pk")
    found = list(edges[(number - 1) * per_page - 1 : (number - 1) * per_page])
    before = found[0] if found else None
    if before is None:
        # Past the end: the oldest stories, on the page before the story just newer than them.
        oldest = list(edges.reverse()[: per_page + 1])
        if len(oldest) <= per_page:
            return _address(request)
        before = oldest[per_page]
    return _address(request, **{OLDER: str(Cursor(*before))})


def _address(request: HttpRequest, **cursor: str) -> str:
    """This listing's address with its other parameters kept and the paging ones replaced by `cursor`."""
    query = request.GET.copy()
    for name in (OLDER, NEWER, OLD_PAGE):
        query.pop(name, None)
    query.update(cursor)
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


def older_newer_html(page: KeysetPage, request: HttpRequest) -> str:
    """The listing's links to newer and older stories and the dates shown, each link keeping the listing's other
    parameters; nothing when the listing fits on one page. The markup of the include it replaced
    (includes/older_newer.html), whitespace and all, drawn on every listing page."""
    if not page.has_other_pages:
        return "\n\n\n"
    newer = (
        f'<a rel="prev" href="{_query(request, after=page.newer, before=None, page=None)}">&larr; Newer stories</a>'
        if page.newer
        else ""
    )
    older = (
        f'<a rel="next" href="{_query(request, before=page.older, after=None, page=None)}">Older stories &rarr;</a>'
        if page.older
        else ""
    )
    if page.is_first:
        current = "Latest stories"
    else:
        newest, oldest = template_localtime(page.newest_date), template_localtime(page.oldest_date)
        current = _shown_date(newest)
        if date_format(oldest, "Ymd") != date_format(newest, "Ymd"):
            current += f" to {_shown_date(oldest)}"
    return (
        '\n\n\n<nav class="pagination" aria-label="Older and newer stories">\n'
        f'  {newer}\n  <span class="pagination__current">{current}</span>\n  {older}\n</nav>\n\n'
    )


def _query(request: HttpRequest, **changes: str | None) -> str:
    """`{% querystring after=... before=None page=None %}`: the request's query with these changed (None removes
    one), escaped as the tag's output was."""
    params = request.GET.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    if not params and not request.GET:
        return ""
    return conditional_escape(f"?{params.urlencode()}")


def _shown_date(moment: datetime) -> str:
    return f'<time datetime="{machine_datetime(moment)}">{conditional_escape(date_format(moment, "j F Y"))}</time>'
