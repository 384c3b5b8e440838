import time

import pytest

from newsroom.sanitize import count_web_addresses, is_safe_url, render_comment_text, sanitize_html


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


def test_every_web_address_is_counted_linked_or_not():
    assert count_web_addresses("a http://x.com b www.y.org c <a href='http://z.com'>") == 3
    assert count_web_addresses("no links here, not even javascript:alert(1) or ada@example.com") == 0
    # ftp is not linked, yet the address is there for a reader to copy.
    assert count_web_addresses("ftp://files.example.com/a and https://аpple.com") == 2


@pytest.mark.parametrize("tld", ["xyz", "top", "online", "shop", "africa", "site", "club", "bond", "cfd", "рф"])
def test_addresses_on_every_current_top_level_domain_are_linked_and_counted(tld):
    text = f"cheap pills at pharma.{tld} and https://casino.{tld}/win"
    html = render_comment_text(text)
    assert f'href="http://pharma.{tld.encode("idna").decode()}"' in html
    assert html.count("<a ") == 2
    assert count_web_addresses(text) == 2


@pytest.mark.parametrize(
    ("text", "href", "shown"),
    [
        ("https://аpple.com/login", "https://xn--pple-43d.com/login", "https://xn--pple-43d.com/login"),
        ("аpple.com", "http://xn--pple-43d.com", "xn--pple-43d.com"),
        ("https://аррӏе.com:8080/", "https://xn--80ak6aa92e.com:8080/", None),
    ],
)
def test_a_look_alike_host_mixing_scripts_is_shown_as_the_ascii_host_it_goes_to(text, href, shown):
    html = render_comment_text(text)
    assert f'href="{href}"' in html
    assert f">{shown or href}</a>" in html
    assert "а" not in html


def test_a_host_in_one_script_keeps_its_letters_and_links_to_its_ascii_form():
    html = render_comment_text("пример.рф and münchen.de")
    assert '<a href="http://xn--e1afmkfd.xn--p1ai" rel="nofollow ugc noopener">пример.рф</a>' in html
    assert '<a href="http://xn--mnchen-3ya.de" rel="nofollow ugc noopener">münchen.de</a>' in html


def test_an_address_with_a_user_part_is_not_linked_but_counted():
    text = "https://apple.com@evil.example.com/login"
    assert render_comment_text(text) == f"<p>{text}</p>"
    assert count_web_addresses(text) == 1


@pytest.mark.parametrize("unit", ["a-b.", "ab.", "http://", "x_y-", "1."])
def test_a_long_comment_of_near_addresses_renders_at_once(unit):
    """bleach's own address pattern, given every top-level domain, took minutes over such a comment."""
    text = unit * (5000 // len(unit))
    started = time.perf_counter()
    render_comment_text(text)
    count_web_addresses(text)
    assert time.perf_counter() - started < 1


def test_invisible_characters_never_reach_a_rendered_comment():
    html = render_comment_text("Editor‮ nimdA at http://ex​ample.com")
    assert (
        html == '<p>Editor nimdA at <a href="http://example.com" rel="nofollow ugc noopener">http://example.com</a></p>'
    )
