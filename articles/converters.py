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
