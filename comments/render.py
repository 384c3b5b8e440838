"""The markup of one page of comments, written in Python rather than by the template engine.

Why not a template: the thread is the one part of the article page whose cost grows with its length, and
in Django's template language each comment cost about 0.2 ms of variable lookups, filters and
`{% querystring %}` calls, so 50 comments were a third of the whole page (docs/performance.md has the
profile). Here each comment is one f-string over values worked out once: the same markup at a few
microseconds a comment. Everything a reader wrote is escaped exactly as the template escaped it
(`html.escape`, which Django's own `escape` calls); the comment's body is HTML that `newsroom.sanitize`
made from escaped plain text when it was saved.
"""

from datetime import datetime
from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from comments.threads import CommentPage, Node


def comment_list(page: CommentPage, article_url: str, is_open: bool) -> SafeString:
    """The `<ol class="comment-list">` of a page's threads, each reply list nested in its comment's `<li>`.

    Drawn from the page's flat reading order: a reply list opens after a comment that has replies, and
    `node.closes` says how many lists end after one that has none. `article_url` is the article's
    address; links to comments on this page carry the page's query (none on the first page).
    """
    page_query = page.query.urlencode()
    base = escape(article_url + (f"?{page_query}" if page_query else ""))
    # "Reply" links add reply_to to the page's query, as `{% querystring page.query reply_to=pk %}` did.
    reply_base = escape(f"{article_url}?{page_query}&reply_to=" if page_query else f"{article_url}?reply_to=")
    months = {number: str(name) for number, name in MONTHS.items()}  # in the active language, once a page
    return mark_safe(  # noqa: S308 (every value below is escaped or was sanitized when stored)
        '<ol class="comment-list">\n'
        + "".join(_comment(node, base, reply_base if is_open else "", months) for node in page.flat)
        + "</ol>"
    )


def _comment(node: Node, base: str, reply_base: str, months: dict[int, str]) -> str:
    comment, anchor = node.comment, node.anchor
    name = escape(comment.name)
    if node.parent is not None:
        answers = (
            f'<span class="comment__reply-to">in reply to <a href="#comment-{node.parent.pk}" dir="auto">'
            f"{escape(node.parent.name)}</a></span>"
        )
    elif node.answers_removed:
        answers = '<span class="comment__reply-to">in reply to a removed comment</span>'
    else:
        answers = ""
    iso, shown = _when(comment.created_at, months)
    actions = (
        f'<p class="comment__actions"><a href="{reply_base}{comment.pk}#comment-form" aria-label="Reply to {name}">'
        "Reply</a></p>"
        if reply_base
        else ""
    )
    ending = '<ol class="comment-replies">' if node.children else "</li>" + "</ol></li>" * len(node.closes)
    return (
        f'<li class="comment comment--depth-{node.depth}" id="{anchor}">\n'
        f'<article aria-labelledby="{anchor}-by">\n'
        f'<p class="comment__meta"><strong class="comment__name" id="{anchor}-by" dir="auto">{name}</strong>\n'
        f"{answers}\n"
        f'&middot; <a class="comment__permalink" href="{base}#{anchor}"><time datetime="{iso}">{shown}</time></a></p>\n'
        # The body is stored as HTML made from escaped plain text (newsroom.sanitize.render_comment_text).
        f'<div class="comment__body" dir="auto">{comment.body_html}</div>\n'
        f"{actions}\n"
        "</article>\n"
        f"{ending}\n"
    )


def _when(moment: datetime, months: dict[int, str]) -> tuple[str, str]:
    """The `<time>`'s attribute and text ("j F Y, H:i"), in the current time zone as templates show times.

    The attribute stops at the second: HTML allows at most three digits of fractional seconds, and Django's
    `date:'c'` wrote six, an error for every comment in an HTML checker.
    """
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    shown = f"{local.day} {months[local.month]} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"
    return local.replace(microsecond=0).isoformat(), shown

