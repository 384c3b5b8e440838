"""Reader pages: home, article, section and tag listings."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article, Section
from comments.cookies import remembered_author
from comments.forms import CommentForm
from comments.spam import issue_form_token
from comments.threads import comment_page


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """One page of a listing; a page number that is out of range or not a number shows the
    nearest real page rather than an error, since readers edit URLs and follow stale links."""
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Article.objects.published().for_listing())
    return render(request, "articles/home.html", {"page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
    return render_article(request, article)


def render_article(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    *,
    status: int = 200,
    fresh_token: bool = False,
    refused_body: str = "",
) -> HttpResponse:
    """The article page with one page of its comments and the comment form.

    The comment view renders it again with the bound form to show errors (`fresh_token` when the
    form's token was the problem), or with the text of a comment refused because comments closed.
    `article` must come from for_detail(), which brings the comment counts.
    """
    page = comment_page(article, request.GET.get("comments_page"))
    if form is None:
        remembered = remembered_author(request)
        form = CommentForm(article=article, initial={**remembered, "remember": bool(remembered)})
    # The reply being written: the one the reader chose ("Reply" link), or the one the form was sent
    # for. Only a comment shown on this page can be answered from it, so this costs no query.
    reply_to = form.parent_comment if form.is_bound else None
    if reply_to is None:
        raw = form.data.get("parent") if form.is_bound else request.GET.get("reply_to")
        node = page.nodes.get(int(raw)) if raw and str(raw).isascii() and str(raw).isdigit() else None
        reply_to = node.comment if node else None
    token = form.data.get("token", "") if form.is_bound and form.form_token and not fresh_token else ""
    context = {
        "article": article,
        "comment_page": page,
        "form": form,
        "form_token": token or issue_form_token(),
        "reply_to": reply_to,
        "refused_body": refused_body[: CommentForm.base_fields["body"].max_length or 0],
    }
    return render(request, "articles/article_detail.html", context, status=status)


def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})
