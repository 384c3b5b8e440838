"""Invisible characters are removed from what people type, and the ones that spell real words are kept."""

import pytest

from newsroom.text import clean_line, clean_lines, remove_invisible, scripts


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Editor\u202e nimdA", "Editor nimdA"),  # right-to-left override: "Editor Admin" on screen
        ("\u2066Ada\u2069 \u2067Lovelace\u2069", "Ada Lovelace"),  # isolates
        ("\u202aAda\u202c\u202b\u202d", "Ada"),  # embeddings, pop, left-to-right override
        ("A\u200bd\u200ca\u200d", "Ada"),  # zero-width space, non-joiner and joiner between ASCII
        ("\ufeffAda\u2060\u200e\u200f\u061c", "Ada"),  # byte-order mark, word joiner, direction marks
        ("Ada\U000e0041\U000e007f", "Ada"),  # tag characters
        ("Ada\ue000\U000f0000", "Ada"),  # private use
        ("\u3164\u115f\u1160\uffa0\u2800", ""),  # letters drawn as nothing
        ("\u200b\u200c\u200d\u2060\ufeff", ""),
    ],
)
def test_invisible_characters_are_removed(typed, shown):
    assert clean_line(typed) == shown


@pytest.mark.parametrize(
    "word",
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: man, woman, girl
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag (joiner after a variation selector)
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "mi-khaham", spelt with a non-joiner
        "\u0915\u094d\u200d\u0937",  # Devanagari half form, made with a joiner
        "Zo\u00eb M\u00fcller \u5f20\u4f1f \u0410\u043d\u043d\u0430",  # letters of every script stay
    ],
)
def test_joiners_that_spell_emoji_and_words_are_kept(word):
    assert clean_line(word) == word
    assert remove_invisible(word) == word


def test_a_joiner_next_to_a_space_or_another_joiner_is_removed():
    assert remove_invisible("\u0645\u200c \u0645") == "\u0645 \u0645"
    assert remove_invisible("\U0001f468\u200d\u200d\U0001f469") == "\U0001f468\U0001f469"


def test_lines_keep_their_breaks_and_tabs_and_every_break_becomes_a_newline():
    assert clean_lines("\u202eone\r\ntwo\rthree\u2028four\u2029five\n\tsix ") == "one\ntwo\nthree\nfour\n\nfive\n\tsix"


def test_a_line_collapses_spaces_and_breaks():
    assert clean_line("  Ada \u00a0\n Lovelace\u3000 ") == "Ada Lovelace"


def test_scripts_name_the_writing_systems_of_the_letters():
    assert scripts("\u0430pple.com") == {"CYRILLIC", "LATIN"}
    assert scripts("m\u00fcnchen.de") == {"LATIN"}
    assert scripts("123-4.") == set()
