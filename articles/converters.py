"""A URL converter for row ids that a database can hold."""

from newsroom.ids import ROW_ID_PATTERN


class RowIdConverter:
    """Like Django's <int:>, but only what newsroom.ids.row_id accepts: a longer number is no row id, and
    SQLite's driver raises OverflowError (a server error) for a number past 64 bits instead of finding nothing."""

    regex = ROW_ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class TagSlugConverter:
    """Like Django's <slug:>, but for letters of any script: django-taggit keeps "côte-divoire" and "مالي" as
    slugs (its SlugField allows Unicode), and an ASCII-only route made every page linking such a tag a
    server error. Django decodes the request path before matching, so \\w sees letters, not %-escapes."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
