from django.apps import AppConfig
from django.urls import register_converter

from articles.converters import RowIdConverter, TagSlugConverter


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # Registered here, after every app's models exist: the revisions follow taggit's Tag as well.
        from articles import caching
        from articles.revisions import register_models

        register_models()
        # Which cached pages a change of a section, article, byline, tag or correction purges.
        caching.connect()
        # Before any URLconf is read: both the article URLs and the admin's history URLs use it.
        register_converter(RowIdConverter, "row_id")
        register_converter(TagSlugConverter, "tag_slug")
