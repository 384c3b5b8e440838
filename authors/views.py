"""Author pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.views import paginate
from authors.models import Author


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, Article.objects.published().filter(authors=author).for_listing())
    return render(request, "authors/author_detail.html", {"author": author, "page": page})
