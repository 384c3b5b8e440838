from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self) -> None:
        from comments import caching

        # Which cached pages a comment approved, edited or deleted purges.
        caching.connect()
