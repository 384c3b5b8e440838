"""Every admin and public page, for every role, against the one table of what each role may see and do:
the table in docs/permissions.md, read by this test, so the documentation cannot drift from the site.

Each registered admin model is walked (list, add, change, delete, history), with the article's own pages
(someone else's draft and one's own, published, preview, revisions, restore), each admin action offered
on a list, and the public pages. A page the table does not list fails the test, so a new model or page
must be given its row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import reversion
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from taggit.models import Tag

from articles.models import Article, LeadStory, Section
from comments.models import Comment, ModerationSettings
from newsroom.models import Page, Publication
from tests.comments.posting import form_data
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROLES = ["anonymous", "writer", "editor", "moderator", "superuser"]
# What a cell may say (docs/permissions.md explains each).
OUTCOMES = {"yes", "edit", "read", "no", "hidden", "login", "404"}


def documented_matrix() -> dict[str, dict[str, str]]:
    """The table in docs/permissions.md: page → role → outcome."""
    matrix = {}
    for line in TABLE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 1 + len(ROLES) or not cells[0].startswith("`"):
            continue
        matrix[cells[0].strip("`")] = dict(zip(ROLES, cells[1:], strict=True))
    return matrix


@dataclass
class Site:
    """One of everything, and one login per role."""

    users: dict[str, object]
    own_draft: Article
    others_draft: Article
    published: Article
    objects: dict[str, object]


@pytest.fixture
def site() -> Site:
    users = {
        "writer": UserFactory(username="wendy", is_staff=True, roles=["Writer"]),
        "editor": UserFactory(username="dana", is_staff=True, roles=["Editor"]),
        "moderator": UserFactory(username="mo", is_staff=True, roles=["Moderator"]),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    writer_author = AuthorFactory(name="Wendy Writer", user=users["writer"])
    section = Section.objects.create(name="World", slug="world")
    with reversion.create_revision():
        published = ArticleFactory(published=True, section=section, authors=[writer_author], headline="Published")
    published.tags.add("Mali")
    own_draft = ArticleFactory(headline="Wendy's draft", authors=[writer_author], created_by=users["writer"])
    others_draft = ArticleFactory(headline="Someone else's draft", created_by=users["editor"])
    comment = CommentFactory(article=published, status=Comment.Status.APPROVED)
    page = Page.objects.create(title="Ethics", slug="ethics", body="<p>Our rules.</p>")
    lead = LeadStory.objects.create(article=published, chosen_by=users["editor"])
    attempt = AccessAttempt.objects.create(username="mallory", ip_address="203.0.113.9", failures_since_start=3)
    access = AccessLog.objects.create(username="root", ip_address="127.0.0.1")
    device = TOTPDevice.objects.create(user=users["superuser"], name="Phone", confirmed=True)
    objects = {
        "auth.group": Group.objects.get(name="Writer"),
        "auth.user": users["writer"],
        "taggit.tag": Tag.objects.get(name="Mali"),
        "newsroom.publication": Publication.objects.get(),
        "newsroom.page": page,
        "authors.author": writer_author,
        "articles.article": published,
        "articles.section": section,
        "comments.comment": comment,
        "comments.moderationsettings": ModerationSettings.load(),
        "articles.leadstory": lead,
        "axes.accessattempt": attempt,
        "axes.accesslog": access,
        "otp_totp.totpdevice": device,
    }
    return Site(users, own_draft, others_draft, published, objects)


def outcome(response, login_url: str, *, form: bool, own_pages: str = "") -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(login_url):
            return "login"
        if location == reverse("admin:index"):
            return "hidden"  # Django's "…with ID … doesn't exist": the object is outside what the role may see
        if own_pages and location.startswith(own_pages):
            return "yes"  # a one-record model's list opens its record
    if response.status_code == 200:
        if not form:
            return "yes"
        return "edit" if b'name="_save"' in response.content else "read"
    if response.status_code in (403, 404):
        return {403: "no", 404: "404"}[response.status_code]
    return f"HTTP {response.status_code}"


def admin_pages(site: Site) -> dict[str, tuple[str, bool]]:
    """Page name → (URL, is it a form), for every registered admin model and the article's own pages.

    A form is a page with a Save button for those who may change it (add, change)."""
    pages = {"admin: index": (reverse("admin:index"), False)}
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = site.objects[label]
        pages[f"{label}: list"] = (reverse(f"{info}_changelist"), False)
        pages[f"{label}: add"] = (reverse(f"{info}_add"), True)
        pages[f"{label}: change"] = (reverse(f"{info}_change", args=[obj.pk]), True)
        pages[f"{label}: delete"] = (reverse(f"{info}_delete", args=[obj.pk]), False)
        pages[f"{label}: history"] = (reverse(f"{info}_history", args=[obj.pk]), False)
    article_change = "admin:articles_article_change"
    pages["articles.article: change own draft"] = (reverse(article_change, args=[site.own_draft.pk]), True)
    pages["articles.article: change someone else's draft"] = (
        reverse(article_change, args=[site.others_draft.pk]),
        True,
    )
    pages["articles.article: preview own draft"] = (reverse("articles:preview", args=[site.own_draft.pk]), False)
    pages["articles.article: preview someone else's draft"] = (
        reverse("articles:preview", args=[site.others_draft.pk]),
        False,
    )
    pages["auth.user: set password"] = (
        reverse("admin:auth_user_password_change", args=[site.users["writer"].pk]),
        False,
    )
    return pages


def public_pages(site: Site) -> dict[str, str]:
    article = site.published
    return {
        "public: home": reverse("articles:home"),
        "public: article": article.get_absolute_url(),
        "public: section": reverse("articles:section", args=["world"]),
        "public: tag": reverse("articles:tag", args=["mali"]),
        "public: author": site.objects["authors.author"].get_absolute_url(),
        "public: search": reverse("articles:search") + "?q=published",
        "public: feed": reverse("articles:feed"),
        "public: sitemap": reverse("sitemap"),
        "public: standing page": reverse("pages:detail", args=["ethics"]),
        "public: a draft's address": site.others_draft.get_absolute_url(),
    }


ACTION = re.compile(rb'<select name="action"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(rb'<option value="([^"]+)"')


def offered_actions(response) -> set[str]:
    found = ACTION.search(response.content) if response.status_code == 200 else None
    return {value.decode() for value in OPTION.findall(found.group(1))} if found else set()


def observed_matrix(site: Site) -> dict[str, dict[str, str]]:
    matrix: dict[str, dict[str, str]] = {}
    login_url = reverse("admin:login")
    clients: dict[str, Client] = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(site.users[role])
        clients[role] = client

    def record(name: str, role: str, result: str) -> None:
        matrix.setdefault(name, {})[role] = result

    offered: dict[str, dict[str, set[str]]] = {}  # model → role → actions offered on its list
    for name, (url, form) in admin_pages(site).items():
        model_pages = url if name.endswith(": list") else ""
        for role, client in clients.items():
            response = client.get(url)
            record(name, role, outcome(response, login_url, form=form, own_pages=model_pages))
            if model_pages:
                offered.setdefault(name.removesuffix(": list"), {})[role] = offered_actions(response)
    # Each action any role is offered on a list, and who is offered it.
    for label, by_role in offered.items():
        for action in sorted(set().union(*by_role.values())):
            for role in ROLES:
                cell = "yes" if action in by_role[role] else ("login" if role == "anonymous" else "no")
                record(f"{label}: action {action}", role, cell)
    for name, url in public_pages(site).items():
        for role, client in clients.items():
            record(name, role, outcome(client.get(url), login_url, form=False))
    post = reverse("comments:post", args=[site.published.slug])
    for n, (role, client) in enumerate(clients.items()):
        response = client.post(post, form_data(email=f"reader{n}@example.com"))
        record("public: post a comment", role, "yes" if response.status_code == 302 else f"HTTP {response.status_code}")
    return matrix


def test_every_role_gets_what_the_permission_table_in_the_docs_says(site):
    documented, observed = documented_matrix(), observed_matrix(site)

    undocumented = sorted(set(observed) - set(documented))
    assert not undocumented, f"Pages missing from docs/permissions.md: {undocumented}"
    stale = sorted(set(documented) - set(observed))
    assert not stale, f"Rows in docs/permissions.md for pages that no longer exist: {stale}"
    for row in documented.values():
        assert set(row.values()) <= OUTCOMES, row
    differences = [
        f"{page} / {role}: table says {documented[page][role]}, site answers {observed[page][role]}"
        for page in observed
        for role in ROLES
        if documented[page][role] != observed[page][role]
    ]
    assert not differences, "\n".join(differences)


def test_the_table_lists_the_five_roles_in_order():
    header = next(line for line in TABLE.read_text().splitlines() if line.startswith("| Page"))
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == ROLES
