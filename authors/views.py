"""Author pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from authors.models import Author
from newsroom import surrogate
from newsroom.pagecache import public_page


@public_page
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    # get_page(), not page(): a page number out of range or not a number shows the nearest real page,
    # since readers edit URLs and follow stale links, as on every other listing.
    page = Paginator(author.articles.published().for_listing(), settings.ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    surrogate.tag(request, surrogate.author(author.pk))
    surrogate.listing_page(request, surrogate.listing("author", author.pk), author.articles.all(), page.object_list)
    return render(request, "authors/author_detail.html", {"author": author, "page": page})
