"""The site's header and footer on every public page, drawn in Python through `{% site_header %}` and
`{% site_footer %}` in templates/base.html.

Why not the includes they replaced: every page draws both, and in Django's template language they were two
includes with some thirty variable lookups, `{% with %}`s, loops and `{% url %}`s, a measurable part of the
article page once its repeated parts were in Python (docs/performance.md). The markup is the includes',
byte for byte; every value is escaped as the template escaped it (`html.escape`, which Django's `escape`
calls). A page rendered without the context processors (no `publication`, no `nav_sections`) gets what the
template gave for a missing variable: no name, no section bar.
"""

from collections.abc import Iterable
from html import escape

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import conditional_escape

from images.markup import picture_html
from newsroom.paths import path_for

SEARCH_FORM = (
    '    <form class="search-form" role="search" method="get" action="{action}">\n'
    '      <label class="visually-hidden" for="site-search-q">Search</label>\n'
    '      <input id="site-search-q" type="search" name="q" placeholder="Search" maxlength="200">\n'
    '      <button type="submit">Search</button>\n'
    "    </form>\n"
)


def header_html(publication: object, sections: Iterable | None) -> str:
    """The header: the publication's name or logo, the section bar (`sections`, in order), the search form."""
    picture = getattr(publication, "logo_picture", None) if publication is not None else None
    name = getattr(publication, "name", "") if publication is not None else ""
    if picture:
        home = picture_html(picture, alt=name, css_class="site-name__logo", sizes="15rem", eager=True)
    else:
        home = escape(str(name))
    nav = ""
    if sections:
        links = "".join(
            f'<li><a href="{escape(section.get_absolute_url())}" dir="auto">{escape(section.name)}</a></li>'
            for section in sections
        )
        nav = (
            '\n    <nav class="site-nav" aria-label="Sections">\n'
            f"      <ul>\n        {links}\n      </ul>\n    </nav>\n    "
        )
    return (
        '<header class="site-header">\n  <div class="site-header__inner">\n'
        f'    <a class="site-name" href="{escape(path_for("articles:home"))}">{home}</a>\n'
        f"    {nav}\n" + SEARCH_FORM.format(action=escape(path_for("articles:search"))) + "  </div>\n</header>\n"
    )


def footer_html(publication: object, pages: Iterable[tuple[str, str]] | None) -> str:
    """The footer: the name and tagline, the standing pages (`pages`, (title, address) in order), the social
    accounts and the contact address."""
    name = escape(str(getattr(publication, "name", ""))) if publication is not None else ""
    tagline = getattr(publication, "tagline", "") if publication is not None else ""
    email = getattr(publication, "contact_email", "") if publication is not None else ""
    socials = getattr(publication, "social_links", None) if publication is not None else None
    shown_tagline = f" &middot; {escape(tagline)}" if tagline else ""
    about = ""
    if pages:
        links = "".join(f'<li><a href="{escape(url)}">{escape(title)}</a></li>' for title, url in pages)
        about = f'\n  <nav aria-label="About {name}">\n    <ul class="site-footer__links">{links}</ul>\n  </nav>\n  '
    contact = ""
    if socials or email:
        social = "".join(
            f'<li><a href="{escape(url)}" rel="me">{escape(label)}</a></li>' for label, url in socials or ()
        )
        mail = f'<li><a href="mailto:{escape(email)}">{escape(email)}</a></li>' if email else ""
        contact = f'\n  <ul class="site-footer__links">\n    {social}\n    {mail}\n  </ul>\n  '
    return (
        '<footer class="site-footer">\n'
        f'  <p>{name}{shown_tagline} <a href="{escape(path_for("articles:home"))}">Latest stories</a></p>\n'
        f"  {about}\n  {contact}\n</footer>\n"
    )


# The <head>'s shared parts and the one-time messages, each the markup of the include it replaced
# (includes/share_image.html, open_graph.html, feed_links.html, messages.html), whitespace and all, so the pages
# around them are the same bytes. Values go through `conditional_escape`, as `{{ }}` does: a message or a title
# marked safe stays markup, everything else is escaped.


def share_image_html(share: object, alt: object, request: HttpRequest) -> str:
    """One link-preview picture (og:image) from a Rendition, or nothing."""
    if not share:
        return "\n"
    url = request.build_absolute_uri(share.url)
    return (
        f'\n<meta property="og:image" content="{conditional_escape(url)}">\n'
        f'  <meta property="og:image:width" content="{conditional_escape(share.width)}">\n'
        f'  <meta property="og:image:height" content="{conditional_escape(share.height)}">\n'
        f'  <meta property="og:image:alt" content="{conditional_escape(alt)}">'
    )


def open_graph_html(
    request: HttpRequest,
    *,
    title: object,
    description: object = "",
    url: str = "",
    share: object = None,
    alt: object = "",
) -> str:
    """A page's link preview: its kind, title, description, address (`url`, a path) and picture."""
    described = (
        f'<meta property="og:description" content="{conditional_escape(description)}">\n  ' if description else ""
    )
    address = (
        f'<meta property="og:url" content="{conditional_escape(request.build_absolute_uri(url))}">\n  ' if url else ""
    )
    return (
        '\n<meta property="og:type" content="website">\n'
        f'  <meta property="og:title" content="{conditional_escape(title)}">\n'
        f"  {described}{address}{share_image_html(share, alt, request)}\n"
    )


def feed_links_html(title: object, rss: str, atom: str) -> str:
    """A page's feeds, for browsers and feed readers to find."""
    title, rss, atom = conditional_escape(title), conditional_escape(rss), conditional_escape(atom)
    return (
        f'\n<link rel="alternate" type="application/rss+xml" title="{title}" href="{rss}">\n'
        f'  <link rel="alternate" type="application/atom+xml" title="{title} (Atom)" href="{atom}">\n'
    )


def site_head_html(publication: object) -> str:
    """What every page's <head> says of the site: its name and locale for link previews, its X account, the icon,
    the stylesheet and the site's feeds."""
    name = getattr(publication, "name", "") if publication is not None else ""
    locale = getattr(publication, "og_locale", "") if publication is not None else ""
    handle = getattr(publication, "x_handle", "") if publication is not None else ""
    account = f'<meta name="twitter:site" content="@{conditional_escape(handle)}">\n  ' if handle else ""
    return (
        f'<meta property="og:site_name" content="{conditional_escape(name)}">\n'
        f'  <meta property="og:locale" content="{conditional_escape(locale)}">\n'
        '  <meta name="twitter:card" content="summary_large_image">\n'
        f'  {account}  <link rel="icon" href="{conditional_escape(static("favicon.svg"))}" type="image/svg+xml">\n'
        f'  <link rel="stylesheet" href="{conditional_escape(static("css/site.css"))}">\n'
        f"  {feed_links_html(name, path_for('articles:feed'), path_for('articles:feed_atom'))}"
    )


def messages_html(messages: Iterable | None) -> str:
    """The one-time messages for the reader, except those about their own comment (the comment section shows
    those). Reading them marks them shown, as the template's loop did."""
    if not messages:
        return "\n\n"
    shown = "".join(
        f'<p class="message message--{conditional_escape(message.level_tag)}">{conditional_escape(message)}</p>'
        for message in messages
        if "comment" not in message.tags
    )
    return f'\n\n<div class="messages" role="status">\n  {shown}\n</div>\n\n'
