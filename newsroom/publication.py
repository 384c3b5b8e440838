"""The publication record and the footer's page links, as every page reads them: from the cache.

Every public page shows the publication's name and its footer links, so both are kept in Django's
cache (Redis in production, shared by every app server) and a warm page reads them with no query. A
save or delete drops them (newsroom/apps.py connects the signals), at once and again after the commit,
so no server keeps the old name once the change is committed.
"""

import functools
import hashlib
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from newsroom.models import PUBLICATION_ID, Page, Publication

# A day bounds how long a change made without save() (a queryset update(), a restored backup) stays
# unseen; invalidation on save is what normally refreshes it.
CACHE_SECONDS = 24 * 60 * 60


@functools.cache  # the columns are fixed for the life of the process
def _key(model: type, name: str) -> str:
    # The column names are in the key: after a migration adds a field, an instance pickled by the old code
    # would lack it and cost a query per page, so the new code reads a key of its own.
    columns = ",".join(field.attname for field in model._meta.concrete_fields)
    return f"newsroom:{name}:{_digest(columns)}"


def _digest(text: str) -> str:
    """A short stable digest (Python's hash() differs between processes)."""
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def current_publication() -> Publication:
    """The one publication record, created with its defaults on first use.

    Cold: one query (two or three more the first time ever, to create the row). Warm: none.
    """
    return _publication(cache.get(_key(Publication, "publication")))


def publication_and_footer_pages() -> tuple[Publication, list[tuple[str, str]]]:
    """current_publication() and footer_pages() in one round trip to the cache, for the chrome of every page
    (newsroom/context_processors.py): each round trip to Redis cost the page about as much as a query."""
    keys = _key(Publication, "publication"), _key(Page, "footer-pages")
    found = cache.get_many(keys)
    return _publication(found.get(keys[0])), _with_corrections(_page_links(found.get(keys[1])))


def _publication(cached: Publication | None) -> Publication:
    if cached is not None:
        return cached
    publication, _ = Publication.objects.get_or_create(pk=PUBLICATION_ID)
    cache.set(_key(Publication, "publication"), publication, CACHE_SECONDS)
    return publication


# The standing page that explains how the publication corrects itself, by the slug the demo gives it; the
# corrections page's link follows it in the footer.
CORRECTIONS_POLICY_SLUG = "corrections"


def footer_pages() -> list[tuple[str, str]]:
    """(title, address) of every standing page, in footer order, with the corrections page after the
    corrections policy (or last, without one). Cold: one query. Warm: none."""
    return _with_corrections(_page_links(cache.get(_key(Page, "footer-pages"))))


def _page_links(cached: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    if cached is not None:
        return cached
    links = [
        (title, reverse("pages:detail", kwargs={"slug": slug}))
        for title, slug in Page.objects.order_by("position", "title").values_list("title", "slug")
    ]
    cache.set(_key(Page, "footer-pages"), links, CACHE_SECONDS)
    return links


def _with_corrections(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # Added after the cache, so it is there whatever a cache filled by an older release holds.
    policy = corrections_policy_url()
    at = next((index + 1 for index, (_, url) in enumerate(links) if url == policy), len(links))
    return [*links[:at], ("Corrections and updates", reverse("articles:corrections")), *links[at:]]


def corrections_policy_url() -> str:
    """The address the corrections policy page has; whether it exists is whether footer_pages() lists it."""
    return reverse("pages:detail", kwargs={"slug": CORRECTIONS_POLICY_SLUG})


def forget_publication(**kwargs) -> None:
    """Drop the cached record now, for this request's next read, and after the commit, since a request on
    another server may have cached the old row in between."""
    _forget(_key(Publication, "publication"))


def forget_pages(**kwargs) -> None:
    """Drop the cached footer links, as forget_publication does the record."""
    _forget(_key(Page, "footer-pages"))


def _forget(key: str) -> None:
    cache.delete(key)
    transaction.on_commit(partial(cache.delete, key))
