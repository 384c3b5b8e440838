"""export_site and import_site: the demo plus generated content goes out to a folder and back into an
empty database and media storage, and every row and every public page comes back identical; a
damaged, incomplete or newer archive, or a database that already has content, is refused with a clear
message and nothing written."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, Section
from articles.services import append_correction
from authors.models import Author
from comments.models import Comment, ModerationSettings
from newsroom.backup import EXPORTED, MADE_BY_MIGRATIONS, NOT_EXPORTED, exported_models
from newsroom.models import Page, Publication
from tests.articles.admin_forms import change_form_data, change_url
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory

pytestmark = pytest.mark.django_db


def run(command: str, *args: object) -> str:
    out = io.StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_model_is_either_in_the_backup_or_left_out_for_a_stated_reason():
    labels = {model._meta.label_lower for model in apps.get_models()}
    assert labels - set(EXPORTED) - set(NOT_EXPORTED) == set()
    assert set(EXPORTED) | set(NOT_EXPORTED) <= labels  # no stale names either


@pytest.fixture
def site(few_renditions, desk_editor) -> None:
    """The demo, and more of what a newsroom accumulates: edits with revisions, corrections, an old
    address, comments of every status in threads, a standing page, changed settings."""
    run("load_demo")
    # An archive's worth of generated stories, bylines, tags, shared pictures, threads and corrections.
    run("generate_archive", "--articles", 40, "--comments", 120, "--images", 2, "--seed", 3)
    Publication.objects.update(name="The Daily Ledger", tagline="News from the Sahel.")
    Page.objects.create(title="Masthead", slug="masthead", body="<p>Who we are.</p>")
    settings_row = ModerationSettings.load()
    settings_row.blocked_words = "casino\nlottery"
    settings_row.save()
    world = Section.objects.get(slug="world")
    for n in range(3):
        article = ArticleFactory(published=True, section=world, authors=[AuthorFactory()], headline=f"Story {n}")
        article.tags.add("Mali", f"Topic {n}", "Señor")
        first = CommentFactory(article=article, status=Comment.Status.APPROVED)
        CommentFactory(article=article, parent=first, status=Comment.Status.APPROVED)
        CommentFactory(article=article, status=Comment.Status.PENDING)
        CommentFactory(article=article, status=Comment.Status.SPAM)
    ArticleFactory(headline="A draft nobody sees")
    demo = Article.objects.get(slug__startswith="wagner-exits-mali")
    append_correction(article=demo, kind="correction", text="An earlier version misspelled Bamako.", user=desk_editor)
    client = Client()
    client.force_login(desk_editor)
    # Through the admin: a revision, a new address (the old one kept as a redirect), an admin log entry.
    response = client.post(change_url(demo), change_form_data(demo, slug="wagner-leaves-mali"))
    assert response.status_code == 302


def snapshot_rows() -> dict[str, list[dict]]:
    return {m._meta.label_lower: list(m._default_manager.order_by("pk").values()) for m in exported_models()}


FORM_TOKENS = re.compile(r'(name="(?:token|csrfmiddlewaretoken)" value=")[^"]*"')


def public_pages() -> dict[str, str]:
    """Every page a reader or a crawler can reach, as served (form tokens are fresh on every render)."""
    cache.clear()
    urls = ["/", "/feed/", "/feed/atom/", "/sitemap.xml", "/news-sitemap.xml", "/search/?q=mali", "/robots.txt"]
    urls += ["/corrections/", "/corrections/feed/", "/sitemap-articles.xml"]
    urls += [article.get_absolute_url() for article in Article.objects.published()]
    urls += [reverse("articles:section", args=[s.slug]) for s in Section.objects.all()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    urls += [reverse("pages:detail", args=[page.slug]) for page in Page.objects.all()]
    urls += [
        "/articles/" + slug + "/" for slug in Article.objects.values_list("slug_redirects__old_slug", flat=True) if slug
    ]
    pages = {}
    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 301), (url, response.status_code)
        body = response.content.decode() if response.status_code == 200 else response["Location"]
        pages[url] = FORM_TOKENS.sub(r'\1"', body)
    return pages


def snapshot_media() -> dict[str, bytes]:
    root = Path(default_storage.location)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_the_site() -> None:
    """What a new server has after `migrate`: the migrations' own rows, no content, no media files."""
    for model in reversed(exported_models()):
        if model._meta.label_lower not in MADE_BY_MIGRATIONS:
            model._default_manager.all().delete()
    Publication.objects.all().delete()
    Publication.objects.create(pk=1)
    ModerationSettings.objects.all().delete()
    ModerationSettings.load()
    shutil.rmtree(default_storage.location)
    cache.clear()


