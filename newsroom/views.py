"""The standing pages editors write: About, Ethics policy, Contact and the like."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from newsroom import surrogate
from newsroom.models import Page
from newsroom.pagecache import public_page


@public_page
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    surrogate.tag(request, surrogate.page(page.pk))
    return render(request, "newsroom/page_detail.html", {"page": page})
