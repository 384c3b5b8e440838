"""Give every stored tag a slug its page can be reached by (articles/tags.py keeps new ones that way).

The rule is copied here rather than imported, so this migration means the same thing after the module changes.
"""

import re

from django.db import migrations
from django.utils.text import slugify

TAG_SLUG = re.compile(r"[-\w]+")


def repair_tag_slugs(apps, schema_editor) -> None:
    """A slug outside the tag route's pattern (empty, or with spaces or punctuation) is made again from the name,
    numbered past any slug already taken; a slug that already works is left as it is, so no address changes."""
    Tag = apps.get_model("taggit", "Tag")
    max_length = Tag._meta.get_field("slug").max_length
    tags = list(Tag.objects.order_by("pk"))
    taken = {tag.slug for tag in tags if TAG_SLUG.fullmatch(tag.slug)}
    for tag in tags:
        if TAG_SLUG.fullmatch(tag.slug):
            continue
        base = slugify(tag.name, allow_unicode=True) or "tag"
        slug, number = base[:max_length], 1
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: max_length - len(suffix)] + suffix
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_editors_append_corrections"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        # Going back keeps the repaired slugs: the broken ones had no page to return to.
        migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop),
    ]
