"""Every public page type is valid HTML (the Nu HTML Checker finds 0 errors) and accessible (axe-core finds 0
WCAG 2.2 AA violations, on a 375 px phone and a 1280 px laptop).

How it runs (docs/testing.md has more): the demo site is built once for the module (load_demo, then the
comments, corrections and notes the pages show) and each page in PAGES is fetched once through Django's test
client. The Nu HTML Checker (the vnu-jar package from npm, a Java program) then checks every page in one run,
and Chromium opens the same fetched HTML at its address on the live server, where it loads the site's real
stylesheets, scripts and images, and axe-core checks it at both widths. A page fetched once is the page both
tools judge, the comment form answered with errors included, which a browser cannot fetch (it is a POST).

The tools come from package.json (`make test` installs them into node_modules/). Without Java, node_modules or
Chromium, the tests skip and say why; with NEWSROOM_REQUIRE_SERVICES=1 (CI) they fail instead.
"""

import json
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from playwright.sync_api import Route, sync_playwright

from articles.demo import load_demo
from articles.models import Article, Correction
from articles.services import append_correction, withdraw_articles
from comments.models import Comment
from comments.notifications import unsubscribe_token
from newsroom.paging import Cursor
from newsroom.publication import current_publication
from tests.browser import CHROMIUM_ARGS, TIMEOUT_MS
from tests.conftest import CHROMIUM, require_service
from tests.factories import ArticleFactory, CommentFactory
from tests.images.files import image_upload

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe-core tags with these. (wcag22a has no rules of its own.)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
WIDTHS = (375, 1280)  # a small phone and a laptop
HEIGHT = 800


@dataclass(frozen=True)
class PageCase:
    """One page to check. `path` may name the demo's objects: {article}, {section}, {tag}, {author}, {slug}
    (the article's slug), {comment} (the first comment's id). `contains` is text the answer must hold, so a
    table row cannot quietly check an error page instead of the page it names."""

    name: str
    path: str
    status: int = 200
    contains: str = ""
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()  # the form a POST sends; none is a reader's empty submit


# Every public page type. Add a row for a new one: both tools check it at once.
PAGES: list[PageCase] = [
    PageCase("home", "/", contains="Wagner Exits Mali"),
    PageCase("article", "{article}", contains='class="correction'),
    PageCase("article comments page 2", "{article}?comments_page=2", contains="Comments page 2 of 2"),
    PageCase("article, replying to a comment", "{article}?reply_to={comment}#comment-form", contains="Post reply"),
    PageCase("section", "{section}", contains="Wagner Exits Mali"),
    PageCase("section, older stories", "{section}{older}", contains="Sahel states leave ECOWAS"),
    PageCase("tag", "{tag}", contains="Wagner Exits Mali"),
    PageCase("author", "{author}", contains="Wagner Exits Mali"),
    PageCase("search results", "/search/?q=Wagner", contains="<mark>"),
    PageCase("search without results", "/search/?q=zeppelin", contains="No results for"),
    PageCase("standing page", "/pages/about/", contains="About us"),
    PageCase("corrections", "/corrections/", contains="Corrections and updates"),
    PageCase("comment form with errors", "/comments/post/{slug}/", method="POST", contains="error-summary"),
    PageCase("not found", "/no-such-page/", status=404),
    PageCase("withdrawn story", "{withdrawn}", status=410, contains="withdrawn for legal reasons"),
    PageCase(
        "comment refused, comments closed",
        "/comments/post/{closed_slug}/",
        method="POST",
        data=(("body", "Kept for the reader to copy."),),
        status=403,
        contains="Kept for the reader to copy.",
    ),
    PageCase("comment form's address opened", "/comments/post/{slug}/", status=405),
    PageCase("stop reply emails", "/comments/unsubscribe/{unsubscribe_token}/", contains="Stop reply emails"),
]
PAGE_NAMES = [case.name for case in PAGES]

# The live server makes every test here transactional (pytest-django orders those last); the data itself is
# built once, in the module's fixture.
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Checked:
    """What the module's one build, fetch and check found, page by page."""

    nu_errors: dict[str, list[str]] | None = None  # None: the checker could not run
    nu_unavailable: str = ""
    axe_violations: dict[str, list[str]] | None = None
    axe_unavailable: str = ""


