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
