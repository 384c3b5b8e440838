"""Author pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from authors.models import Author
from newsroom import surrogate
from newsroom.pagecache import public_page
from newsroom.paging import keyset_listing, keyset_page


@public_page
@keyset_listing
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    # Older and newer stories by cursor, as on every listing of stories (newsroom/paging.py).
    # Article's queryset through the relation, as authors/ does not import from articles/.
    stories = author.articles.model.objects.published().filed_under("authors", author)
    page = keyset_page(request, stories.for_listing())
    surrogate.tag(request, surrogate.author(author.pk))
    surrogate.listing_page(request, surrogate.listing("author", author.pk), author.articles.all(), page.object_list)
    return render(request, "authors/author_detail.html", {"author": author, "page": page})
