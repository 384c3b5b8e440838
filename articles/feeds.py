"""RSS 2.0 and Atom feeds of published articles: the whole site, and each section, tag and author; and the feed
of correction and update notes (CorrectionFeed, at the end).

Every feed lists `Article.objects.published()`, newest first, FEED_ITEMS of them, with what a card shows
fetched by for_listing(), so a feed costs the same queries for one article or twenty. Each entry has the
headline, link, summary, publication and update times, every author on the byline, the section and tags as
categories, the hero's share-sized JPEG, and the original source.

Choices the specifications force:
- RSS's <enclosure> requires the file's length in bytes, which the renditions JSON does not store (a storage
  call per item would be needed); the picture is a Media RSS <media:content> instead, which takes the
  width, height and type the JSON does have. Atom's enclosure link makes length optional (RFC 4287 4.2.7.6).
- RSS's <source> names the RSS channel an item came from, and these sources are web pages, so the source is
  an atom:link with rel="via" (RFC 4287 4.2.7.2: "the source of the information in the entry") in both.
- RSS's <author> must be an email address, which bylines do not publish: each author is a dc:creator.
- An Atom entry needs an author: the feed's author, the publication, covers an article without a byline.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape, linebreaks
from django.utils.xmlutils import SimplerXMLGenerator
from taggit.models import Tag

from articles.models import Article, Correction, Section
from authors.models import Author
from images.renditions import ENCODERS
from newsroom import surrogate
from newsroom.publication import current_publication

ATOM_NS = "http://www.w3.org/2005/Atom"
# Kinds of work a reader must never take for news: their label leads the title in every feed.
LABELLED_IN_TITLES = (Article.Type.OPINION, Article.Type.SPONSORED)
MEDIA_NS = "http://search.yahoo.com/mrss/"


class ArticleRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the Media RSS, Dublin Core and Atom namespaces the entries need."""

    def rss_attributes(self) -> dict:
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NS,
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
        }

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("logo_url"):
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["logo_url"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            # RSS has no update time of its own; Dublin Core's is the one readers know.
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        if item["picture"]:
            handler.addQuickElement("media:content", "", item["picture"])
        if item["via"]:
            handler.addQuickElement("atom:link", "", {"rel": "via", **item["via"]})


class ArticleAtomFeed(Atom1Feed):
    """Atom (RFC 4287) with one author element per byline author and the picture as an enclosure link."""

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("logo_url"):
            handler.addQuickElement("logo", self.feed["logo_url"])

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name, uri in zip(item["authors"], item["author_uris"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item["picture"]:
            picture = item["picture"]
            handler.addQuickElement("link", "", {"rel": "enclosure", "href": picture["url"], "type": picture["type"]})
        if item["via"]:
            handler.addQuickElement("link", "", {"rel": "via", **item["via"]})


class ArticleFeed(Feed):
    """The site's latest articles; the section, tag and author feeds narrow it with get_object() and items()."""

    feed_type = ArticleRssFeed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # One instance serves every request, and the Feed API hands item methods the item alone, while the
        # picture's address needs the request's scheme and host: each request gets a copy that holds it.
        feed = copy.copy(self)
        feed.request = request
        feed.publication = current_publication()
        feed.language = feed.publication.language
        return Feed.__call__(feed, request, *args, **kwargs)

    # The feed ---------------------------------------------------------------------------------------

    def title(self, obj: Section | Tag | Author | None) -> str:
        # A narrowed feed is named for what it follows, then the publication.
        return self.publication.name if obj is None else f"{obj.name} · {self.publication.name}"

    def link(self, obj: object) -> str:
        return reverse("articles:home")

    def description(self, obj: object) -> str:
        return self.publication.tagline or f"The latest stories from {self.publication.name}."

    def subtitle(self, obj: object) -> str | None:
        # Atom's name for the description; RSS ignores it.
        return self.description(obj) if self.feed_type is ArticleAtomFeed else None

    def author_name(self, obj: object) -> str:
        return self.publication.name

    def feed_extra_kwargs(self, obj: object) -> dict:
        logo = self.publication.logo_rendition
        return {"logo_url": self.request.build_absolute_uri(logo.url) if logo else ""}

    def items(self, obj: object) -> list[Article]:
        items = list(self.articles(obj).for_listing()[: settings.FEED_ITEMS])
        # For the page cache (newsroom/pagecache.py): what the feed shows, and when it changes by itself.
        key, narrowed = self.listing(obj)
        surrogate.tag(self.request, surrogate.FEED, surrogate.PUBLICATION, *surrogate.story_keys(items, tags=True))
        surrogate.listing_page(self.request, key, narrowed, [])
        return items

    def articles(self, obj: object):
        return Article.objects.published()

    def listing(self, obj: object) -> tuple[str, object]:
        """The surrogate key of the listing this feed follows, and its stories before published()."""
        return surrogate.LIST_ALL, Article.objects.all()

    # Each entry -------------------------------------------------------------------------------------

    def item_title(self, item: Article) -> str:
        # Plain text in both: Atom says so (RFC 4287 3.1.1), and the RSS Profile advises titles without
        # markup, so "<" and "&" are escaped once, by the XML. Django's default escapes them twice.
        # Feed readers show no labels, so opinion and sponsored content say what they are in the title.
        if item.article_type in LABELLED_IN_TITLES:
            return f"{item.get_article_type_display()}: {item.headline}"
        return item.headline

    def item_description(self, item: Article) -> str:
        # The summary is plain text and both formats carry the description as HTML: escaped, it stays text.
        return escape(item.summary)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        # Never before publication: a story written last week and published today was not updated today.
        return max(item.updated_at, item.published_at)

    def item_categories(self, item: Article) -> list[str]:
        section = [item.section.name] if item.section else []
        return section + sorted(tag.name for tag in item.tags.all())

    def item_extra_kwargs(self, item: Article) -> dict:
        authors = item.byline_authors
        return {
            "authors": [author.name for author in authors],
            "author_uris": [self.request.build_absolute_uri(author.get_absolute_url()) for author in authors],
            "picture": self._picture(item),
            "via": self._via(item),
        }

    def _via(self, item: Article) -> dict | None:
        # The original article when its address is known, else the source's site.
        href = item.original_url or item.source_url
        if not href:
            return None
        return {"href": href, **({"title": item.source_name} if item.source_name else {})}

    def _picture(self, item: Article) -> dict | None:
        share = item.share_image
        if share is None:
            return None
        return {
            "url": self.request.build_absolute_uri(share.url),
            "type": ENCODERS["jpeg"].mime_type,
            "medium": "image",
            "width": str(share.width),
            "height": str(share.height),
        }


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:
        return obj.description or f"The latest {obj.name} stories from {self.publication.name}."

    def articles(self, obj: Section):
        return Article.objects.published().filter(section=obj)

    def listing(self, obj: Section) -> tuple[str, object]:
        surrogate.tag(self.request, surrogate.section(obj.pk))
        return surrogate.listing("section", obj.pk), Article.objects.filter(section=obj)


class TagFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def link(self, obj: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj: Tag) -> str:
        return f"The latest stories on {obj.name} from {self.publication.name}."

    def articles(self, obj: Tag):
        return Article.objects.published().filter(tags=obj)

    def listing(self, obj: Tag) -> tuple[str, object]:
        surrogate.tag(self.request, surrogate.tag_key(obj.pk))
        return surrogate.listing("tag", obj.pk), Article.objects.filter(tags=obj)


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Author) -> str:
        return f"The latest stories by {obj.name} in {self.publication.name}."

    def articles(self, obj: Author):
        return obj.articles.published()

    def listing(self, obj: Author) -> tuple[str, object]:
        surrogate.tag(self.request, surrogate.author(obj.pk))
        return surrogate.listing("author", obj.pk), obj.articles.all()


def atom(feed_class: type[ArticleFeed]) -> type[ArticleFeed]:
    """The same feed in Atom."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": ArticleAtomFeed})


class CorrectionFeed(ArticleFeed):
    """Every correction and update note on a story readers can see, newest first: /corrections/ as a feed.

    An ArticleFeed for its channel (the publication's name, language, logo and author); each entry is a note
    rather than a story. The note's link is the story's, at the note (#correction-<id>), which also makes the
    entry's id unique: a story with three notes has three entries. The RSS and Atom writers expect the
    article entry's extra fields, so a note gives them empty: no byline (the feed's author, the publication,
    covers each entry in Atom), picture or source.
    """

    def title(self, obj: None) -> str:
        return f"Corrections and updates · {self.publication.name}"

    def link(self, obj: None) -> str:
        return reverse("articles:corrections")

    def description(self, obj: None) -> str:
        return f"Every correction and update to stories published by {self.publication.name}, newest first."

    def items(self, obj: None) -> list[Correction]:
        # One query: the notes and their stories.
        notes = list(
            Correction.objects.public().select_related("article").order_by("-created_at", "-pk")[: settings.FEED_ITEMS]
        )
        # The page cache purges it with the corrections page, and when one of its stories changes.
        keys = (surrogate.article(note.article_id) for note in notes)
        surrogate.tag(self.request, surrogate.CORRECTIONS, surrogate.PUBLICATION, *keys)
        return notes

    def item_title(self, item: Correction) -> str:
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_link(self, item: Correction) -> str:
        return f"{item.article.get_absolute_url()}#correction-{item.pk}"

    def item_description(self, item: Correction) -> str:
        # Plain text, escaped, with its line breaks kept as the story's foot shows them.
        return linebreaks(item.text, autoescape=True)

    def item_pubdate(self, item: Correction):
        return item.created_at

    def item_updateddate(self, item: Correction):
        # Notes are never edited: the time it was added is its last change.
        return item.created_at

    def item_categories(self, item: Correction) -> list[str]:
        return [item.get_kind_display()]

    def item_extra_kwargs(self, item: Correction) -> dict:
        return {"authors": [], "author_uris": [], "picture": None, "via": None}
