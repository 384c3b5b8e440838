from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        # A migration that rebuilds the article table on SQLite drops the search triggers with it.
        from articles.search import restore_index_after_migrate

        post_migrate.connect(restore_index_after_migrate, sender=self, dispatch_uid="articles-search-index")
