"""A readable, escaped diff of two texts: whole lines first, then words inside the lines that changed.

Lines first keeps a long story's diff fast and its unchanged paragraphs whole; words inside a changed
line show an editor the actual edit rather than two near-identical paragraphs. Every piece of text
is escaped; the only markup is the <del> and <ins> built here with format_html.

A stored body is HTML, but copy editors read text: diff_html shows the words, one block per line, and
shows a tag only where a link or a heading changed (a new link target, a paragraph made a subheading),
which the words alone would not reveal.
"""

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

# Words, runs of whitespace and whole HTML tags, so a changed link target reads as one changed tag; a "<"
# that opens no tag is a word of its own, so no character is lost.
_TOKEN = re.compile(r"<[^>]*>|\s+|[^\s<]+|<")
# Block-level closing tags end a line, so each paragraph of a stored body diffs as a line of its own.
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|blockquote|li|ul|ol)>)(?!\n)", re.IGNORECASE)
_TAG_NAME = re.compile(r"</?\s*([a-z][a-z0-9]*)", re.IGNORECASE)
# The tags whose change the words do not show: where a link leads, and what is a subheading.
_TAGS_SHOWN_WHEN_CHANGED = {"a", "h1", "h2", "h3", "h4", "h5", "h6"}

# Turns the tokens of one piece of a diff into the text shown; `changed` says whether the piece changed.
Shown = Callable[[list[str], bool], str]


def one_block_per_line(html: str) -> str:
    """Stored HTML with a line break after each block, the unit an editor thinks in."""
    return _BLOCK_END.sub("\\1\n", html)


def _plain(tokens: list[str], changed: bool) -> str:
    return "".join(tokens)


def _html_as_text(tokens: list[str], changed: bool) -> str:
    """The text of stored HTML: entities read as characters, a line break for <br>, a bullet for a list
    item; tags are left out, except a changed link or heading tag, or any changed tag when the change is
    in tags alone (bold added), so that the diff still shows something."""
    parts: list[str] = []
    for token in tokens:
        if not token.startswith("<"):
            parts.append(unescape(token))
            continue
        name = match.group(1).lower() if (match := _TAG_NAME.match(token)) else ""
        if name == "br":
            parts.append("\n")
        elif name == "li" and not token.startswith("</"):
            parts.append("• ")
        elif changed and name in _TAGS_SHOWN_WHEN_CHANGED:
            parts.append(token)
    text = "".join(parts)
    if changed and not text.strip() and any(token.startswith("<") for token in tokens):
        return "".join(tokens)
    return text


def _removed(text: str) -> SafeString:
    return format_html("<del>{}</del>", text) if text else SafeString("")


def _added(text: str) -> SafeString:
    return format_html("<ins>{}</ins>", text) if text else SafeString("")


# Below this share of words in common, marking the few shared words ("the", a space) only scatters the
# change: "Ada Byline" replaced by "Ben Newcomer" reads better as one removal and one addition.
_WORD_DIFF_MIN_RATIO = 0.5


def _word_diff(old: str, new: str, shown: Shown) -> list[SafeString]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    # autojunk off: whitespace tokens are common in prose and must not be treated as noise.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if matcher.ratio() < _WORD_DIFF_MIN_RATIO:
        return [_removed(shown(old_tokens, True)), _added(shown(new_tokens, True))]
    parts: list[SafeString] = []
    removed: list[str] = []
    added: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        same = old_tokens[i1:i2]
        # A lone space between two changes joins them, so "a b" replaced by "c d e" reads as one edit.
        joins_changes = op == "equal" and "".join(same).isspace() and 0 < index < len(opcodes) - 1
        if op != "equal" or joins_changes:
            removed += old_tokens[i1:i2]
            added += new_tokens[j1:j2]
            continue
        parts += [_removed(shown(removed, True)), _added(shown(added, True)), escape(shown(same, False))]
        removed, added = [], []
    parts += [_removed(shown(removed, True)), _added(shown(added, True))]
    return parts


def _diff(old: str, new: str, shown: Shown) -> SafeString:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts: list[SafeString] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines).get_opcodes():
        old_chunk, new_chunk = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            parts.append(escape(shown(_TOKEN.findall(old_chunk), False)))
        elif op == "replace":
            parts.extend(_word_diff(old_chunk, new_chunk, shown))
        else:
            parts.append(_removed(shown(_TOKEN.findall(old_chunk), True)))
            parts.append(_added(shown(_TOKEN.findall(new_chunk), True)))
    return format_html_join("", "{}", ((part,) for part in parts))


def diff_texts(old: str, new: str) -> SafeString:
    """`new` shown against `old`: removed text in <del>, added text in <ins>, the rest escaped."""
    return _diff(old, new, _plain)


def diff_html(old: str, new: str) -> SafeString:
    """Two versions of stored HTML compared as the text readers read, one block per line."""
    return _diff(one_block_per_line(old), one_block_per_line(new), _html_as_text)
