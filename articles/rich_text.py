"""The article body's rich-text editor: django-prose-editor's ProseMirror editor, offering exactly what the
one HTML policy (newsroom/sanitize.py) keeps.

The editor's menu is built from the policy itself: its heading levels are the policy's h2-h4, and a link
may only use the policy's schemes, so an editor is never offered something that the save would strip.
ProseMirror parses pasted HTML into that same short list of nodes and marks, so a paste from a word
processor or a web page arrives as paragraphs, headings, quotes, lists, links, bold and italic, with its
classes, styles, spans and images left behind. What the editor sends is still only input: Article.save()
runs it through the policy like any other.
"""

import re

from django import forms
from django.forms import Script
from django_prose_editor.widgets import AdminProseEditorWidget

from newsroom.sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS

HEADING_LEVELS = sorted(int(tag[1]) for tag in ALLOWED_TAGS if re.fullmatch(r"h[1-6]", tag))

# django-prose-editor's extension names; the ones it adds by default (Document, Paragraph, Text, Menu,
# History for undo, and the drop and gap cursors) produce no markup of their own but a paragraph.
BODY_EXTENSIONS: dict[str, object] = {
    "Heading": {"levels": HEADING_LEVELS},
    "Blockquote": True,
    "BulletList": True,
    # The policy keeps no attributes on <ol>, so no numbering style or start to offer.
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    # The policy keeps no target or rel on links.
    "Link": {"enableTarget": False},
    "Bold": True,
    "Italic": True,
    "HardBreak": True,
    # Would add a menu button turning the browser's spell checker off; editors want it on.
    "NoSpellCheck": False,
}


class BodyEditorWidget(AdminProseEditorWidget):
    """The rich-text editor in the admin, loaded from this site's static files only.

    The package's own loader reads its modules through an inline <script type="importmap">, which the
    site's Content-Security-Policy (script-src 'self', nothing inline) refuses. static/admin-extra/
    body-editor.js starts the same editor instead, importing the package's editor.js by its path, and reads
    this widget's configuration from the data attribute the package already renders.
    """

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, config={"extensions": BODY_EXTENSIONS}, preset="configurable")

    def get_config(self) -> dict:
        return {**super().get_config(), "linkSchemes": sorted(ALLOWED_PROTOCOLS)}

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "admin-extra/body-editor.css",
                ]
            },
            js=[Script("admin-extra/body-editor.js", type="module")],
        )
