"""manage.py import_article: what an editor gets from a captured article page, and what is refused."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from reversion.models import Version
from taggit.models import Tag

from articles.capture import ImportRefused, author_name_from_bio, parse_article, parse_source
from articles.demo import DEMO_ARTICLE_PATH
from articles.models import Article, Byline, Section, TaggedArticle
from articles.services import save_article
from authors.models import Author
from images.renditions import rendition_files

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "samples"
WAGNER = DEMO_ARTICLE_PATH
PORT_ELLIS = SAMPLES / "port-ellis-flood-wall.txt"
BAKERY = SAMPLES / "bakery-cooperative.txt"

WAGNER_SUMMARY = (
    "Wagner mercenaries have officially left Mali after three and a half years, transferring control to Africa Corps,"
    " another Russian paramilitary group. The Malian military’s ties with Russia deepen as they face rising threats"
    " from jihadist groups amid a challenging security landscape exacerbated by human rights allegations against"
    " foreign fighters."
)
# Every quotation in the story, typographic quotes and all: none may be escaped, straightened or lost.
WAGNER_QUOTES = (
    "“Officially, Wagner is no longer present in Mali. But the Africa Corps is stepping up,”",
    "“Mission accomplished. PMC Wagner is going home.”",
    "“Russian instructors,”",
    "“The Kremlin remains in control,”",
    "“Wagner yesterday or Africa Corps today, our point of contact remains the same, it is the central power in"
    " Russia, that is to say the Kremlin.”",
)
WAGNER_FIRST_PARAGRAPH = (
    "The paramilitary group Wagner has officially exited Mali, with its operations and personnel handed over to"
    " Africa Corps, another Russian military group that reports directly to the Kremlin. Diplomatic and security"
    " sources disclosed the information, indicating that Wagner had been in Mali for three and a half years prior"
    " to its withdrawal."
)
WAGNER_LAST_PARAGRAPH = (
    "In summary, Wagner’s withdrawal from Mali has transitioned control to Africa Corps, a Russian military group"
    " rooted firmly in the Kremlin’s structure. The situation remains precarious as Mali grapples with increasing"
    " jihadist threats, and allegations of human rights violations linger amid the shifting tides of military"
    " assistance. The ongoing presence of Russian military support underscores a pivotal change in Mali’s security"
    " strategy, having pivoted away from the West since military coups in recent years."
)
WAGNER_BIO = (
    "Marisol Gonzalez is a renowned journalist with expertise in cultural commentary and community engagement."
    " Armed with a degree in Journalism, she began her career in community-based reporting, eventually earning her"
    " way to major media outlets. Her diverse experiences enable her to articulate stories that highlight"
    " marginalized voices and contribute to ongoing conversations about identity and representation."
)


def run_import(*args: object) -> str:
    out = io.StringIO()
    call_command("import_article", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def stored_files() -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def image_file(tmp_path: Path, colour: tuple[int, int, int] = (200, 60, 30), name: str = "hero.png") -> Path:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), colour).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def assert_nothing_written() -> None:
    assert Article.objects.count() == 0
    assert Author.objects.count() == 0
    assert Byline.objects.count() == 0
    assert Section.objects.count() == 0
    assert Tag.objects.count() == 0
    assert TaggedArticle.objects.count() == 0
    assert stored_files() == []


def test_sample_article_keeps_every_part_of_the_capture():
    output = run_import(WAGNER)

    article = Article.objects.get()
    assert article.headline == "Wagner Exits Mali as Africa Corps Takes Over Russian Operations"
    assert article.slug == "wagner-exits-mali-as-africa-corps-takes-over-russian-operations"
    assert article.hero_alt == (
        "Military transition scene showcasing armored vehicles and flags in a desert landscape under a blue sky."
    )
    assert article.summary == WAGNER_SUMMARY
    assert article.body.startswith(f"<p>{WAGNER_FIRST_PARAGRAPH}</p>")
    assert article.body.endswith(f"<p>{WAGNER_LAST_PARAGRAPH}</p>")
    assert article.body.count("<p>") == 12
    for quote in WAGNER_QUOTES:
        assert quote in article.body
    for chrome in ("Loading Now", "Post Comment", "Original Source", "Marisol"):
        assert chrome not in article.body
    assert (article.source_name, article.source_url) == ("inkl.com", "https://www.inkl.com")
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    author = Author.objects.get()
    assert (author.name, author.slug, author.bio) == ("Marisol Gonzalez", "marisol-gonzalez", WAGNER_BIO)
    assert article.byline_authors == [author]
    assert "Created article" in output


def test_second_sample_escapes_html_and_keeps_quotes():
    run_import(PORT_ELLIS)

    article = Article.objects.get()
    assert article.headline == "Port Ellis Votes to Rebuild Its Flood Wall After Winter Storms"
    assert (
        article.hero_alt
        == "Workers in high-visibility jackets stacking concrete blocks along a grey harbour wall at low tide."
    )
    assert article.summary == (
        "Residents of the fishing town approved a £14 million plan on Tuesday after two storms breached the old sea"
        " defences, flooding 60 homes & the lifeboat station."
    )
    assert article.body.count("<p>") == 3
    assert "“We have lived with the sea for three hundred years,” said harbour master Ruth Calloway." in article.body
    # Text that looks like markup stays text: readers see "<20%" and "&", not a broken tag.
    assert "lost &lt;20% of its mass to erosion since 1990 &amp; could not be patched again." in article.body
    assert article.body.endswith("asked the council to phase it.</p>")
    assert (article.source_name, article.source_url) == (
        "coastal-herald.example.com",
        "https://coastal-herald.example.com",
    )
    author = article.byline_authors[0]
    assert (author.name, author.slug) == ("Tomás Ferreira", "tomas-ferreira")
    assert author.bio.startswith("Tomás Ferreira covers coastal communities")
    assert author.bio.endswith("rows competitively in Port Ellis harbour.")


def test_third_sample_keeps_a_source_address_that_has_a_scheme():
    run_import(BAKERY)

    article = Article.objects.get()
    assert article.headline == "Bakers Turn a Closing Factory Into the Region’s Largest Cooperative"
    assert article.slug == "bakers-turn-a-closing-factory-into-the-regions-largest-cooperative"
    assert article.body.count("<p>") == 6
    assert article.body.startswith("<p>The factory had baked bread for supermarkets across three counties since 1962.")
    assert "“People said bakers can’t run a business,” said Priya Anand" in article.body
    assert article.body.endswith("survival rates are comparable with conventional businesses.</p>")
    # The source line gives the story's own address: the original article, and the site's home page as source.
    assert article.source_name == "example.net"
    assert article.source_url == "https://www.example.net"
    assert article.original_url == "https://www.example.net/business/bakery-cooperative"
    assert article.canonical == Article.Canonical.THIS_PAGE
    assert article.byline_authors[0].name == "Amara Okafor-Nwosu"


def test_importing_the_same_file_twice_updates_one_article_and_duplicates_nothing(tmp_path):
    image = image_file(tmp_path)
    options = ["--section", "World", "--tag", "Mali", "--tag", "Sahel", "--publish", "--image", image]
    run_import(WAGNER, *options, "--image-caption", "A caption", "--image-credit", "Reuters/Jane Doe")
    first = Article.objects.get()
    first_image, first_published_at = first.hero_image.name, first.published_at
    first_files = stored_files()

    output = run_import(WAGNER, *options, "--image-caption", "A better caption", "--image-credit", "Reuters/Jane Doe")

    article = Article.objects.get()
    assert article.pk == first.pk
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first_published_at
    assert article.hero_image.name == first_image
    assert article.hero_caption == "A better caption"
    assert (article.hero_width, article.hero_height) == (800, 450)
    assert Author.objects.count() == 1
    assert Byline.objects.count() == 1
    assert Section.objects.count() == 1
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Mali", "Sahel"]
    assert TaggedArticle.objects.count() == 2
    assert stored_files() == first_files  # the image and its renditions, made once
    assert "Updated article" in output
    assert "image: unchanged" in output


def test_original_address_and_canonical_choice_are_recorded_and_kept_by_a_later_import():
    original = "https://www.inkl.com/news/wagner-exits-mali"
    run_import(WAGNER, "--original-url", original, "--canonical", "original")
    article = Article.objects.get()
    assert (article.source_url, article.original_url, article.canonical) == (
        "https://www.inkl.com",
        original,
        Article.Canonical.ORIGINAL,
    )

    # The capture names only the site: a re-import keeps the address and choice already recorded.
    output = run_import(WAGNER)

    article.refresh_from_db()
    assert (article.original_url, article.canonical) == (original, Article.Canonical.ORIGINAL)
    assert "Unchanged article" in output


def test_reimporting_an_unchanged_file_saves_nothing_and_shows_no_update():
    run_import(WAGNER, "--section", "World", "--tag", "Mali", "--publish")
    first = Article.objects.get()

    output = run_import(WAGNER, "--section", "World", "--tag", "Mali", "--publish")

    article = Article.objects.get()
    assert (article.updated_at, article.lock_version) == (first.updated_at, first.lock_version)
    assert Version.objects.get_for_object(article).count() == 1
    assert "Unchanged article" in output


def test_reimport_after_the_slug_was_changed_updates_the_article_at_its_new_address(tmp_path):
    run_import(WAGNER, "--publish")
    article = Article.objects.get()
    article.slug = "wagner-leaves-mali"
    save_article(article)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(WAGNER.read_text().replace("three and a half years", "three and a half years (corrected)"))

    output = run_import(corrected)

    article = Article.objects.get()
    assert article.slug == "wagner-leaves-mali"
    assert "(corrected)" in article.summary
    assert "Updated article" in output


def test_reimport_brings_in_corrections_from_the_file(tmp_path):
    run_import(WAGNER)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(WAGNER.read_text().replace("three and a half years", "three and a half years (corrected)"))

    run_import(corrected)

    article = Article.objects.get()
    assert "(corrected)" in article.summary
    assert "(corrected)" in article.body


def test_edited_author_bio_and_name_survive_reimport():
    run_import(WAGNER)
    Author.objects.update(name="Marisol González", bio="Edited in the admin.")

    run_import(WAGNER)

    author = Author.objects.get()
    assert (author.name, author.bio) == ("Marisol González", "Edited in the admin.")


def test_second_article_by_the_same_author_reuses_the_author(tmp_path):
    run_import(WAGNER)
    other = tmp_path / "other.txt"
    other.write_text(WAGNER.read_text().replace("Wagner Exits Mali as", "Analysis: Wagner Exits Mali as"))

    run_import(other)

    assert Article.objects.count() == 2
    assert Author.objects.count() == 1
    assert Byline.objects.count() == 2


def test_reimport_without_publish_does_not_unpublish():
    run_import(WAGNER, "--publish")

    run_import(WAGNER)

    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_section_is_found_by_name_whatever_its_case():
    section = Section.objects.create(name="World", slug="world", position=1)

    run_import(WAGNER, "--section", "world")

    assert Section.objects.count() == 1
    assert Article.objects.get().section == section


def test_new_image_replaces_the_stored_file(tmp_path, django_capture_on_commit_callbacks):
    run_import(WAGNER, "--image", image_file(tmp_path, (10, 10, 10), "first.png"))
    old_name = Article.objects.get().hero_image.name

    with django_capture_on_commit_callbacks(execute=True):
        run_import(WAGNER, "--image", image_file(tmp_path, (250, 250, 250), "second.png"))

    article = Article.objects.get()
    assert article.hero_image.name != old_name
    names = [article.hero_image.name, *rendition_files(article.hero_renditions)]
    assert stored_files() == sorted(Path(settings.MEDIA_ROOT) / name for name in names)


def _sample_with(*, drop: tuple[str, ...] = (), replace: tuple[tuple[str, str], ...] = ()) -> str:
    blocks = WAGNER.read_text(encoding="utf-8").split("\n\n")
    blocks = [block for block in blocks if not block.startswith(drop)] if drop else blocks
    text = "\n\n".join(blocks)
    for old, new in replace:
        text = text.replace(old, new)
    return text


LONG_PARAGRAPH = "The paramilitary group Wagner has officially exited Mali. " * 6
REFUSALS = {
    "empty": (b"", "the file is empty"),
    "blank lines only": (b"\n\n   \n\n", "the file is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "not utf-8": ("Café owners protest\n\nA café.\n".encode("latin-1"), "not UTF-8"),
    "chrome only": (b"Loading Now\n\nPost Comment\n", "no headline"),
    "paragraph instead of headline": (
        _sample_with(drop=("Loading Now", "Wagner Exits Mali")).replace("Military transition", LONG_PARAGRAPH, 1),
        "no headline: the first block is",
    ),
    "headline missing": (_sample_with(drop=("Loading Now", "Wagner Exits Mali", "Military")), "no headline"),
    "too few blocks": (
        "Wagner Exits Mali\n\nArmoured vehicles.\n\nWagner has left.\n\nOriginal Source: www.inkl.com\n\n"
        "Marisol Gonzalez is a journalist.\n",
        "too few blocks",
    ),
    "no author bio": (_sample_with(drop=("Marisol Gonzalez",)), "no author bio"),
    "bio without a name": (
        _sample_with(replace=(("Marisol Gonzalez is a renowned", "A renowned"),)),
        "no author bio",
    ),
    "source with another scheme": (
        _sample_with(replace=(("www.inkl.com", "javascript:alert(1)"),)),
        "not an http or https address",
    ),
    "ftp source": (_sample_with(replace=(("www.inkl.com", "ftp://files.inkl.com"),)), "not an http or https"),
}


@pytest.mark.parametrize(("content", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_unreadable_file_is_refused_with_a_clear_message_and_nothing_is_written(tmp_path, content, message):
    capture = tmp_path / "capture.txt"
    capture.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    options = ["--section", "World", "--tag", "Mali", "--publish", "--image", image_file(tmp_path)]

    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        run_import(capture, *options)

    assert str(refused.value).startswith(f"Refused {capture}: ")
    assert "\n" not in str(refused.value)
    assert_nothing_written()


def test_file_that_is_not_an_image_is_refused_and_nothing_is_written(tmp_path):
    not_an_image = tmp_path / "photo.jpg"
    not_an_image.write_text("this is text")

    with pytest.raises(CommandError, match="not an image"):
        run_import(WAGNER, "--section", "World", "--tag", "Mali", "--image", not_an_image)

    assert_nothing_written()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--tag", "  "], "a tag is empty"),
        (["--section", "!!!"], "section name is empty"),
        (["--image-caption", "No image given"], "add --image PATH"),
        (["--image", "/nonexistent/hero.jpg"], "cannot read the image"),
        (["--original-url", "javascript:alert(1)"], "is not an http or https address"),
        (["--canonical", "original"], "Give the original article's address"),
    ],
    ids=[
        "blank tag",
        "section without letters",
        "caption without image",
        "missing image",
        "original not a web address",
        "canonical original without its address",
    ],
)
def test_bad_option_is_refused_and_nothing_is_written(options, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run_import(WAGNER, "--section", "World", *options)

    assert_nothing_written()


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run_import(tmp_path / "nowhere.txt")

    assert_nothing_written()


def test_refused_reimport_leaves_the_existing_article_as_it_was(tmp_path):
    run_import(WAGNER)
    broken = tmp_path / "broken.txt"
    broken.write_text(_sample_with(drop=("Marisol Gonzalez",), replace=(("three and a half", "four"),)))

    with pytest.raises(CommandError):
        run_import(broken, "--tag", "Mali")

    article = Article.objects.get()
    assert "four years" not in article.summary
    assert Tag.objects.count() == 0


def test_refusal_on_the_command_line_exits_non_zero(tmp_path):
    """Run as an editor would, in its own process, against a throwaway database."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "DJANGO_MEDIA_ROOT": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(empty)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert f"Refused {empty}: the file is empty" in result.stderr
    assert_nothing_written()


