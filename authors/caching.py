"""Which cached pages a change of an author purges (newsroom/surrogate.py): every page showing their name,
photo or bio (`author-<id>`: their page, their stories' pages, cards and feed entries), and the sitemaps, which
list author pages by address."""

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from authors.models import Author
from newsroom import surrogate


def _author_changed(sender: type[Model], instance: Author, **kwargs: object) -> None:
    surrogate.purge([surrogate.author(instance.pk), surrogate.SITEMAP])


def connect() -> None:
    """Called from AuthorsConfig.ready()."""
    surrogate.register_row_keys(Author._meta.label, lambda pk: [surrogate.author(pk)])
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_author_changed, sender=Author, dispatch_uid=f"pagecache-author-{name}")
