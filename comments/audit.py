"""The cache audit (`manage.py cache_audit`): random editorial changes, and after each one every cached public page
compared with a page rendered afresh. A page that differs is stale: a purge was missed.

It makes real changes to the database it runs on (publishing, editing, unpublishing, withdrawing, scheduling,
moderating, renaming, correcting), so it is for a test or staging copy, never the newsroom's own data. Each change
is made the way the admin makes it (through the services, in a transaction), so the purges it runs are the ones
the admin's would run.

Pages are compared byte for byte, except for the comment form's token (signed afresh on every render; a cached page
shares one on purpose, see docs/caching.md) and a feed's build date when the feed has no entries (Django dates an
empty feed by the clock).

It lives in comments/, the top layer, because it changes and reads the rows of every app below (stories, authors,
sections, tags, comments, standing pages); newsroom/, at the bottom, may import none of them.

Its cost is one full render of every public page after every change (the page is purged, or its cached copy is
compared with a fresh render), so the size of the site it runs on sets its speed: `max_stories` keeps a long run
from growing the site without end (a story is deleted, as an editor deletes one, before a new one is written).
"""

import http.client
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, LeadStory, Section
from articles.services import (
    append_correction,
    delete_articles,
    publish_article,
    save_article,
    unpublish_article,
    withdraw_articles,
)
from authors.models import Author
from comments.models import Comment
from comments.services import moderate_comments
from newsroom.models import Page

AUDIT_USER = "cache-audit"
_TOKEN = re.compile(r'(name="token" value=")[^"]*(")')
_EMPTY_FEED_DATES = re.compile(r"<lastBuildDate>[^<]*</lastBuildDate>|<updated>[^<]*</updated>")


@dataclass
class Report:
    changes: list[str] = field(default_factory=list)
    pages_compared: int = 0
    stale: list[str] = field(default_factory=list)


def comparable(body: str) -> str:
    """The page without what differs between two renders of the same rows."""
    body = _TOKEN.sub(r"\1\2", body)
    if "<item>" not in body and "<entry>" not in body:
        body = _EMPTY_FEED_DATES.sub("", body)
    return body


class Edge:
    """A cache in front of the application (Varnish), asked for the same pages over HTTP, on one kept-alive
    connection: a new one per page cost as much as the request itself."""

    def __init__(self, url: str, host: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.hostname, self.port, self.host = parts.hostname, parts.port or 80, host
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, str]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.hostname, self.port, timeout=30)
            try:
                self.connection.request("GET", path, headers={"Host": self.host})
                response = self.connection.getresponse()
                return response.status, response.read().decode(errors="replace")
            except (http.client.HTTPException, ConnectionError):
                # Varnish closes a connection left idle (timeout_idle): open a new one, once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


