"""The diff editors read in the revision history: escaped text, whole lines, and words inside changed lines."""

from articles.textdiff import diff_html, diff_texts, one_block_per_line


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


def test_a_less_than_sign_that_opens_no_tag_is_kept():
    assert diff_texts("a < b", "a < c") == "a &lt; <del>b</del><ins>c</ins>"


def test_a_body_diff_shows_the_text_without_tags():
    old = "<p>The vote is on Monday.</p><p>Fish &amp; chips.</p>"
    new = "<p>The vote is on <strong>Tuesday</strong>.</p><p>Fish &amp; chips.</p>"
    assert diff_html(old, new) == "The vote is on <del>Monday.</del><ins>Tuesday.</ins>\nFish &amp; chips.\n"


def test_a_body_diff_shows_the_tag_where_a_link_target_changed():
    old = '<p>Read <a href="https://example.com/old">the report</a>.</p>'
    new = '<p>Read <a href="https://example.com/new">the report</a>.</p>'
    assert diff_html(old, new) == (
        "Read <del>&lt;a href=&quot;https://example.com/old&quot;&gt;</del>"
        "<ins>&lt;a href=&quot;https://example.com/new&quot;&gt;</ins>the report.\n"
    )


def test_a_body_diff_shows_a_paragraph_made_a_subheading():
    result = diff_html("<p>Reactions</p><p>Text.</p>", "<h2>Reactions</h2><p>Text.</p>")
    assert result == (
        "<del>&lt;p&gt;</del><ins>&lt;h2&gt;</ins>Reactions<del>&lt;/p&gt;</del><ins>&lt;/h2&gt;</ins>\nText.\n"
    )


def test_a_body_diff_that_only_adds_bold_still_shows_what_changed():
    result = diff_html("<p>Breaking news today</p>", "<p>Breaking <strong>news</strong> today</p>")
    assert "&lt;strong&gt;" in result and "<ins>" in result


def test_list_items_and_line_breaks_read_as_lines():
    assert diff_html("<ul><li>one</li><li>two<br>more</li></ul>", "<ul><li>one</li><li>two<br>more</li></ul>") == (
        "• one\n• two\nmore\n\n"
    )
