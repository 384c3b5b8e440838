"""A readable, escaped diff of two texts: whole lines first, then words inside the lines that changed.

Lines first keeps a long story's diff fast and its unchanged paragraphs whole; words inside a changed
line show an editor the actual edit rather than two near-identical paragraphs. Every piece of text
is escaped; the only markup is the <del> and <ins> built here with format_html.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

# Words, runs of whitespace and whole HTML tags, so a changed link target reads as one changed tag.
_TOKEN = re.compile(r"<[^>]*>|\s+|[^\s<]+")
# Block-level closing tags end a line, so each paragraph of a stored body diffs as a line of its own.
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|blockquote|li|ul|ol)>)(?!\n)", re.IGNORECASE)


def one_block_per_line(html: str) -> str:
    """Stored HTML with a line break after each block, the unit an editor thinks in."""
    return _BLOCK_END.sub("\\1\n", html)


def _removed(text: str) -> SafeString:
    return format_html("<del>{}</del>", text) if text else SafeString("")


def _added(text: str) -> SafeString:
    return format_html("<ins>{}</ins>", text) if text else SafeString("")


# Below this share of words in common, marking the few shared words ("the", a space) only scatters the
# change: "Ada Byline" replaced by "Ben Newcomer" reads better as one removal and one addition.
_WORD_DIFF_MIN_RATIO = 0.5


def _word_diff(old: str, new: str) -> list[SafeString]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    # autojunk off: whitespace tokens are common in prose and must not be treated as noise.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if matcher.ratio() < _WORD_DIFF_MIN_RATIO:
        return [_removed(old), _added(new)]
    parts: list[SafeString] = []
    removed: list[str] = []
    added: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        same = "".join(old_tokens[i1:i2])
        # A lone space between two changes joins them, so "a b" replaced by "c d e" reads as one edit.
        joins_changes = op == "equal" and same.isspace() and 0 < index < len(opcodes) - 1
        if op != "equal" or joins_changes:
            removed += old_tokens[i1:i2]
            added += new_tokens[j1:j2]
            continue
        parts += [_removed("".join(removed)), _added("".join(added)), escape(same)]
        removed, added = [], []
    parts += [_removed("".join(removed)), _added("".join(added))]
    return parts


def diff_texts(old: str, new: str) -> SafeString:
    """`new` shown against `old`: removed text in <del>, added text in <ins>, the rest escaped."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts: list[SafeString] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines).get_opcodes():
        old_chunk, new_chunk = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            parts.append(escape(old_chunk))
        elif op == "replace":
            parts.extend(_word_diff(old_chunk, new_chunk))
        else:
            parts.append(_removed(old_chunk))
            parts.append(_added(new_chunk))
    return format_html_join("", "{}", ((part,) for part in parts))
