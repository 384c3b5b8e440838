"""The comment form's target."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import render_article
from comments.forms import CommentForm
from comments.services import post_comment


@require_POST
def post_comment_view(request: HttpRequest, slug: str) -> HttpResponse:
    # Drafts and unknown slugs answer 404 exactly as the article page does: a comment form
    # must not reveal that an unpublished story exists.
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        # Only the error path renders the page, so only it pays for the byline and tags.
        return render_article(request, Article.objects.for_detail().get(pk=article.pk), form)
    post_comment(
        article=article,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        **form.cleaned_data,
    )
    messages.success(request, "Thank you. Your comment is awaiting moderation and will appear once approved.")
    return redirect(f"{article.get_absolute_url()}#comments")