def test_a_site_exported_and_imported_into_an_empty_database_comes_back_identical(site, tmp_path):
    rows, pages, media = snapshot_rows(), public_pages(), snapshot_media()
    assert len(media) >= 2 and len(pages) > 15  # the demo picture and its rendition; every reader page

    output = run("export_site", tmp_path / "backup")
    empty_the_site()
    assert Article.objects.count() == 0 and not Path(default_storage.location).exists()
    imported = run("import_site", tmp_path / "backup")

    assert f"{sum(len(r) for r in rows.values())} rows and {len(media)} media files" in output
    assert f"{sum(len(r) for r in rows.values())} rows and {len(media)} media files" in imported
    assert snapshot_rows() == rows
    assert snapshot_media() == media
    assert public_pages() == pages
    # The site goes on after the move: new rows get new ids (PostgreSQL's sequences were moved on).
    assert ArticleFactory(published=True).pk > max(row["id"] for row in rows["articles.article"])


def test_the_manifest_documents_format_counts_and_checksums(site, tmp_path):
    run("export_site", tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert (manifest["format"], manifest["version"]) == ("newsroom-site", 1)
    assert manifest["rows"]["articles.article"] == Article.objects.count()
    assert manifest["rows"]["comments.comment"] == Comment.objects.count() == 12 + 120
    assert all(len(chunk["sha256"]) == 64 for chunk in manifest["data"])
    assert set(manifest["media"]) == set(snapshot_media())


@pytest.fixture
def archive(site, tmp_path) -> Path:
    """An export of the site, and the site emptied, ready for an import."""
    folder = tmp_path / "backup"
    run("export_site", folder)
    empty_the_site()
    return folder


def assert_nothing_imported() -> None:
    assert Article.objects.count() == Author.objects.count() == Comment.objects.count() == 0
    assert Publication.objects.get().name == "Newsroom"
    assert not Path(default_storage.location).exists() or not any(Path(default_storage.location).rglob("*.*"))


def refused(folder: Path) -> str:
    with pytest.raises(CommandError) as refusal:
        run("import_site", folder)
    return str(refusal.value)


def test_an_archive_missing_an_image_file_is_refused_and_nothing_is_written(archive):
    missing = next((archive / "media").rglob("*.jpg"))
    missing.unlink()
    message = refused(archive)
    assert "incomplete or damaged" in message and f"{missing.name} is missing" in message
    assert_nothing_imported()


def test_a_damaged_data_file_is_refused_and_nothing_is_written(archive):
    chunk = sorted((archive / "data").glob("*.json"))[-1]
    chunk.write_text(chunk.read_text()[:-40])  # cut short, as a full disk or an interrupted copy leaves it
    message = refused(archive)
    assert f"data/{chunk.name} is damaged" in message
    assert_nothing_imported()


def test_an_archive_from_a_newer_newsroom_is_refused_with_what_to_do(archive):
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["version"] = 2
    (archive / "manifest.json").write_text(json.dumps(manifest))
    assert "format version 2, written by a newer newsroom" in refused(archive)
    assert_nothing_imported()


def test_an_archive_whose_database_had_newer_migrations_is_refused(archive):
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["migrations"].append(["articles", "9999_from_the_future"])
    (archive / "manifest.json").write_text(json.dumps(manifest))
    message = refused(archive)
    assert "written by a newer newsroom" in message and "articles.9999_from_the_future" in message
    assert_nothing_imported()


def test_a_folder_that_is_not_an_archive_is_refused(tmp_path, db):
    assert "has no manifest.json" in refused(tmp_path)
    assert "is not a folder" in refused(tmp_path / "nowhere")


def test_importing_over_existing_content_is_refused_and_nothing_is_written(archive):
    ArticleFactory(headline="Already here")
    message = refused(archive)
    assert "already holds content (" in message and "1 articles.article" in message
    assert list(Article.objects.values_list("headline", flat=True)) == ["Already here"]


def test_exporting_into_a_folder_with_files_is_refused(tmp_path, db):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="is not empty"):
        run("export_site", tmp_path / "old")
