import pytest

from newsroom.sanitize import count_links, is_safe_url, render_comment_text, sanitize_html


def test_rich_text_an_editor_writes_survives_intact():
    html = (
        "<h2>Heading</h2><p>Text with <strong>bold</strong>, <em>italic</em> and "
        '<a href="https://example.com/x" title="t">a link</a>.</p>'
        "<blockquote><p>“A quote”</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol>"
    )
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
    ],
)
def test_hostile_html_loses_everything_that_could_run(hostile):
    clean = sanitize_html(hostile)
    lowered = clean.lower()
    for needle in (
        "<script",
        "<img",
        "<iframe",
        "<svg",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onclick",
        "style=",
    ):
        assert needle not in lowered


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com", True),
        ("http://example.com", True),
        ("mailto:desk@example.com", True),
        ("/sections/world/", True),
        ("#notes", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("jav&#x09;ascript:alert(1)", False),
        ("ftp://example.com", False),
        ("\\\\evil.example", False),
        ("", False),
    ],
)
def test_only_http_https_mailto_and_local_links_are_allowed(url, safe):
    assert is_safe_url(url) is safe


# Readers' comments: plain text in, escaped HTML with paragraphs and links out -------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Hello\nworld\n\nAgain", "<p>Hello<br>world</p>\n\n<p>Again</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<a href="javascript:alert(1)">x</a>', "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>"),
        ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
        (
            "ftp://example.com/file",
            '<p>ftp://<a href="http://example.com/file" rel="nofollow ugc noopener">example.com/file</a></p>',
        ),
        (
            "see https://example.com/a?b=1&c=2.",
            '<p>see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.com/a?b=1&amp;c=2</a>.</p>',
        ),
        (
            'http://example.com/"onmouseover="alert(1)',
            '<p><a href="http://example.com/" rel="nofollow ugc noopener">http://example.com/</a>&quot;onmouseover=&quot;alert(1)</p>',
        ),
        ("mail me: ada@example.com", "<p>mail me: ada@example.com</p>"),  # addresses are not linked
        ("", ""),
        (" \n ", ""),
    ],
)
def test_comment_text_is_escaped_with_paragraphs_and_safe_links(text, html):
    assert render_comment_text(text) == html


def test_links_are_counted_as_readers_see_them():
    assert count_links(render_comment_text("a http://x.com b www.y.org c <a href='http://z.com'>")) == 3
    assert count_links(render_comment_text("no links here, not even javascript:alert(1)")) == 0
