import pytest

from newsroom.sanitize import is_safe_url, sanitize_html


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
