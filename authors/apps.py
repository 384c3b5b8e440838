from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "authors"
    verbose_name = "Authors"

    def ready(self) -> None:
        from authors import caching

        # Which cached pages a change of an author purges.
        caching.connect()
