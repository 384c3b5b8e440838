"""The admin names each app as editors know it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_calls_the_tags_app_tags_not_taggit(editor_client):
    index = editor_client.get(reverse("admin:index")).content.decode()
    tag_list = editor_client.get(reverse("admin:taggit_tag_changelist")).content.decode()

    assert 'title="Models in the Tags application">Tags</a>' in index
    assert f'<a href="{reverse("admin:app_list", args=["taggit"])}">Tags</a>' in tag_list
    assert "Taggit" not in index + tag_list
