"""Picture fields declare their sibling columns; the migrations must already hold exactly those columns."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from authors.models import Author


@pytest.mark.parametrize(("model", "field", "prefix"), [(Article, "hero_image", "hero"), (Author, "photo", "photo")])
def test_a_picture_field_brings_its_size_renditions_and_focal_point_columns(model, field, prefix):
    names = [f.name for f in model._meta.fields]
    start = names.index(field)
    # Right after the image, in the order forms show them.
    assert names[start : start + 6] == [
        field,
        *(f"{prefix}_{suffix}" for suffix in ("width", "height", "renditions", "focus_x", "focus_y")),
    ]
    assert model._meta.get_field(f"{prefix}_focus_x").verbose_name == "focal point across"


@pytest.mark.django_db
def test_the_models_need_no_migration_the_repository_does_not_have():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
