"""Template context for the site's chrome: who is publishing, and the standing pages in the footer."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from newsroom.publication import current_publication, footer_pages


def publication(request: HttpRequest) -> dict:
    """Lazy, so a page that renders neither (the admin, a feed) does not even ask the cache."""
    return {"publication": SimpleLazyObject(current_publication), "footer_pages": SimpleLazyObject(footer_pages)}
