"""The comment form's target and the unsubscribe link of reply emails."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article
from comments.conversation import conversation_context
from comments.cookies import remember_author
from comments.forms import CommentForm
from comments.models import Comment
from comments.notifications import read_unsubscribe_token
from comments.pages import page_query
from comments.services import CommentRefused, post_comment, unsubscribe_replies
from comments.threads import page_of
from newsroom.client_ip import client_ip
from newsroom.ratelimit import Limit, hit
from newsroom.same_origin import is_cross_site

# Messages about the reader's own comment carry this tag: the comment section shows them, next to
# the comments, instead of the top of the page the reader has scrolled away from.
MESSAGE_TAG = "comment"
PUBLISHED_MESSAGE = "Thank you. Your comment is published."
HELD_MESSAGE = "Thank you. Your comment is awaiting moderation and will appear once approved."


# Exempt from the CSRF cookie, which would make every article page personal (a cookie and Vary: Cookie on
# each response) and so uncacheable. The form is protected instead by its signed, dated token bound to the
# article, and by the browser's word on where the post comes from (newsroom/same_origin.py); see
# docs/caching.md for why that is enough.
@csrf_exempt
def post_comment_view(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST" and is_cross_site(request):
        # Another site's page tried to send a comment through the reader's browser.
        return render(request, "comments/cross_site.html", status=403)
    if request.method != "POST":
        # Someone followed or typed the form's address; say where comments are written.
        response = render(request, "comments/post_only.html", status=405)
        response["Allow"] = "POST"
        return response
    # Drafts and unknown slugs answer 404 exactly as the article page does: a comment form
    # must not reveal that an unpublished story exists.
    article = get_object_or_404(Article.objects.published(), slug=slug)
    ip_address = client_ip(request)
    # Counted before the form is read, so a program sending junk is slowed down as much as one
    # sending comments.
    wait = hit(
        "comment-ip", ip_address or "unknown", Limit(settings.COMMENTS_RATE_PER_IP, settings.COMMENTS_RATE_WINDOW)
    )
    if wait:
        return rate_limited(request, wait)
    if not article.is_open_for_comments:
        # Only the error paths render the page, so only they pay for the byline, tags and comments.
        refused = request.POST.get("body", "").replace("\x00", "")
        return _article_page(request, article, status=403, refused_body=refused)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _article_page(request, article, form)
    data = form.cleaned_data
    wait = hit("comment-email", data["email"], Limit(settings.COMMENTS_RATE_PER_EMAIL, settings.COMMENTS_RATE_WINDOW))
    if wait:
        return rate_limited(request, wait)
    try:
        posted = post_comment(
            article=article,
            parent=data["parent"],
            name=data["name"],
            email=data["email"],
            body=data["body"],
            notify_replies=data["notify_replies"],
            form_token=data["token"],
            trap_filled=bool(data["website"]),
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            site_url=request.build_absolute_uri("/"),
        )
    except CommentRefused as refused:
        form.add_error(None, refused.message)
        return _article_page(request, article, form, fresh_token=True)

    comment = posted.comment
    comment.article = article
    # A comment sent to spam is answered exactly like a held one: the sender learns no rule.
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, PUBLISHED_MESSAGE, extra_tags=MESSAGE_TAG)
        response = redirect(comment.get_absolute_url())
    else:
        messages.success(request, HELD_MESSAGE, extra_tags=MESSAGE_TAG)
        response = redirect(f"{article.get_absolute_url()}#comment-notice")
    remember_author(response, request, name=data["name"], email=data["email"], remember=data["remember"])
    return response


def comment_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's lasting address: on to the page of the article the comment is on, at the comment.

    The page is found here, when the link is followed, so making a link costs nothing. A comment that
    readers cannot see (held, removed, in a removed thread, on an unpublished story) gives the same 404
    as one that never existed.
    """
    comment = get_object_or_404(
        Comment.objects.visible().filter(article__in=Article.objects.published()).select_related("article"), pk=pk
    )
    query = page_query(page_of(comment)).urlencode()
    url = comment.article.get_absolute_url()
    return redirect(f"{url}?{query}#comment-{pk}" if query else f"{url}#comment-{pk}")


def _article_page(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    *,
    status: int = 200,
    fresh_token: bool = False,
    refused_body: str = "",
) -> HttpResponse:
    """The article page again, answering a comment that was not posted: with the form's errors, or with
    the text of a comment refused because comments closed."""
    # Read again with everything the page shows; the post itself only needed the published story.
    article = Article.objects.for_detail().get(pk=article.pk)
    conversation = conversation_context(request, article, form, fresh_token=fresh_token, refused_body=refused_body)
    return render(request, "articles/article_detail.html", {"article": article, **conversation}, status=status)


def rate_limited(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, round(wait / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop reply emails. The link shows a button, and only the POST it sends changes anything, so a mail
    scanner that follows every link in an email does not unsubscribe the reader."""
    email = read_unsubscribe_token(token)
    if email is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        unsubscribe_replies(email)
        return render(request, "comments/unsubscribe.html", {"done": True})
    return render(request, "comments/unsubscribe.html", {"token": token})
