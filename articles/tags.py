"""django-taggit as this site uses it: called "Tags" in the admin, and every tag saved with a slug that the tag
page's address accepts, whatever the name is written in."""

import re

from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils.text import slugify
from taggit.apps import TaggitAppConfig

from articles.converters import TagSlugConverter

TAG_SLUG = re.compile(TagSlugConverter.regex)
# The slug of a tag whose name has no letter or digit ("🙂", "!!!"), from which Unicode slugify keeps nothing.
NAMELESS_SLUG = "tag"


class TagsConfig(TaggitAppConfig):
    """Only the admin's name for the app and the slug rule change: the app label stays "taggit", so its
    migrations and permissions are untouched."""

    verbose_name = "Tags"

    def ready(self) -> None:
        pre_save.connect(give_tag_an_address, sender=self.get_model("Tag"), dispatch_uid="give_tag_an_address")


def give_tag_an_address(sender: type[Model], instance: Model, **kwargs: object) -> None:
    """Replace a slug the tag page could not be reached by.

    taggit's own slug is `slugify(name, allow_unicode=True)`, which is right for any name with a letter or
    digit in any script, but empty for one without; an empty slug has no address, so every page linking
    the tag failed. A slug typed into taggit's own admin is already checked against the same pattern.
    """
    if TAG_SLUG.fullmatch(instance.slug or ""):
        return
    base = slugify(instance.name, allow_unicode=True) or NAMELESS_SLUG
    max_length = sender._meta.get_field("slug").max_length
    others = sender._default_manager.exclude(pk=instance.pk)
    slug, number = base[:max_length], 1
    while others.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)] + suffix
    instance.slug = slug