def test_windows_line_endings_read_the_same():
    text = WAGNER.read_text(encoding="utf-8")

    assert parse_article(text.replace("\n", "\r\n")) == parse_article(text)


@pytest.mark.parametrize(
    ("bio", "name"),
    [
        ("Marisol Gonzalez is a renowned journalist.", "Marisol Gonzalez"),
        ("Ana de la Cruz writes about science.", "Ana de la Cruz"),
        ("Mary Jane Van Buren reports from Washington.", "Mary Jane Van Buren"),
        ("Jean-Luc O’Brien covers sport.", "Jean-Luc O’Brien"),
        ("Élodie Martin was the paris bureau chief.", "Élodie Martin"),
        ("Madonna is a singer.", None),
        ("A renowned journalist is writing.", None),
        ("marisol gonzalez is a journalist.", None),
        ("Marisol Gonzalez, journalist.", None),
        ("One Two Three Four Five is too long a name.", None),
    ],
)
def test_author_name_is_read_from_the_bio_opening(bio, name):
    assert author_name_from_bio(bio) == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("www.inkl.com", ("inkl.com", "https://www.inkl.com", "")),
        ("inkl.com", ("inkl.com", "https://inkl.com", "")),
        ("https://inkl.com/", ("inkl.com", "https://inkl.com/", "")),
        ("http://www.example.org/story", ("example.org", "http://www.example.org", "http://www.example.org/story")),
        (
            "HTTPS://WWW.Example.org/Story",
            ("example.org", "https://WWW.Example.org", "HTTPS://WWW.Example.org/Story"),
        ),
        (
            "www.inkl.com/news/wagner?ref=feed",
            ("inkl.com", "https://www.inkl.com", "https://www.inkl.com/news/wagner?ref=feed"),
        ),
    ],
)
def test_source_name_home_page_and_original_article(value, expected):
    assert parse_source(value) == expected


@pytest.mark.parametrize(
    "value", ["", "javascript:alert(1)", "mailto:desk@example.org", "ftp://example.org", "not a url"]
)
def test_source_that_is_not_a_web_address_is_refused(value):
    with pytest.raises(ImportRefused):
        parse_source(value)
