"""`<time datetime>` values are valid HTML: to the second, never with Django's six digits of microseconds."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from comments.models import Comment
from newsroom.templatetags.machine_time import machine_datetime
from tests.factories import ArticleFactory, CommentFactory, CorrectionFactory

REPO = Path(__file__).resolve().parents[2]
# HTML's "valid global date and time string" as this site writes it: seconds, then the zone's offset.
MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
A_MOMENT = datetime(2026, 12, 3, 9, 15, 42, 123456, tzinfo=UTC)


def test_the_machine_time_is_to_the_second_with_the_offset_of_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with timezone.override("Europe/Paris"):
        assert machine_datetime(A_MOMENT) == "2026-12-03T10:15:42+01:00"
        rendered = Template("{% load machine_time %}{{ when|machine_datetime }}").render(Context({"when": A_MOMENT}))
    assert rendered == "2026-12-03T10:15:42+01:00"


def test_a_missing_time_gives_an_empty_value_and_a_date_stays_a_date():
    assert machine_datetime(None) == ""
    assert machine_datetime(date(2026, 12, 3)) == "2026-12-03"


def test_every_time_element_in_the_templates_uses_the_one_format():
    """A new template that writes `|date:'c'` (microseconds) into a datetime attribute fails here, before the
    Nu HTML Checker tests would find it on a page."""
    templates = [path for path in REPO.glob("**/templates/**/*.html") if ".venv" not in path.parts]
    assert templates
    written_other_ways = [
        f"{path.relative_to(REPO)}: {value}"
        for path in templates
        for value in re.findall(r'datetime="([^"]*)"', path.read_text())
        if "|machine_datetime" not in value
    ]
    assert written_other_ways == []


@pytest.mark.django_db
def test_every_time_on_an_article_page_is_a_valid_html_time(client):
    """Publication, update, correction and comment times, all made now, so all with microseconds."""
    article = ArticleFactory(published=True)
    CorrectionFactory(article=article)
    CommentFactory(article=article, status=Comment.Status.APPROVED)
    article.refresh_from_db()

    html = client.get(article.get_absolute_url()).content.decode()

    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert len(values) >= 4  # published, updated (by the correction), the correction, the comment
    assert [value for value in values if not MACHINE_TIME.fullmatch(value)] == []