class CacheAudit:
    """Makes `changes` random editorial changes; after each, compares every public page, as served by the page
    cache (and by `edge` when given) with a fresh render. `out` hears about each stale page."""

    def __init__(
        self,
        *,
        seed: int,
        host: str,
        edge: Edge | None = None,
        out: TextIO | None = None,
        max_stories: int | None = None,
    ) -> None:
        self.random = random.Random(seed)  # noqa: S311 - choosing changes to make, not secrets
        self.host = host
        self.max_stories = max_stories
        self.client = Client(SERVER_NAME=host)
        self.edge = edge
        self.out = out
        self.editor = self._editor()
        self.counter = 0
        self.previous: list[str] = []  # the pages compared last time, such as a story deleted since

    # The pages ---------------------------------------------------------------------------------------------

    def urls(self) -> list[str]:
        """Every public page of the site as it stands: listings (with the home page's second page), stories,
        feeds, sitemaps and standing pages."""
        urls = [reverse("articles:home"), reverse("articles:home") + "?page=2"]
        # Every story's address, published or not: one unpublished since it was cached must not still be served.
        urls += [reverse("articles:detail", args=[slug]) for slug in Article.objects.values_list("slug", flat=True)]
        urls += [reverse("articles:feed"), reverse("articles:feed_atom"), reverse("news_sitemap"), reverse("sitemap")]
        urls += [reverse("sitemap_section", args=[name]) for name in ("articles", "sections", "tags", "authors")]
        for slug in Section.objects.values_list("slug", flat=True):
            urls += [reverse("articles:section", args=[slug]), reverse("articles:section_feed", args=[slug])]
        for slug in Tag.objects.values_list("slug", flat=True):
            urls += [reverse("articles:tag", args=[slug]), reverse("articles:tag_feed", args=[slug])]
        for slug in Author.objects.values_list("slug", flat=True):
            urls += [reverse("authors:detail", args=[slug]), reverse("articles:author_feed", args=[slug])]
        urls += [reverse("pages:detail", args=[slug]) for slug in Page.objects.values_list("slug", flat=True)]
        return urls

    def warm(self) -> None:
        """Ask for every page once, so the caches hold a copy of each."""
        self.previous = self.urls()
        for url in self.previous:
            self.client.get(url)
            if self.edge is not None:
                self.edge.get(url)

    def compare(self, report: Report, after: str) -> None:
        urls = self.urls()
        # A story deleted by this change has left urls(), but a copy of its page must not outlive it.
        current = set(urls)
        gone = [url for url in self.previous if url not in current]
        self.previous = urls
        for url in [*urls, *gone]:
            cached = self.client.get(url)
            if cached.get("X-Page-Cache") == "hit":
                with override_settings(NEWSROOM_PAGE_CACHE=False):
                    fresh = self.client.get(url)
            else:
                fresh = cached  # rendered just now, after the change: the truth itself
            served = [("application cache", cached.status_code, cached.content.decode())]
            if self.edge is not None:
                served.append(("edge", *self.edge.get(url)))
            truth = (fresh.status_code, comparable(fresh.content.decode()))
            later = None
            for layer, status, body in served:
                report.pages_compared += 1
                if (status, comparable(body)) != truth and later is None:
                    # The clock may have changed the page between the fresh render and this copy (a scheduled
                    # story fell due): a copy that matches the page as it is now is not stale.
                    with override_settings(NEWSROOM_PAGE_CACHE=False):
                        again = self.client.get(url)
                    later = (again.status_code, comparable(again.content.decode()))
                if (status, comparable(body)) not in (truth, later):
                    report.stale.append(f"{url} ({layer}) after {after}")
                    if self.out is not None:
                        self.out.write(f"STALE {url} from the {layer}, after {after}\n")

    # The run -------------------------------------------------------------------------------------------------

    def run(self, changes: int) -> Report:
        report = Report()
        self.warm()
        for _ in range(changes):
            name, change = self.random.choice(self.changes())
            if name in {"publish", "schedule"} and self._full():
                # It would write a new story: the site is as big as it may grow, so one goes first.
                name, change = "delete", self.delete
            with transaction.atomic():
                done = change()
            description = f"{name}: {done}" if done else f"{name} (nothing to change)"
            report.changes.append(description)
            self.compare(report, description)
        return report

    def changes(self) -> list[tuple[str, Callable[[], str | None]]]:
        return [
            ("publish", self.publish),
            ("schedule", self.schedule),
            ("edit", self.edit),
            ("unpublish", self.unpublish),
            ("withdraw", self.withdraw),
            ("approve comment", self.approve_comment),
            ("remove comment", self.remove_comment),
            ("hold comment", self.hold_comment),
            ("edit author", self.edit_author),
            ("edit section", self.edit_section),
            ("edit tag", self.edit_tag),
            ("tag story", self.tag_story),
            ("correct", self.correct),
            ("edit standing page", self.edit_page),
            ("choose lead", self.choose_lead),
            ("delete", self.delete),
        ]

    # The changes, each as an editor makes it -----------------------------------------------------------------

    def _editor(self):
        user, _ = get_user_model().objects.get_or_create(
            username=AUDIT_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        return user

    def _name(self, word: str) -> str:
        self.counter += 1
        return f"{word} {self.counter}"

    def _pick(self, queryset):
        rows = list(queryset.order_by("pk"))
        return self.random.choice(rows) if rows else None

    def _draft(self) -> Article:
        """A draft ready to publish, written now when there is none."""
        draft = self._pick(Article.objects.filter(status=Article.Status.DRAFT, withdrawn_at__isnull=True))
        if draft is not None:
            return draft
        headline = self._name("Audit story")
        article = save_article(
            Article(
                headline=headline,
                slug=f"audit-story-{self.counter}-{self.random.randrange(10**6)}",
                summary=f"The summary of {headline}.",
                body=f"<p>{headline}, the story.</p>",
                section=self._pick(Section.objects.all()),
            ),
            by=self.editor,
        )
        author = self._pick(Author.objects.all()) or Author.objects.create(name=self._name("Writer"), slug="audit")
        Byline.objects.create(article=article, author=author)
        return article

    def _full(self) -> bool:
        """Whether a new story would grow the site past `max_stories` (none is written while a draft waits)."""
        if self.max_stories is None or Article.objects.filter(status=Article.Status.DRAFT).exists():
            return False
        return Article.objects.count() >= self.max_stories

    def delete(self) -> str | None:
        """An editor deletes a story (a withdrawn one first: the usual end of a story taken down)."""
        article = self._pick(Article.objects.withdrawn()) or self._pick(Article.objects.all())
        if article is None:
            return None
        delete_articles(Article.objects.filter(pk=article.pk))
        return article.slug

    def publish(self) -> str:
        draft = self._draft()
        draft.published_at = None
        publish_article(draft, by=self.editor)
        return draft.slug

    def schedule(self) -> str:
        """A story due in a few seconds: listings cached now must show it once the time comes."""
        draft = self._draft()
        draft.published_at = timezone.now() + timedelta(seconds=self.random.randint(1, 4))
        save_article(draft, by=self.editor)
        publish_article(draft, by=self.editor)
        return f"{draft.slug} at {draft.published_at:%H:%M:%S}"

    def edit(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        article.headline = self._name("Edited headline")
        save_article(article, by=self.editor)
        return article.slug

    def choose_lead(self) -> str | None:
        """An editor puts a story on top of the home page, sometimes until a time a few seconds away."""
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        until = timezone.now() + timedelta(seconds=self.random.randint(1, 4)) if self.random.random() < 0.5 else None
        LeadStory.objects.create(article=article, until=until, chosen_by=self.editor)
        return f"{article.slug} until {until:%H:%M:%S}" if until else article.slug

    def unpublish(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        unpublish_article(article, by=self.editor)
        return article.slug

    def withdraw(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        withdraw_articles(Article.objects.filter(pk=article.pk), notice="Withdrawn by the audit.", by=self.editor)
        return article.slug

    def hold_comment(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        Comment.objects.create(
            article=article,
            name=self._name("Reader"),
            email=f"reader{self.counter}@example.com",
            body=f"Comment {self.counter}.",
            status=Comment.Status.PENDING,
        )
        return article.slug

    def approve_comment(self) -> str | None:
        comment = self._pick(Comment.objects.filter(status=Comment.Status.PENDING))
        if comment is None:
            return self.hold_comment()
        moderate_comments(Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED)
        return f"comment {comment.pk}"

    def remove_comment(self) -> str | None:
        comment = self._pick(Comment.objects.filter(status=Comment.Status.APPROVED))
        if comment is None:
            return None
        moderate_comments(Comment.objects.filter(pk=comment.pk), status=Comment.Status.REMOVED)
        return f"comment {comment.pk}"

    def edit_author(self) -> str | None:
        author = self._pick(Author.objects.all())
        if author is None:
            return None
        author.name = self._name("Author")
        author.bio = f"Bio {self.counter}."
        author.save()
        return author.slug

    def edit_section(self) -> str | None:
        section = self._pick(Section.objects.all())
        if section is None:
            return None
        section.name = self._name("Section")
        section.save()
        return section.slug

    def edit_tag(self) -> str | None:
        tag = self._pick(Tag.objects.all())
        if tag is None:
            return None
        tag.name = self._name("Tag")
        tag.save()
        return tag.slug

    def tag_story(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        article.tags.add(f"topic-{self.random.randrange(3)}")
        return article.slug

    def correct(self) -> str | None:
        article = self._pick(Article.objects.published())
        if article is None:
            return None
        append_correction(article=article, kind="correction", text=f"Correction {self._name('note')}.")
        return article.slug

    def edit_page(self) -> str | None:
        page = self._pick(Page.objects.all())
        if page is None:
            page = Page(title=self._name("Standing page"), slug=f"audit-page-{self.counter}", body="<p>Text.</p>")
        page.title = self._name("Standing page")
        page.save()
        return page.slug


def run_audit(
    *,
    changes: int,
    seed: int | None = None,
    host: str = "localhost",
    edge_url: str = "",
    out: TextIO | None = None,
    max_stories: int | None = None,
) -> Report:
    """Run the audit; see CacheAudit. The seed is printed by the command, so a failing run can be repeated."""
    seed = int(time.time()) if seed is None else seed
    edge = Edge(edge_url, host) if edge_url else None
    return CacheAudit(seed=seed, host=host, edge=edge, out=out, max_stories=max_stories).run(changes)
