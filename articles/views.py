"""Reader pages: home, article, section and tag listings."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article, Section
from comments.forms import CommentForm


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """One page of a listing; a page number that is out of range or not a number shows the
    nearest real page rather than an error, since readers edit URLs and follow stale links."""
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Article.objects.published().for_listing())
    return render(request, "articles/home.html", {"page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
    return render_article(request, article, CommentForm())


def render_article(request: HttpRequest, article: Article, form: CommentForm, status: int = 200) -> HttpResponse:
    """The article page; the comment view re-renders it with a bound form to show errors."""
    context = {"article": article, "comments": article.comments.approved(), "form": form}
    return render(request, "articles/article_detail.html", context, status=status)


def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})
