"""The markup of one page of comments, written in Python rather than by the template engine.

Why not a template: the thread is the one part of the article page whose cost grows with its length, and
in Django's template language each comment cost about 0.2 ms of variable lookups, filters and
`{% querystring %}` calls, so 50 comments were a third of the whole page (docs/performance.md has the
profile). Here each comment is one f-string over values worked out once: the same markup at a few
microseconds a comment. Everything a reader wrote is escaped exactly as the template escaped it
(`html.escape`, which Django's own `escape` calls); the comment's body is HTML that `newsroom.sanitize`
made from escaped plain text when it was saved.
"""

from datetime import datetime, tzinfo
from html import escape

from django.http import QueryDict
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from comments.threads import CommentPage, Node
from newsroom.paths import path_for


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
    zone = timezone.get_current_timezone()  # once a page too: each lookup reads a context-local variable
    return mark_safe(  # noqa: S308 (every value below is escaped or was sanitized when stored)
        '<ol class="comment-list">\n'
        + "".join(_comment(node, base, reply_base if is_open else "", months, zone) for node in page.flat)
        + "</ol>"
    )


def _comment(node: Node, base: str, reply_base: str, months: dict[int, str], zone: tzinfo) -> str:
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
    iso, shown = _when(comment.created_at, months, zone)
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


def _when(moment: datetime, months: dict[int, str], zone: tzinfo) -> tuple[str, str]:
    """The `<time>`'s attribute and text ("j F Y, H:i"), in the current time zone as templates show times.

    The attribute stops at the second: HTML allows at most three digits of fractional seconds, and Django's
    `date:'c'` wrote six, an error for every comment in an HTML checker.
    """
    local = moment.astimezone(zone) if timezone.is_aware(moment) else moment  # timezone.localtime(), as the filter
    shown = f"{local.day} {months[local.month]} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"
    return local.replace(microsecond=0).isoformat(), shown


def comment_section(
    *,
    article,
    page: CommentPage,
    form,
    form_token: str,
    reply_to,
    refused_body: str,
    messages,
    preview: bool,
) -> SafeString:
    """The article page's `<section class="comments">`: the count, the reader's own notices, the page of threads
    and its links, then the form (or why there is none). The markup of the templates it replaced
    (comments/_comments.html and _form.html), byte for byte; see the module's docstring for why."""
    count = article.comment_count
    article_url = article.get_absolute_url()
    is_open = article.is_open_for_comments
    title = f"{count} comment{'' if count == 1 else 's'}" if count else "Comments"
    notices = "".join(
        f'\n  <p class="message message--{escape(message.level_tag)}" id="comment-notice" role="status">'
        f"{escape(str(message))}</p>\n  "
        for message in messages or ()
        if "comment" in message.tags
    )
    if page.threads:
        listing = f"\n  {comment_list(page, article_url, is_open)}\n  {_pagination(page, article_url)}\n  "
    elif not count:
        listing = '\n  <p class="empty">No comments yet.</p>\n  '
    else:
        listing = ""
    if preview:
        ending = '\n  <p class="form-note">The comment form appears here once the story is published.</p>\n  '
    elif is_open:
        ending = f"\n  {_form(article, article_url, page, form, form_token, reply_to)}\n  "
    else:
        refused = (
            '\n    <p role="alert">Your comment was not posted. Here is its text, so you can keep a copy:</p>\n'
            '    <textarea readonly rows="6" aria-label="Your comment" dir="auto">'
            f"{escape(refused_body)}</textarea>\n    "
            if refused_body
            else ""
        )
        ending = (
            '\n  <div class="comments-closed" id="comment-form">\n'
            f"    <p><strong>Comments are closed on this story.</strong></p>\n    {refused}\n  </div>\n  "
        )
    return mark_safe(  # noqa: S308 (every value below is escaped, or is markup drawn escaped by this module or the form)
        '<section class="comments" id="comments" aria-labelledby="comments-title">\n  \n'
        f'  <h2 id="comments-title">{title}</h2>\n  {notices}\n  {listing}\n  {ending}\n  \n</section>\n'
    )


def _query(query: QueryDict) -> str:
    """`{% querystring query %}` for a comment page's own query: "" for the first page, else "?comments_page=N"."""
    return f"?{query.urlencode()}" if query else ""


def _pagination(page: CommentPage, article_url: str) -> str:
    if page.num_pages <= 1:
        return ""
    url = escape(article_url)
    previous = (
        f'<a rel="prev" href="{url}{escape(_query(page.previous_query))}#comments">&larr; Earlier comments</a>'
        if page.has_previous
        else ""
    )
    following = (
        f'<a rel="next" href="{url}{escape(_query(page.next_query))}#comments">Later comments &rarr;</a>'
        if page.has_next
        else ""
    )
    return (
        '\n  <nav class="pagination" aria-label="Comment pages">\n'
        f"    {previous}\n"
        f'    <span class="pagination__current">Comments page {page.number} of {page.num_pages}</span>\n'
        f"    {following}\n  </nav>\n  "
    )


def _form(article, article_url: str, page: CommentPage, form, form_token: str, reply_to) -> str:
    query = escape(_query(page.query))
    summary = ""
    if form.errors:
        general = "".join(f"<li>{escape(str(error))}</li>" for error in form.non_field_errors())
        hidden = "".join(f"<li>{escape(str(error))}</li>" for error in form.hidden_errors())
        fields = "".join(
            f'<li><a href="#{escape(str(field.auto_id))}">{escape(str(field.label))}: {escape(str(error))}</a></li>'
            for field in form.visible_fields()
            for error in field.errors
        )
        summary = (
            '\n  <div class="error-summary" role="alert" aria-labelledby="comment-errors-title" tabindex="-1"'
            " data-error-summary>\n"
            '    <h2 class="error-summary__title" id="comment-errors-title">There is a problem with your comment</h2>\n'
            f'    <ul class="error-summary__list">\n      {general}\n      {hidden}\n      {fields}\n'
            "    </ul>\n  </div>\n  "
        )
    if reply_to:
        name = escape(reply_to.name)
        title = f"Reply to <bdi>{name}</bdi>"
        replying = (
            f'\n  <p class="form-note">Replying to <a href="#comment-{reply_to.pk}"><bdi>{name}</bdi>’s comment</a>.'
            f' <a href="{escape(article_url)}{query}#comment-form">Write a new comment instead</a></p>\n  '
        )
        parent = f'<input type="hidden" name="parent" value="{reply_to.pk}">'
        button = "Post reply"
    else:
        title, replying, parent, button = "Leave a comment", "", "", "Post comment"
    action = escape(path_for("comments:post", slug=article.slug))
    return (
        f'<form class="comment-form" method="post" id="comment-form" action="{action}{query}#comment-form"'
        " novalidate>\n"
        f"  {summary}\n"
        f'  <h2 id="comment-form-title">{title}</h2>\n'
        f"  {replying}\n"
        '  <p class="form-note">Comments are moderated. Your email address is never published.</p>\n'
        f'  <input type="hidden" name="token" value="{escape(form_token)}">\n'
        f"  {parent}\n"
        f"  {conditional_escape(form.fields_html())}\n"
        f'  <button type="submit">{button}</button>\n</form>\n'
    )
