"""The story itself on the article page (`<article class="story">`: header, hero, body, corrections, source, tags,
author bios), drawn in Python through `{% story %}`.

Why not the template it replaced: with the comment thread, the cards and the form already in Python, the story's
markup was the largest part of the page left in Django's template language, some hundred variable lookups,
filters, `{% with %}`s and `{% url %}`s a page (docs/performance.md has the profile). Here it is one pass over
values looked up once, the template's markup byte for byte. Everything from the database is escaped as the
template escaped it (`html.escape`, which Django's `escape` calls); the body is stored sanitized
(newsroom.sanitize) and goes in as it is, as `|safe` put it.
"""

from datetime import datetime
from html import escape

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from articles import structured_data
from articles.cards import byline_html, cards_html
from articles.models import Article
from images.markup import picture_html
from newsroom.chrome import share_image_html
from newsroom.paths import path_for
from newsroom.templatetags.machine_time import machine_datetime

HERO_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"


def story_html(article: Article) -> SafeString:
    """The story's `<article>`. `article` comes from for_detail(): its section, bylines, tags and corrections are
    read without a query."""
    authors = article.byline_authors
    return mark_safe(  # noqa: S308 (every value from the database is escaped below; the body was sanitized when saved)
        '<article class="story">\n  <header class="story__header">\n'
        f'    <p class="kicker">{_kicker(article)}</p>\n'
        f'    <h1 class="story__headline" dir="auto">{escape(article.headline)}</h1>\n'
        f'    <p class="meta">\n      {byline_html(authors)}\n      {_dateline(article)}\n    </p>\n  </header>\n\n'
        f"  {_hero(article)}\n\n"
        f"  {_standfirst(article)}\n\n"
        f'  <div class="story__body" dir="auto">\n    {article.body}\n  </div>\n\n'
        '  <footer class="story__footer">\n'
        f"    {_corrections(article)}\n\n"
        f"    {_source(article)}\n\n"
        f"    {_tags(article)}\n\n"
        f"    {''.join(_bio(author) for author in authors)}\n"
        "  </footer>\n</article>"
    )


def _kicker(article: Article) -> str:
    kicker = (
        f'<span class="type-label type-label--{escape(article.article_type)}">'
        f"{escape(article.get_article_type_display())}</span>"
    )
    section = article.section
    if section:
        kicker += f' <a href="{escape(section.get_absolute_url())}" dir="auto">{escape(section.name)}</a>'
    return kicker


def _dateline(article: Article) -> str:
    if not article.is_published:  # a preview: the template's own words for a story's state
        status = render_to_string("articles/_status.html", {"article": article})
        return f'<span class="dateline">{status}</span>'
    updated = (
        f', updated <time datetime="{machine_datetime(article.updated_at)}">{_shown(article.updated_at)}</time>'
        if article.was_updated
        else ""
    )
    return (
        f'<span class="dateline">Published <time datetime="{machine_datetime(article.published_at)}">'
        f"{_shown(article.published_at)}</time>{updated}</span>\n      "
    )


