"""Template context every public page needs."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from newsroom.prepared import PreparedQuery


def navigation(request: HttpRequest) -> dict:
    """The section bar, read only when a page draws it: pages that do not (the admin) pay nothing. Its query is
    prepared once per process (newsroom/prepared.py): Django built and compiled `Section.objects.all()` in about
    twice the time the database took to answer it, on every page (docs/performance.md)."""
    return {"nav_sections": SimpleLazyObject(_sections.run)}


def _all_sections():
    return Section.objects.all()


_sections = PreparedQuery(_all_sections)
