from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # Registered here, after every app's models exist: the revisions follow taggit's Tag as well.
        from articles.revisions import register_models

        register_models()
