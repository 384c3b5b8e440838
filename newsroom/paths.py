"""`path_for()`: `reverse()` remembered per process, for the addresses a page repeats dozens of times.

An article page reversed some forty addresses (its own, its section's, its authors', its tags', the related
stories', the chrome's), about a millisecond of processor time in all (docs/performance.md), and each is the
same on every request. `reverse()` depends only on the URL configuration, the script prefix the server
mounts the site under, and its arguments, so the key holds all of them: a test that swaps ROOT_URLCONF or a
server with another prefix gets its own entries. Bounded, since slugs come from the database.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Enough for every address of a large archive's busy pages; an entry is a short string.
PATHS_KEPT = 50_000


def path_for(viewname: str, **kwargs: str) -> str:
    """`reverse(viewname, kwargs=kwargs)`, from memory after the first time in this process."""
    return _reverse(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), viewname, tuple(kwargs.items()))


@lru_cache(maxsize=PATHS_KEPT)
def _reverse(urlconf: str, prefix: str, viewname: str, kwargs: tuple) -> str:
    # urlconf and prefix are the key only: reverse() reads the same values itself.
    return reverse(viewname, kwargs=dict(kwargs))
