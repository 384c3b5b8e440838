"""The article page's conversation: one page of comments, the form, the reply being written, the form token.

The article page is made of two apps' parts. Its view asks this module for the comment part of the
context, so the rules of the conversation stay in `comments/` and neither app imports the other's views.
"""

from typing import Any

from django.http import HttpRequest

from articles.models import Article
from comments.cookies import remembered_author
from comments.forms import CommentForm
from comments.spam import issue_form_token
from comments.threads import comment_page


def conversation_context(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    *,
    fresh_token: bool = False,
    refused_body: str = "",
    preview: bool = False,
) -> dict[str, Any]:
    """The comment half of the article page's context, for `comments/_comments.html`.

    `article` must come from ArticleQuerySet.for_detail(), which brings the comment counts the page count
    is made from. The comment view passes the bound form to show its errors (`fresh_token` when the form's
    token was the problem), or the text of a comment refused because comments closed. A preview shows the
    comments without a form.
    """
    page = comment_page(article, request.GET.get("comments_page"))
    if form is None and not preview:
        remembered = remembered_author(request)
        form = CommentForm(article=article, initial={**remembered, "remember": bool(remembered)})
    # The reply being written: the one the reader chose ("Reply" link), or the one the form was sent
    # for. Only a comment shown on this page can be answered from it, so this costs no query.
    reply_to = form.parent_comment if form is not None and form.is_bound else None
    if reply_to is None and form is not None:
        raw = form.data.get("parent") if form.is_bound else request.GET.get("reply_to")
        node = page.node_for(raw)
        reply_to = node.comment if node else None
    token = (
        form.data.get("token", "") if form is not None and form.is_bound and form.form_token and not fresh_token else ""
    )
    return {
        "comment_page": page,
        "form": form,
        "form_token": token or issue_form_token(article.pk),
        "reply_to": reply_to,
        "refused_body": refused_body[: CommentForm.base_fields["body"].max_length or 0],
    }
