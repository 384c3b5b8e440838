"""An article's JSON-LD and link-preview tags, built from what the article page has already loaded.

The article comes from for_detail(): its section, bylines with authors, tags and corrections are prefetched, and
the publication is cached, so none of this costs a query (tests/articles/test_views.py counts them). Only a
published article's page carries it; previews of drafts carry none.
"""

from django.http import HttpRequest
from django.utils.safestring import SafeString

from articles.models import Article, Correction
from images.renditions import nearest_rendition
from images.specs import STRUCTURED_DATA_CROPS
from newsroom.models import Publication
from newsroom.structured_data import (
    SCHEMA_CONTEXT,
    home_url,
    image_object,
    iso_datetime,
    ld_json_script,
    organization,
)

# Google's examples use 1200-pixel-wide images; the nearest rendition of each crop is named.
STRUCTURED_DATA_IMAGE_WIDTH = 1200


def page_url(article: Article, request: HttpRequest) -> str:
    """This page's own full address, whatever the canonical choice."""
    return request.build_absolute_uri(article.get_absolute_url())


def canonical_url(article: Article, request: HttpRequest, *, page: str = "") -> str:
    """The address search engines should list: the original's when the editor chose it, else this page's."""
    return article.original_url if article.canonical_is_original else page or page_url(article, request)


def modified_at(article: Article) -> str:
    """When the story last changed for readers, never before it was published (a story scheduled ahead of
    its last edit would otherwise look modified before it existed)."""
    return iso_datetime(max(article.updated_at, article.published_at))


def article_images(article: Article, request: HttpRequest) -> list[dict]:
    """The hero in 16:9, 4:3 and 1:1, the shapes Google asks for; those not made yet (an image stored before
    the crops existed, until make_renditions runs) are left out rather than guessed."""
    images = []
    for crop in STRUCTURED_DATA_CROPS.values():
        rendition = nearest_rendition(
            article.hero_renditions, crop, article.hero_image.storage, width=STRUCTURED_DATA_IMAGE_WIDTH
        )
        if rendition is not None:
            images.append(image_object(rendition, request, caption=article.hero_alt))
    return images


def person(author, request: HttpRequest) -> dict:
    node = {"@type": "Person", "name": author.name, "url": request.build_absolute_uri(author.get_absolute_url())}
    if author.job_title:
        node["jobTitle"] = author.job_title
    photo = nearest_rendition(author.photo_renditions, "square", author.photo.storage, width=256)
    if photo is not None:
        node["image"] = image_object(photo, request)
    return node


def correction_comment(note: Correction, page: str) -> dict:
    return {
        "@type": "CorrectionComment",
        "text": note.text,
        "datePublished": iso_datetime(note.created_at),
        "url": f"{page}#correction-{note.pk}",
    }


def based_on(article: Article) -> dict:
    """The original a syndicated story is a copy of, and who published it."""
    original: dict = {"@type": "CreativeWork", "url": article.original_url}
    if article.source_name or article.source_url:
        publisher = {"@type": "Organization", "name": article.source_name or article.source_url}
        if article.source_url:
            publisher["url"] = article.source_url
        original["publisher"] = publisher
    return original


def article_node(article: Article, publication: Publication, request: HttpRequest, *, page: str, home: str) -> dict:
    """The story itself; `page` and `home` are this page's and the home page's full addresses."""
    canonical = canonical_url(article, request, page=page)
    node: dict = {
        "@type": article.schema_type,
        "@id": f"{page}#article",
        "headline": article.headline,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": iso_datetime(article.published_at),
        "dateModified": modified_at(article),
        "author": [person(author, request) for author in article.byline_authors],
        # In full rather than as a reference to a node: not every reader of JSON-LD follows "@id" links.
        "publisher": organization(publication, request, home=home),
        "inLanguage": publication.language,
        "isAccessibleForFree": True,
    }
    if article.summary:
        node["description"] = article.summary
    images = article_images(article, request)
    if images:
        node["image"] = images
    if article.section is not None:
        node["articleSection"] = article.section.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        node["keywords"] = tags
    # Update notes add news rather than fix an error; only corrections are schema.org's `correction`.
    corrections = [
        correction_comment(note, page) for note in article.corrections.all() if note.kind == Correction.Kind.CORRECTION
    ]
    if corrections:
        node["correction"] = corrections
    if article.original_url:
        node["isBasedOn"] = based_on(article)
    return node


def breadcrumb(article: Article, publication: Publication, request: HttpRequest, *, page: str, home: str) -> dict:
    """Home › Section › Headline, as search results show the page's place in the site."""
    trail = [(publication.name, home)]
    if article.section is not None:
        trail.append((article.section.name, request.build_absolute_uri(article.section.get_absolute_url())))
    trail.append((article.headline, page))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_graph(article: Article, publication: Publication, request: HttpRequest) -> dict:
    """The article (with its publisher) and its breadcrumb as one JSON-LD graph."""
    page, home = page_url(article, request), home_url(request)
    return {
        "@context": SCHEMA_CONTEXT,
        "@graph": [
            article_node(article, publication, request, page=page, home=home),
            breadcrumb(article, publication, request, page=page, home=home),
        ],
    }


def article_script(article: Article, publication: Publication, request: HttpRequest) -> SafeString:
    return ld_json_script(article_graph(article, publication, request))


def open_graph_article(article: Article, request: HttpRequest) -> dict:
    """The article:* properties of Open Graph, in the order of the protocol's page."""
    return {
        "published_time": iso_datetime(article.published_at),
        "modified_time": modified_at(article),
        "authors": [request.build_absolute_uri(author.get_absolute_url()) for author in article.byline_authors],
        "section": article.section.name if article.section is not None else "",
        "tags": [tag.name for tag in article.tags.all()],
    }
