"""Row ids read from text a reader or editor sent: a URL, a query string, a form field."""

import re

# At most 18 ASCII digits: every such number fits the signed 64-bit id columns (bigint; INTEGER in SQLite),
# and a longer one cannot be a row id. int() and Django's <int:> would take it anyway: SQLite's driver then
# raises OverflowError (a server error) instead of finding nothing, and int() of over 4,300 digits raises
# rather than answering. str.isdigit() alone is not enough either, since "²" is a digit to it and not to int().
ROW_ID_PATTERN = "[0-9]{1,18}"
_ROW_ID = re.compile(ROW_ID_PATTERN)


def row_id(raw: str | None) -> int | None:
    """The row id `raw` spells, or None when it cannot be one, so callers answer "not found", not an error."""
    if raw is None or not _ROW_ID.fullmatch(raw):
        return None
    return int(raw)
