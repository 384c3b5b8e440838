"""A URL converter for row ids that a database can hold."""


class RowIdConverter:
    """Like Django's <int:>, but at most 18 digits: a longer number cannot be a row id, and SQLite's
    driver raises OverflowError (a server error) for a number past 64 bits instead of finding nothing."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
