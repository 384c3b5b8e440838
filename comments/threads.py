"""One page of an article's conversation: whole threads, oldest first, fetched in one query.

Pages are counted in threads (a first comment with all its replies), so a thread is never split
across pages and a reply is always shown under the comment it answers.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q, Subquery
from django.http import QueryDict

from articles.models import Article
from comments.models import Comment
from comments.pages import page_query
from newsroom.ids import row_id
from newsroom.prepared import PreparedQuery

# What a page shows of a comment, and what places it in its thread: a row (a named tuple with these attributes),
# not a Comment. Making the model instances of the bench's fifty comments (Django's __init__, its signals, every
# column converted) cost half a millisecond of a page's processor time, more than the rest of the thread's
# query (docs/performance.md); nothing on the page reads more of a comment than this.
SHOWN = ("pk", "parent_id", "root_id", "name", "body_html", "created_at")


@dataclass
class Node:
    """A comment as the page shows it: where it sits in its thread, and what it answers.

    `comment` and `parent` are rows with the attributes in SHOWN (or Comments, which have them too)."""

    comment: Any
    depth: int = 0
    # The comment it answers, when that is on the page; None for a first comment, or for a reply
    # whose parent was removed (then `answers_removed` is set).
    parent: Any = None
    answers_removed: bool = False
    children: list["Node"] = field(default_factory=list)
    # How many lists of replies end right after this comment: the page is drawn from a flat list
    # (`CommentPage.flat`), which a template loops over far faster than it recurses through includes.
    closes: range = range(0)
    # The id in the page, made once in Python: a template renders a ready string far faster than it
    # builds one from several lookups, which adds up over a hundred comments.
    anchor: str = ""


@dataclass
class CommentPage:
    number: int
    num_pages: int
    threads: list[Node]
    nodes: dict[int, Node]

    @property
    def flat(self) -> list[Node]:
        """Every node in reading order: a thread's first comment, then its replies depth first."""
        order: list[Node] = []
        for thread in self.threads:
            _walk(thread, order)
        return order

    def node_for(self, raw: object) -> Node | None:
        """The comment on this page that `raw` (a reply_to or parent value a reader sent) names, if any."""
        pk = row_id(str(raw or ""))
        return None if pk is None else self.nodes.get(pk)

    # Each page's part of a link, for `{% querystring %}`. Links start from these, never from the
    # request's own query string, so a link drops whatever else the reader's address carried (a
    # reply_to, a campaign tag) and reads the same on the comment form's address as on the article's.
    @cached_property
    def query(self) -> QueryDict:
        return page_query(self.number)

    @property
    def previous_query(self) -> QueryDict:
        return page_query(self.number - 1)

    @property
    def next_query(self) -> QueryDict:
        return page_query(self.number + 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(raw: object, num_pages: int) -> int:
    """The page asked for, or the nearest real one: readers edit URLs and follow stale links."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def page_of(comment: Comment) -> int:
    """The number of the page `comment` is shown on, in one query: the visible threads before its own."""
    root_id = comment.root_id or comment.pk
    root_created = Subquery(Comment.objects.filter(pk=root_id).values("created_at")[:1])
    before = (
        Comment.objects.threads()
        .filter(article_id=comment.article_id)
        .filter(Q(created_at__lt=root_created) | Q(created_at=root_created, pk__lt=root_id))
        .count()
    )
    return before // settings.COMMENTS_THREADS_PER_PAGE + 1


def comment_page(article: Article, raw_number: object) -> CommentPage:
    """The threads on one page of the article's comments, in one query.

    `article.thread_count` must have been annotated (ArticleQuerySet.for_detail()), so the page
    count costs nothing.
    """
    per_page = settings.COMMENTS_THREADS_PER_PAGE
    num_pages = max(1, math.ceil(article.thread_count / per_page))
    number = page_number(raw_number, num_pages)
    if num_pages == 1:
        # Every thread fits on this page, as on most stories: the article's approved comments, a plain
        # indexed filter that Django builds in a quarter of the time of the subquery below. A reply in a
        # removed thread comes too, and build_threads() leaves it out, as it does any thread not shown.
        # Prepared once per process (newsroom/prepared.py); the later pages' form below is not, since each page
        # number would be a query of its own to keep.
        comments = _approved_comments.run(article_id=article.pk)
    else:
        first = (number - 1) * per_page
        # The page's first comments as a subquery: PostgreSQL and SQLite both take a LIMIT inside IN.
        thread_ids = Comment.objects.threads().filter(article=article).values("pk")[first : first + per_page]
        # Within the article first: without it PostgreSQL answered the OR by walking every approved comment on
        # the site (4 s at 1,000,000 comments); with it, the article's own entries in its index.
        comments = (
            Comment.objects.approved()
            .filter(article=article)
            .filter(Q(pk__in=thread_ids) | Q(root__in=thread_ids))
            .values_list(*SHOWN, named=True)
        )
    nodes = build_threads(list(comments))
    threads = [node for node in nodes.values() if node.comment.parent_id is None]
    for pk, node in nodes.items():
        node.anchor = f"comment-{pk}"
    return CommentPage(number=number, num_pages=num_pages, threads=threads, nodes=nodes)


def _build_approved_comments(*, article_id: int):
    return Comment.objects.approved().filter(article_id=article_id).values_list(*SHOWN, named=True)


_approved_comments = PreparedQuery(_build_approved_comments)


def _walk(node: Node, order: list[Node], closing: int = 0) -> None:
    order.append(node)
    if not node.children:
        node.closes = range(closing)
        return
    for index, child in enumerate(node.children):
        last = index == len(node.children) - 1
        _walk(child, order, closing + 1 if last else 0)


def build_threads(comments: list) -> dict[int, Node]:
    """Nodes by comment id, each reply placed under its parent, in the order given (oldest first).

    Replies below the last level of indentation (COMMENTS_MAX_DEPTH) join their parent's level,
    still linked to it. A reply whose parent is not among `comments` (removed, or still waiting)
    goes under its thread's first comment, marked as answering a removed comment.
    """
    deepest = max(1, settings.COMMENTS_MAX_DEPTH - 1)
    nodes: dict[int, Node] = {}
    holders: dict[int, Node] = {}  # the node whose list of children shows each reply
    for comment in comments:
        node = Node(comment=comment)
        if comment.parent_id is not None:
            answered = nodes.get(comment.parent_id)
            if answered is not None:
                node.parent = answered.comment
            else:
                answered = nodes.get(comment.root_id)
                if answered is None:
                    continue  # its thread is not on this page
                node.answers_removed = True
            # Oldest first, so the answered comment is always placed before its replies.
            holder = holders[answered.comment.pk] if answered.depth >= deepest else answered
            node.depth = holder.depth + 1
            holder.children.append(node)
            holders[comment.pk] = holder
        nodes[comment.pk] = node
    return nodes
