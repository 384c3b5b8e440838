import pytest

from newsroom.ids import row_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("007", 7),
        ("9" * 18, int("9" * 18)),  # the longest a signed 64-bit id column is sure to hold
        ("9" * 19, None),  # past 64 bits for some 19-digit numbers: no row has it
        ("9" * 5000, None),  # int() of this raises instead of answering
        ("", None),
        (None, None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("١٢", None),  # Arabic-Indic digits: int() reads them, no URL or form of ours writes them
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1\n", None),
        ("1.0", None),
    ],
)
def test_only_text_that_can_be_a_row_id_reads_as_one(raw, expected):
    assert row_id(raw) == expected