def _shown(moment: datetime) -> str:
    """`|date:"j F Y, H:i"`: the day, the month's name in the active language, the time, in the site's zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return escape(f"{local.day} {MONTHS[local.month]} {local.year:04d}, {local.hour:02d}:{local.minute:02d}")


def _hero(article: Article) -> str:
    picture = article.hero_picture
    if not picture:
        return ""
    caption, credit = article.hero_caption, article.hero_credit
    figcaption = ""
    if caption or credit:
        credit_html = f' <span class="credit" dir="auto">{escape(credit)}</span>' if credit else ""
        figcaption = f'\n    <figcaption dir="auto">{escape(caption)}{credit_html}</figcaption>\n    '
    return (
        '\n  <figure class="story__hero">\n'
        f"    {picture_html(picture, alt=article.hero_alt, sizes=HERO_SIZES, eager=True)}\n"
        f"    {figcaption}\n  </figure>\n  "
    )


def _standfirst(article: Article) -> str:
    if not article.summary:
        return ""
    return f'<p class="story__standfirst" dir="auto">{escape(article.summary)}</p>'


def _corrections(article: Article) -> str:
    notes = article.corrections.all()
    if not notes:
        return ""
    items = "".join(
        f'\n        <li class="correction correction--{escape(note.kind)}" id="correction-{note.pk}">\n'
        f'          <p class="correction__meta"><strong>{escape(note.get_kind_display())}</strong> &middot; '
        f'<time datetime="{machine_datetime(note.created_at)}">{_shown(note.created_at)}</time></p>\n'
        f'          <div class="correction__text" dir="auto">{linebreaks(note.text, autoescape=True)}</div>\n'
        "        </li>\n        "
        for note in notes
    )
    return (
        '\n    <section class="corrections" aria-labelledby="corrections-title">\n'
        '      <h2 class="corrections__title" id="corrections-title">Corrections and updates</h2>\n'
        f'      <ol class="corrections__list">\n        {items}\n      </ol>\n    </section>\n    '
    )


def _source(article: Article) -> str:
    name, link = article.source_name, article.original_url or article.source_url
    if not (name or article.source_url or article.original_url):
        return ""
    if link:
        shown = f'<a href="{escape(link)}" rel="noopener noreferrer" dir="auto">{escape(name or link)}</a>'
    else:
        shown = f"<bdi>{escape(name)}</bdi>"
    return f'\n    <p class="story__source">Original source:\n      {shown}\n    </p>\n    '


def _tags(article: Article) -> str:
    tags = article.tags.all()
    if not tags:
        return ""
    items = "".join(
        f'<li><a href="{escape(path_for("articles:tag", slug=tag.slug))}" rel="tag" dir="auto">'
        f"{escape(tag.name)}</a></li>"
        for tag in tags
    )
    return f'\n    <ul class="tags" aria-label="Topics">\n      {items}\n    </ul>\n    '


def _bio(author) -> str:
    picture = author.photo_picture
    photo = picture_html(picture, alt=author.name, css_class="author-bio__photo", sizes="72px") if picture else ""
    role = f' <span class="author-bio__role" dir="auto">{escape(author.job_title)}</span>' if author.job_title else ""
    bio = f'<p dir="auto">{escape(author.bio)}</p>' if author.bio else ""
    return (
        f'\n    <section class="author-bio" aria-labelledby="author-{author.pk}">\n'
        f"      {photo}\n      <div>\n"
        f'        <h2 class="author-bio__name" id="author-{author.pk}"><a href="{escape(author.get_absolute_url())}"'
        f' rel="author" dir="auto">{escape(author.name)}</a>{role}</h2>\n'
        f"        {bio}\n      </div>\n    </section>\n    "
    )


def related_html(articles: list[Article]) -> SafeString:
    """The related stories under the story (articles.curation.related_articles), as cards; nothing without any."""
    if not articles:
        return mark_safe("\n\n")
    return mark_safe(  # noqa: S308 (the cards escape what they show)
        '\n\n<section class="related" aria-labelledby="related-title">\n'
        '  <h2 class="related__title" id="related-title">Related stories</h2>\n'
        f'  <div class="card-list">\n    {cards_html(articles)}\n  </div>\n</section>\n\n'
    )


def head_html(article: Article, publication: object, request: HttpRequest, *, preview: bool = False) -> SafeString:
    """The article's part of the `<head>`: its canonical address, link preview (Open Graph) and, once it is public
    and not previewed, its publication times, authors, section, tags and JSON-LD. The markup of the
    articles/_head.html include it replaced, byte for byte."""
    canonical = conditional_escape(structured_data.canonical_url(article, request))
    share = article.share_image
    if share:
        picture = share_image_html(share, article.hero_alt, request)
    else:
        picture = share_image_html(publication.share_rendition, publication.name, request)
    public = ""
    if article.is_published and not preview:
        graph = structured_data.open_graph_article(article, request)
        authors = "".join(
            f'<meta property="article:author" content="{conditional_escape(url)}">\n  ' for url in graph["authors"]
        )
        section = (
            f'<meta property="article:section" content="{conditional_escape(graph["section"])}">\n  '
            if graph["section"]
            else ""
        )
        tags = "".join(
            f'<meta property="article:tag" content="{conditional_escape(tag)}">\n  ' for tag in graph["tags"]
        )
        public = (
            f'<meta property="article:published_time" content="{conditional_escape(graph["published_time"])}">\n'
            f'  <meta property="article:modified_time" content="{conditional_escape(graph["modified_time"])}">\n'
            f"  {authors}{section}{tags}"
            f"{structured_data.article_script(article, publication, request)}"
        )
    return mark_safe(  # noqa: S308 (every value is escaped above; the JSON-LD script escapes its own text)
        f'\n<link rel="canonical" href="{canonical}">\n'
        '  <meta property="og:type" content="article">\n'
        f'  <meta property="og:title" content="{conditional_escape(article.headline)}">\n'
        f'  <meta property="og:description" content="{conditional_escape(article.search_description)}">\n'
        f'  <meta property="og:url" content="{canonical}">\n'
        f"  {picture}\n  {public}\n"
    )
