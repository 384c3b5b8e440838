"""Template context every public page needs."""

from django.http import HttpRequest

from articles.models import Section


def navigation(request: HttpRequest) -> dict:
    """The section bar, as a lazy queryset: pages that do not render it (the admin) pay nothing."""
    return {"nav_sections": Section.objects.all()}
