"""The articles app's models, split by job: the story itself (article.py), what stays on record
about it (records.py), and the home page's lead (curation.py).
Everything is imported here, so `articles.models` is where callers find them."""

from articles.models.article import (
    CARD_STANDFIRST_LENGTH,
    HEADLINE_MAX_FOR_SEARCH,
    PUBLISH_PERMISSION,
    SEARCH_DESCRIPTION_LENGTH,
    SHARE_IMAGE_WIDTH,
    SUMMARY_MAX_FOR_SEARCH,
    Article,
    ArticleQuerySet,
    Byline,
    Section,
    TaggedArticle,
    published_article,
)
from articles.models.curation import LeadStory
from articles.models.records import Correction, SlugRedirect, StatusChange

__all__ = [
    "CARD_STANDFIRST_LENGTH",
    "HEADLINE_MAX_FOR_SEARCH",
    "PUBLISH_PERMISSION",
    "SEARCH_DESCRIPTION_LENGTH",
    "SHARE_IMAGE_WIDTH",
    "SUMMARY_MAX_FOR_SEARCH",
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Correction",
    "LeadStory",
    "Section",
    "SlugRedirect",
    "StatusChange",
    "TaggedArticle",
    "published_article",
]
