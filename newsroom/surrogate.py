"""Surrogate keys: a name for every object a public page shows, so that a change purges exactly those pages.

A view names what it shows with `tag(request, ...)`; the page cache (newsroom/pagecache.py) stores the names
with the page and sends them to the edge in the `xkey` (Varnish), `Surrogate-Key` (Fastly) and `Cache-Tag`
(Cloudflare) headers. Each app declares which keys a change of its models touches (articles/caching.py,
comments/caching.py, ...) and calls `purge()`, which waits for the transaction to commit: purging before the
commit would let a reader on another server cache the old rows again in between.

The names, by what a page shows:
- `article-<id>`: the story, on its own page, as a card on listings, as a feed entry.
- `section-<id>`, `tag-<id>`, `author-<id>`, `page-<id>`: that object's own words (name, bio, text).
- `list-all`, `list-section-<id>`, `list-tag-<id>`, `list-author-<id>`: which stories a listing shows and in
  what order (a story published, unpublished, moved or withdrawn changes every page of those listings).
- `sections` (the navigation bar) and `publication` (name, logo, footer links): the chrome of every page.
- `sitemap`, `feed`, `corrections`: every sitemap, every feed, every page listing corrections.
"""

import http.client
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest

logger = logging.getLogger(__name__)

PUBLICATION = "publication"
SECTIONS = "sections"
LIST_ALL = "list-all"
SITEMAP = "sitemap"
FEED = "feed"
CORRECTIONS = "corrections"
LEAD = "lead"  # the home page's lead story, an editor's choice (articles.LeadStory)
# Every HTML page shows the navigation bar and the publication's chrome.
CHROME = (PUBLICATION, SECTIONS)


def article(pk: int) -> str:
    return f"article-{pk}"


def section(pk: int) -> str:
    return f"section-{pk}"


def tag_key(pk: int) -> str:
    return f"tag-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def page(pk: int) -> str:
    return f"page-{pk}"


def listing(kind: str, pk: int | None = None) -> str:
    """The listing of all stories (`kind` "all"), or of one section, tag or author's stories."""
    return LIST_ALL if kind == "all" else f"list-{kind}-{pk}"


# What a view says about the page it is making ---------------------------------------------------------------


def tag(request: HttpRequest, *keys: str) -> None:
    """Name objects this page shows; the page is purged when any of them changes."""
    request.__dict__.setdefault("surrogate_keys", set()).update(keys)


def keys_of(request: HttpRequest) -> set[str]:
    return request.__dict__.get("surrogate_keys", set())


Deadline = Callable[[datetime], datetime | None]


def ends_by(request: HttpRequest, deadline: Deadline) -> None:
    """The page changes by itself at a time (a scheduled story appears, comments close): its cached copy must
    end by then. `deadline` is called only when the page is about to be cached, so an uncached render pays
    for no query it makes. It is given the time the request began, before the page read any row: a story due
    while the page was being made is not on it, and must end it."""
    request.__dict__.setdefault("surrogate_deadlines", []).append(deadline)


def deadlines_of(request: HttpRequest) -> list[Deadline]:
    return request.__dict__.get("surrogate_deadlines", [])


# Stories on a page: duck-typed on articles.models.Article, since authors/ (below articles/) uses them too.


def story_keys(articles: Iterable, *, tags: bool = False) -> list[str]:
    """Stories shown as cards or feed entries: each story, its section's name and its authors' names (from the
    prefetched bylines of ArticleQuerySet.for_listing()), and its tags' names where they are shown (`tags`)."""
    keys = []
    for story in articles:
        keys.append(article(story.pk))
        if story.section_id:
            keys.append(section(story.section_id))
        keys.extend(author(byline.author_id) for byline in story.bylines.all())
        if tags:
            keys.extend(tag_key(item.pk) for item in story.tags.all())
    return keys


def listing_page(request: HttpRequest, key: str, articles, shown: Iterable) -> None:
    """A listing of `articles` (an Article queryset, before published()): the stories it shows, the listing's own
    key, and its end when the next of `articles` scheduled for later appears."""
    tag(request, key, *story_keys(shown))
    ends_by(request, next_publication(articles))


def next_publication(articles) -> Deadline:
    """The time the next scheduled story among `articles` (any Article queryset) appears: a cached listing of
    them must end by then. A function of the time the page began, run only when the page is cached."""
    published = articles.model.Status.PUBLISHED
    return lambda began: articles.filter(status=published, published_at__gt=began).aggregate(next=Min("published_at"))[
        "next"
    ]


# Purging ------------------------------------------------------------------------------------------------------


def purge(keys: Iterable[str] | Callable[[], Iterable[str]]) -> None:
    """Purge every page showing these keys, in the application's cache and at the edge, once the current
    transaction commits (at once outside one). `keys` may be a function, called after the commit, when
    finding them needs the committed rows (which tags an unpublished story had, say)."""
    transaction.on_commit(lambda: purge_now(keys() if callable(keys) else keys), robust=True)


def purge_now(keys: Iterable[str]) -> None:
    """Purge at once: the application's page cache, then every edge cache named in NEWSROOM_EDGE_PURGE_URLS."""
    from newsroom.pagecache import purge_pages

    keys = sorted(set(keys))
    if not keys:
        return
    try:
        purge_pages(keys)
    finally:  # the edge is purged even if the application's cache could not be
        for url in settings.NEWSROOM_EDGE_PURGE_URLS:
            _purge_edge(url, keys)


# Keys of a row written without signals (images.services.refresh_picture's update()), by model label; each app
# registers its models in its caching module.
_ROW_KEYS: dict[str, Callable[[object], list[str]]] = {}


def register_row_keys(label: str, keys: Callable[[object], list[str]]) -> None:
    _ROW_KEYS[label] = keys


def purge_row(label: str, pk: object) -> None:
    """Purge the pages showing one row of the model with this label (e.g. "articles.Article"), after the commit.
    For code below the apps (the image pipeline) that writes rows it does not know the pages of."""
    keys = _ROW_KEYS.get(label)
    if keys is not None:
        purge(keys(pk))


def publication_changed(**kwargs: object) -> None:
    """The publication record (name, logo, tagline, links) is on every page, feed and news sitemap."""
    purge([PUBLICATION])


def page_changed(instance, **kwargs: object) -> None:
    """A standing page: its own page, and the footer of every page, which lists them all."""
    purge([page(instance.pk), PUBLICATION])


# A Varnish header line is limited (http_req_hdr_len, 8 KB by default): long key lists go in several requests.
_EDGE_HEADER_MAX = 4000


def _purge_edge(url: str, keys: list[str]) -> None:
    """One PURGE request per batch of keys, with the keys in `xkey-purge` (newsroom.vcl's name for it).

    An edge that does not answer is logged, not raised: the editor's change is committed, and the edge's
    copies end at their s-maxage in any case."""
    batch: list[str] = []
    for key in keys:
        if batch and len(" ".join([*batch, key])) > _EDGE_HEADER_MAX:
            _send_purge(url, batch)
            batch = []
        batch.append(key)
    if batch:
        _send_purge(url, batch)


def _send_purge(url: str, keys: list[str]) -> None:
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=settings.NEWSROOM_EDGE_PURGE_TIMEOUT)
    try:
        connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(keys)})
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            logger.warning("Edge purge of %s at %s answered %s", " ".join(keys), url, response.status)
    except (OSError, http.client.HTTPException) as exc:
        logger.warning("Edge purge of %s at %s failed: %s", " ".join(keys), url, exc)
    finally:
        connection.close()
