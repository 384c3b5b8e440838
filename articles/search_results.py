"""A search results page made from a bounded set of matches, so its cost does not grow with the archive.

At 100,000 stories a common word matches tens of thousands; ranking, counting and highlighting every match
on each request cost seconds on SQLite (docs/performance.md, "A newsroom's archive"). The page is made from
the best MAX_RANKED matches instead: their ids and sections in one list, ranked once, from which the total,
the section counts and the page are taken; highlights are made for the page's results alone. A reader who
pages past them is shown the last page, as for any page number out of range.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from articles import search

# The matches a results page is made from. Ten a page, 100 pages: further than readers page through results
# (a search engine stops near the same depth), and what keeps a common word's page as fast as a rare one's.
MAX_RANKED = 1000


@dataclass
class SearchResults:
    """The best matches for a reader's query, best first, as (id, section slug, section name)."""

    articles: QuerySet  # the matching articles: what a page is read from
    ranked: list[tuple[int, str | None, str | None]] = field(default_factory=list)
    capped: bool = False  # more matches than MAX_RANKED: the total is a floor
    match: str = ""  # SQLite: the FTS5 expression the page's highlights are made with

    @property
    def total(self) -> int:
        return len(self.ranked)

    def sections(self) -> list[dict]:
        """Sections with results, most results first, as the filter lists them."""
        counts: dict[tuple[str, str], int] = {}
        for _, slug, name in self.ranked:
            if slug:
                counts[(slug, name)] = counts.get((slug, name), 0) + 1
        rows = [{"section__slug": s, "section__name": n, "count": c} for (s, n), c in counts.items()]
        return sorted(rows, key=lambda row: (-row["count"], row["section__name"]))

    def in_section(self, slug: str) -> "SearchResults":
        ranked = [row for row in self.ranked if row[1] == slug]
        return SearchResults(self.articles, ranked, self.capped, self.match)

    def page(self, number: object, per_page: int) -> Page:
        """One page by number; out of range or not a number, the nearest real page. Its articles come from
        `articles` (with its prefetches) in the ranked order, each with marked_headline, marked_summary
        and marked_excerpt."""
        page = Paginator([pk for pk, _, _ in self.ranked], per_page).get_page(number)
        ids = list(page.object_list)
        if not ids:
            return page
        found = {article.pk: article for article in self.articles.filter(pk__in=ids)}
        if self.match:
            for pk, marks in search.sqlite_highlights(self.match, ids, using=self.articles.db).items():
                if pk in found:
                    found[pk].marked_headline, found[pk].marked_summary, found[pk].marked_excerpt = marks
        page.object_list = [found[pk] for pk in ids if pk in found]
        return page


def search_results(articles: QuerySet, raw: str) -> SearchResults:
    """The best MAX_RANKED of `articles` matching the reader's text (articles/search.py's rules)."""
    query = search.parse(raw)
    if not query.is_searchable:
        return SearchResults(articles.none())
    if connections[articles.db].vendor == "postgresql":
        return _postgresql_results(articles, raw)
    match = search.fts5_match(query)
    relevance, capped = search.sqlite_relevance(match, MAX_RANKED, using=articles.db)
    rows = articles.filter(pk__in=list(relevance)).values_list("pk", "published_at", "section__slug", "section__name")
    now = timezone.now()

    def best_first(row: tuple) -> tuple:
        pk, published_at = row[0], row[1]
        age = max((now - published_at).total_seconds() / 86400, 0.0)
        return (-relevance[pk] * search.recency_weight(age), -published_at.timestamp(), -pk)

    ranked = [(pk, slug, name) for pk, _, slug, name in sorted(rows, key=best_first)]
    return SearchResults(articles, ranked, capped, match)


def _postgresql_results(articles: QuerySet, raw: str) -> SearchResults:
    """The newest MAX_RANKED matches (plus one, to know whether there are more), ranked, in one query.

    The same bound as SQLite's: ts_rank reads each match's stored vector, so ranking every story a common word
    matches cost seconds at 100,000 stories; the newest matches come from the GIN index or a walk of the
    published_at index, whichever the planner finds cheaper, and only they are ranked."""
    matches = articles.search(raw)
    query = search.parse(raw)
    if search.has_phrase(query):
        newest = search.postgresql_newest_matches(articles, query.text, MAX_RANKED + 1)
    else:
        # Words alone: the GIN index answers them exactly, and the newest come from it or from a walk of the
        # published_at index, whichever the planner finds cheaper.
        newest = matches.order_by("-published_at", "-pk").values("pk")[: MAX_RANKED + 1]
    # By id alone, ranked: the match is not tested a second time on the rows the subquery found.
    rows = list(
        articles.filter(pk__in=newest)
        .annotate(search_rank=search.postgresql_rank(query.text))
        .order_by("-search_rank", "-published_at", "-pk")
        .values_list("pk", "published_at", "section__slug", "section__name")
    )
    capped = len(rows) > MAX_RANKED
    if capped:  # the extra one only said there are more: drop it, the oldest
        oldest = min(rows, key=lambda row: (row[1], row[0]))
        rows.remove(oldest)
    return SearchResults(matches, [(pk, slug, name) for pk, _, slug, name in rows], capped=capped)
