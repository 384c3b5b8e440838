"""The diff editors read in the revision history: escaped text, whole lines, and words inside changed lines."""

from articles.textdiff import diff_texts, one_block_per_line


def test_identical_texts_show_no_marks():
    assert diff_texts("Same words.\n", "Same words.\n") == "Same words.\n"


def test_a_changed_word_is_marked_inside_its_line_and_other_lines_stay_whole():
    old = "First line stays.\nThe vote is on Monday.\n"
    new = "First line stays.\nThe vote is on Tuesday.\n"
    assert diff_texts(old, new) == "First line stays.\nThe vote is on <del>Monday.</del><ins>Tuesday.</ins>\n"


def test_neighbouring_changed_words_read_as_one_edit():
    assert diff_texts("bridge reopening delayed", "bridge to reopen soon") == (
        "bridge <del>reopening delayed</del><ins>to reopen soon</ins>"
    )


def test_a_line_with_nothing_in_common_is_replaced_whole():
    assert diff_texts("Ada Byline", "Ben Newcomer") == "<del>Ada Byline</del><ins>Ben Newcomer</ins>"


def test_added_and_removed_lines_are_marked_whole():
    assert diff_texts("one\n", "one\ntwo\n") == "one\n<ins>two\n</ins>"
    assert diff_texts("one\ntwo\n", "two\n") == "<del>one\n</del>two\n"


def test_every_piece_of_text_is_escaped():
    result = diff_texts("<b>safe</b> & sound", "<script>x()</script> & sound")
    assert "<script>" not in result and "<b>" not in result
    assert result == "<del>&lt;b&gt;safe&lt;/b&gt;</del><ins>&lt;script&gt;x()&lt;/script&gt;</ins> &amp; sound"


def test_a_stored_body_diffs_paragraph_by_paragraph():
    assert one_block_per_line("<p>One.</p><h2>Two</h2><ul><li>a</li></ul>") == (
        "<p>One.</p>\n<h2>Two</h2>\n<ul><li>a</li>\n</ul>\n"
    )