def build_demo_site() -> dict[str, str]:
    """The demo story with everything its page can show: hero image, tags, a correction and an update note,
    comment threads over two pages with a reply, the author's photo; and the publication's logo, share image,
    social accounts and contact address in every page's header, head and footer. Returns the addresses PAGES
    may name."""
    publication = current_publication()
    publication.logo = image_upload("logo.png", size=(600, 120))
    publication.share_image = image_upload("share.png", size=(1200, 630))
    publication.contact_email = "newsdesk@example.com"
    publication.x_handle = "newsroom"
    publication.facebook_url = "https://www.facebook.com/newsroom"
    publication.instagram_handle = "newsroom"
    publication.mastodon_url = "https://mastodon.social/@newsroom"
    publication.full_clean()
    publication.save()
    article = load_demo().article
    author = article.byline_authors[0]
    author.photo = image_upload("face.png", size=(400, 400))
    author.save()
    append_correction(article=article, kind=Correction.Kind.CORRECTION, text="An earlier version misdated the exit.")
    append_correction(article=article, kind=Correction.Kind.UPDATE, text="Adds the ministry's statement.")
    first = CommentFactory(
        article=article, status=Comment.Status.APPROVED, name="Awa Traoré", body="A clear account, thank you."
    )
    CommentFactory(
        article=article, parent=first, status=Comment.Status.APPROVED, name="Jon Lee", body="Agreed, and well sourced."
    )
    for name in ("Ines Moreau", "Karim Haddad"):
        CommentFactory(article=article, status=Comment.Status.APPROVED, name=name, body="What happens in Gao next?")
    # Two older stories in the same section, tag and byline: with two stories a page, every list has a second page.
    for days, headline in ((1, "Mali's junta extends the transition"), (2, "Sahel states leave ECOWAS")):
        ArticleFactory(
            published=True,
            published_at=article.published_at - timedelta(days=days),
            headline=headline,
            summary="Background to the withdrawal.",
            section=article.section,
            authors=[author],
            tags=["Mali"],
        )
    # Fixed words throughout (the factories' defaults are random): the same pages on every run.
    withdrawn, closed = (
        ArticleFactory(
            published=True,
            published_at=article.published_at - timedelta(days=3),
            headline=headline,
            summary="A story of the demo site.",
            section=article.section,
            authors=[author],
            is_closed_for_comments=comments_closed,
        )
        for headline, comments_closed in (("A story taken down", False), ("Comments closed on this one", True))
    )
    withdraw_articles(Article.objects.filter(pk=withdrawn.pk), notice="This story was withdrawn for legal reasons.")
    article = Article.objects.for_detail().get(pk=article.pk)
    day_old = Article.objects.get(headline="Mali's junta extends the transition")
    return {
        "article": article.get_absolute_url(),
        "slug": article.slug,
        "section": article.section.get_absolute_url(),
        "tag": f"/tags/{article.tags.order_by('name').first().slug}/",
        "author": article.byline_authors[0].get_absolute_url(),
        "comment": str(first.pk),
        "withdrawn": withdrawn.get_absolute_url(),
        "closed_slug": closed.slug,
        "unsubscribe_token": unsubscribe_token("awa@example.com"),
        # The section's older stories, after the story a day old (listings page by cursor: newsroom/paging.py).
        "older": f"?before={Cursor.of(day_old)}",
    }


def fetch(client: Client, case: PageCase, names: dict[str, str]) -> tuple[str, int, dict[str, str], str]:
    """The page's address, status, headers and HTML."""
    path = case.path.format(**names)
    response = client.post(path, dict(case.data)) if case.method == "POST" else client.get(path)
    html = response.content.decode()
    assert response.status_code == case.status, f"{case.name}: {path} answered {response.status_code}"
    assert case.contains in html, f"{case.name}: {path} does not contain {case.contains!r}"
    return path, response.status_code, dict(response.items()), html


