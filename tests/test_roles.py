"""Staff roles come from one definition, newsroom/roles.py, applied by a data migration."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from newsroom import roles

pytestmark = pytest.mark.django_db


def permissions_of(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_sync_roles_brings_a_group_back_to_exactly_its_permissions():
    group = Group.objects.get(name="Moderator")
    group.permissions.add(Permission.objects.get(codename="delete_comment"))
    group.permissions.remove(Permission.objects.get(codename="change_comment"))

    roles.sync_roles(apps, None)

    assert permissions_of("Moderator") == set(roles.ROLES["Moderator"])


def test_sync_roles_creates_missing_groups_and_is_repeatable(monkeypatch):
    monkeypatch.setitem(roles.ROLES, "Proofreader", ["articles.view_article"])
    roles.sync_roles(apps, None)
    roles.sync_roles(apps, None)
    assert permissions_of("Proofreader") == {"articles.view_article"}
    assert Group.objects.filter(name="Proofreader").count() == 1


def test_a_misspelt_permission_fails_loudly_rather_than_making_a_weaker_role(monkeypatch):
    monkeypatch.setitem(roles.ROLES, "Moderator", ["comments.approve_everything"])
    with pytest.raises(Permission.DoesNotExist):
        roles.sync_roles(apps, None)
