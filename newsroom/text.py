"""What counts as an invisible character in text that people type, and the one way it is removed.

A character a reader cannot see can still change what they see: a right-to-left override makes
"Editor\u202e nimdA" read "Editor Admin", and a name made of zero-width spaces looks like no name
at all. Every field a reader or writer types (comment names and bodies, headlines, summaries,
author names) passes through here, so the rule is the same everywhere.

Removed: format characters (Unicode category Cf: bidi embeddings, overrides and isolates, the
left-to-right and right-to-left marks, zero-width spaces, word joiners, the byte-order mark, tag
characters, invisible operators), private-use characters (Co, no agreed glyph), lone surrogates (Cs),
and the blank letters that render as nothing (Hangul fillers, the braille blank).

Kept: the zero-width joiner and non-joiner between two visible non-ASCII characters, where they
do real work: the joiner builds emoji sequences (a family, a profession, a rainbow flag) and
Indic conjuncts, the non-joiner spells Persian and several Indic scripts correctly. Next to ASCII,
a space or another invisible character they change nothing a reader needs, so they go.
The price: the few emoji flags spelt with tag characters (England, Scotland, Wales) show as a plain
black flag, and a soft hyphen (also Cf) no longer offers a place to break a word.
Control characters (Cc) are not removed here: the forms refuse them with an error of their own,
except the line breaks and tabs a multi-line text is made of.
"""

import re
import unicodedata

JOINERS = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner, zero-width joiner
# Letters by category, yet drawn as nothing: the favourite of "invisible name" generators.
BLANK_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Co", "Cs"})
# Line and paragraph separators, and NEL, break lines in some programs and not in others.
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_LINE_BREAK_RE = re.compile("|".join(map(re.escape, _LINE_BREAKS)))


def is_invisible(char: str) -> bool:
    """True for a character that is drawn as nothing yet may change how the text around it reads."""
    return char in BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _joins_visible_letters(text: str, index: int) -> bool:
    if index == 0 or index == len(text) - 1:
        return False
    return all(_visible_non_ascii(text[index + step]) for step in (-1, 1))


def _visible_non_ascii(char: str) -> bool:
    return not char.isascii() and not char.isspace() and not is_invisible(char)


def remove_invisible(text: str) -> str:
    """The text without invisible characters, keeping the joiners that join two visible characters."""
    if text.isascii():
        return text  # only Cc could be invisible there, and those are left to the forms
    return "".join(
        char
        for index, char in enumerate(text)
        if not is_invisible(char) or (char in JOINERS and _joins_visible_letters(text, index))
    )


def clean_line(text: str) -> str:
    """One line of visible text: invisible characters removed, any run of spaces or breaks made one space."""
    return " ".join(remove_invisible(text).split())


def clean_lines(text: str) -> str:
    """Several lines of visible text: invisible characters removed, every kind of line break made "\\n"."""
    return _LINE_BREAK_RE.sub(lambda match: _LINE_BREAKS[match.group()], remove_invisible(text)).strip()


def scripts(text: str) -> set[str]:
    """The writing systems of the text's letters, named as Unicode names them ("LATIN", "CYRILLIC")."""
    found = set()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            found.add(unicodedata.name(char, "UNKNOWN").split(" ", 1)[0])
    return found