# A page with faults each tool must find, checked with the real pages: a run that finds nothing in it did not
# really check anything (a checker that failed to start, a report read wrongly, axe not injected).
BROKEN_PAGE = PageCase("a deliberately broken page", "/broken-page-for-the-checkers/")
BROKEN_HTML = (
    "<!doctype html><html><head><title>Broken</title></head><body>"
    '<p><time datetime="2026-12-03T09:15:42.123456+00:00">3 December</time></div>'
    '<img src="/static/favicon.svg"><p style="color: #bbb; background: #fff">Faint text</p></body></html>'
)
BROKEN_PAGE_NU_ERRORS = ("A fraction of a second must be one, two, or three digits", "Stray end tag “div”")
BROKEN_PAGE_AXE_RULES = {"html-has-lang", "image-alt", "color-contrast"}


def start_nu_checker(pages: dict[str, str], folder: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start one run of the checker over every page, and return it with the page each file holds.

    One run, because each starts a JVM and loads the checker's schemas (seconds on a busy machine); it runs
    while the browser checks the same pages."""
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number:02}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    # Java is the one on PATH, as for a person running the checker by hand.
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
    command += [str(folder / name) for name in files]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), files


def nu_checker_errors(run: subprocess.Popen, files: dict[str, str]) -> dict[str, list[str]]:
    """The checker's errors by page. Warnings are advice and pass; "info" messages are ignored. A message the
    checker could not tie to a file (one it failed to read) counts against every page."""
    stdout, stderr = run.communicate(timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"The Nu HTML Checker failed ({run.returncode}): {stderr}")
    errors: dict[str, list[str]] = {name: [] for name in files.values()}
    for message in json.loads(stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal" or message["type"] == "non-document-error":
            text = f"line {message.get('lastLine', '?')}: {message['message']}"
            if extract := message.get("extract"):
                text += f"\n      {extract.strip()!r}"
            page = files.get(message.get("url", "").rpartition("/")[2])
            for name in [page] if page else errors:
                errors[name].append(text)
    return errors


def axe_violations(pages: dict[str, tuple[str, int, dict[str, str], str]], base_url: str) -> dict[str, list[str]]:
    """axe-core's violations on each page at each width, in Debian's Chromium.

    Chromium asks the live server for each page's address, and Playwright answers that one request with the
    HTML fetched for the checker, headers (the Content Security Policy among them) and all; the stylesheets,
    scripts and images come from the live server. One tab loads each page at 375 px, then axe runs, the tab is
    widened to 1280 px and axe runs again: media queries apply at once, no reload needed."""
    violations: dict[str, list[str]] = {}
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        # As in tests/browser.py: Playwright keeps an asyncio loop in this thread; no ORM call is made while it runs.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base_url)
            context.set_default_timeout(TIMEOUT_MS)
            # Into every document before its own scripts, by the browser rather than by a <script> element, so
            # the page's Content Security Policy stays in force and still lets axe run.
            context.add_init_script(path=str(AXE_JS))
            page = context.new_page()
            for name, (path, status, headers, html) in pages.items():
                url = base_url + path.partition("#")[0]  # the fragment stays in the browser, never in a request
                served: list[str] = []
                page.route(lambda address, url=url: address == url, answer_with(status, headers, html, served), times=1)
                page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
                page.goto(base_url + path)
                # Had the route missed, the live server would have answered from an empty database: a 404 page
                # checked in place of the page named.
                assert served == [url], f"{name}: the browser was not given the fetched page ({served})"
                found = []
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    for violation in page.evaluate(AXE_RUN, AXE_TAGS)["violations"]:
                        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                        found.append(
                            f"{width} px: {violation['id']} ({violation['impact']}): {violation['help']}"
                            f" — {len(violation['nodes'])} element(s): {targets}"
                        )
                violations[name] = found
        finally:
            browser.close()
    return violations


def answer_with(status: int, headers: dict[str, str], html: str, served: list[str]) -> Callable[[Route], None]:
    """A route handler answering with a page fetched earlier, noting in `served` that it did. (Playwright also
    passes the request to a handler that takes a second argument, so the page cannot be bound as default
    arguments of the handler.)"""

    def answer(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=status, headers=headers, body=html)

    return answer


def nu_checker_missing() -> str:
    if not VNU_JAR.exists():
        return "node_modules/vnu-jar is missing (make test installs it with npm ci)"
    if not shutil.which("java"):
        return "java is missing (apt-get install default-jre-headless)"
    return ""


def axe_missing() -> str:
    if not AXE_JS.exists():
        return "node_modules/axe-core is missing (make test installs it with npm ci)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return ""


@pytest.fixture(scope="module")
def checked(django_db_setup, django_db_blocker, live_server, tmp_path_factory) -> Iterator[Checked]:
    """Build, fetch and check once for the module; the tests below only read what was found.

    The module's data lives in one transaction, rolled back once every page is fetched, so nothing outlives
    it; the live server then serves only static files and uploads."""
    checked = Checked(nu_unavailable=nu_checker_missing(), axe_unavailable=axe_missing())
    if checked.nu_unavailable and checked.axe_unavailable:
        yield checked
        return
    folder = tmp_path_factory.mktemp("valid-pages")
    here = override_settings(
        MEDIA_ROOT=folder / "media",
        # Unhashed static files, as tests/conftest.py gives every test: no collectstatic needed.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        CACHES={"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}},
        # Two threads and two stories a page, so the comments and every list of stories have a second page.
        COMMENTS_THREADS_PER_PAGE=2,
        ARTICLES_PER_PAGE=2,
    )
    with here, django_db_blocker.unblock():
        with transaction.atomic():
            names = build_demo_site()
            client = Client()
            fetched = {case.name: fetch(client, case, names) for case in PAGES}
            transaction.set_rollback(True)
        fetched[BROKEN_PAGE.name] = (BROKEN_PAGE.path, 200, {"Content-Type": "text/html; charset=utf-8"}, BROKEN_HTML)
        nu_run = None
        if not checked.nu_unavailable:
            nu_run = start_nu_checker({name: html for name, (_, _, _, html) in fetched.items()}, folder)
        try:
            if not checked.axe_unavailable:
                # The live server's request signals touch the database connection, even to serve a file: the
                # blocker stays lifted.
                checked.axe_violations = axe_violations(fetched, live_server.url)
        finally:
            if nu_run:
                # Read even when the browser failed, so the checker's process never outlives the module.
                checked.nu_errors = nu_checker_errors(*nu_run)
    yield checked


def report(problems_by_page: dict[str, list[str]]) -> str:
    """Every page with problems, each with its own list: the one failure says everything there is to fix."""
    failing = {name: problems for name, problems in problems_by_page.items() if problems}
    return f"{len(failing)} of {len(PAGES)} pages:\n" + "\n".join(
        f"- {name} ({len(problems)}):\n    " + "\n    ".join(problems) for name, problems in failing.items()
    )


# One test per tool over every page, rather than one per page: each test here is transactional (the live
# server), and emptying the database after each of three dozen tests cost more than the checks on PostgreSQL.
def test_every_page_has_no_nu_html_checker_errors(checked: Checked) -> None:
    if checked.nu_errors is None:
        require_service(checked.nu_unavailable)
    pages = {name: checked.nu_errors[name] for name in PAGE_NAMES}
    if any(pages.values()):
        pytest.fail(report(pages), pytrace=False)


@pytest.mark.browser
def test_every_page_has_no_axe_violations_on_a_phone_or_a_laptop(checked: Checked) -> None:
    if checked.axe_violations is None:
        require_service(checked.axe_unavailable)
    pages = {name: checked.axe_violations[name] for name in PAGE_NAMES}
    if any(pages.values()):
        pytest.fail(report(pages), pytrace=False)


def test_the_nu_html_checker_finds_the_errors_of_a_broken_page(checked: Checked) -> None:
    if checked.nu_errors is None:
        require_service(checked.nu_unavailable)
    errors = "\n".join(checked.nu_errors[BROKEN_PAGE.name])
    assert [expected for expected in BROKEN_PAGE_NU_ERRORS if expected not in errors] == [], errors


@pytest.mark.browser
def test_axe_finds_the_violations_of_a_broken_page_at_both_widths(checked: Checked) -> None:
    if checked.axe_violations is None:
        require_service(checked.axe_unavailable)
    found = checked.axe_violations[BROKEN_PAGE.name]
    expected = [f"{width} px: {rule} " for width in WIDTHS for rule in sorted(BROKEN_PAGE_AXE_RULES)]
    assert [line for line in expected if not any(seen.startswith(line) for seen in found)] == [], found
