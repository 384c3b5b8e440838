"""Template context for the site's chrome: who is publishing, and the standing pages in the footer."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from newsroom.publication import publication_and_footer_pages


def publication(request: HttpRequest) -> dict:
    """Lazy, so a page that renders neither (the admin, a feed) does not even ask the cache; the first of the
    two that a page reads fetches both, in one round trip."""
    both: list = []

    def part(index: int) -> object:
        if not both:
            both.extend(publication_and_footer_pages())
        return both[index]

    return {"publication": SimpleLazyObject(lambda: part(0)), "footer_pages": SimpleLazyObject(lambda: part(1))}
