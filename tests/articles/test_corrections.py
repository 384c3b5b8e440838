"""Corrections and updates: notes an editor appends to a published story, shown at its foot in order."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.revisions import saved_in, versions_of
from newsroom.templatetags.machine_time import machine_datetime
from tests.articles.admin_forms import change_form_data, change_url, with_new_note
from tests.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        published=True, published_at=timezone.now() - timedelta(days=1), body="<p>The vote is on Monday.</p>"
    )


def add_note(client, article: Article, kind: str, text: str, **changes: object):
    article.refresh_from_db()
    data = with_new_note(change_form_data(article, **changes), kind, text)
    return client.post(change_url(article), data)


def test_editor_appends_a_correction_and_readers_see_it_at_the_foot_with_the_updated_time(
    editor_client, client, admin_user, story
):
    text = "An earlier version of this story gave the wrong day for the vote. It is on Tuesday."

    response = add_note(editor_client, story, Correction.Kind.CORRECTION, text)

    assert response.status_code == 302
    note = Correction.objects.get(article=story)
    assert (note.kind, note.text, note.created_by) == ("correction", text, admin_user)
    story.refresh_from_db()
    assert story.updated_at == note.created_at
    html = client.get(story.get_absolute_url()).content.decode()
    footer = html[html.index('<footer class="story__footer">') :]
    assert "Corrections and updates" in footer
    assert text in footer
    assert f'updated <time datetime="{machine_datetime(note.created_at)}' in html


def test_an_editor_in_the_editor_role_appends_a_note_and_then_sees_it_read_only(desk_editor_client, desk_editor, story):
    """The Editor role, not only a superuser: the note's own model needs its own permissions."""
    response = add_note(desk_editor_client, story, Correction.Kind.UPDATE, "The count has now finished.")

    assert response.status_code == 302
    note = Correction.objects.get(article=story)
    assert (note.kind, note.text, note.created_by) == ("update", "The count has now finished.", desk_editor)
    html = desk_editor_client.get(change_url(story)).content.decode()
    assert "The count has now finished." in html
    assert 'name="corrections-0-text"' not in html  # saved notes are shown, never edited
    assert 'name="corrections-TOTAL_FORMS"' in html  # and another can be added


def test_notes_show_oldest_first(client, story):
    now = timezone.now()
    CorrectionFactory(article=story, text="Second note.", created_at=now - timedelta(minutes=5))
    CorrectionFactory(article=story, text="First note.", created_at=now - timedelta(hours=2))
    CorrectionFactory(article=story, kind=Correction.Kind.UPDATE, text="Third note.", created_at=now)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("First note.") < html.index("Second note.") < html.index("Third note.")
    assert '<li class="correction correction--update"' in html


def test_saved_notes_cannot_be_edited_or_deleted_from_the_form(editor_client, story):
    note = CorrectionFactory(article=story, text="As published.")
    story.refresh_from_db()
    data = change_form_data(story)
    data.update({"corrections-0-text": "Quietly rewritten.", "corrections-0-DELETE": "on"})

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "As published."
    html = editor_client.get(change_url(story)).content.decode()
    assert 'name="corrections-0-text"' not in html  # shown as text, not as a field
    assert "As published." in html
    assert " style=" not in html  # the form still works under the Content-Security-Policy


def test_a_note_on_a_draft_is_refused_with_a_clear_error_and_nothing_saved(editor_client):
    draft = ArticleFactory()
    response = add_note(editor_client, draft, Correction.Kind.UPDATE, "Too early.")
    assert response.status_code == 200
    assert "Corrections and updates are for published stories. Publish this one first." in response.content.decode()
    assert not Correction.objects.exists()


def test_a_note_without_text_is_refused(editor_client, story):
    response = add_note(editor_client, story, Correction.Kind.UPDATE, "   ")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Correction.objects.exists()


def test_an_untouched_new_row_adds_nothing(editor_client, story):
    # The kind has a default, so a row the editor opened and left empty looks exactly like this.
    assert add_note(editor_client, story, Correction.Kind.CORRECTION, "").status_code == 302
    assert not Correction.objects.exists()


def test_a_new_article_form_has_no_place_for_notes(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "corrections-TOTAL_FORMS" not in html


def test_note_text_is_plain_text_escaped_with_its_paragraphs(client, story):
    CorrectionFactory(article=story, text="<script>alert('x')</script>\n\nSecond paragraph.")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>\n\n<p>Second paragraph.</p>" in html


def test_the_revision_history_keeps_the_note_with_the_text_it_corrects(editor_client, story):
    add_note(
        editor_client,
        story,
        Correction.Kind.CORRECTION,
        "The vote is on Tuesday.",
        body="<p>The vote is on Tuesday.</p>",
    )

    latest = versions_of(story).first().revision
    saved = saved_in(latest, story.pk)
    assert saved.fields["body"] == "<p>The vote is on Tuesday.</p>"
    assert [(kind, text) for _, kind, text in saved.corrections] == [("correction", "The vote is on Tuesday.")]
    assert latest.user.username == "editor"
