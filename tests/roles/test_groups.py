import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from roles.groups import ROLES, apply_roles

pytestmark = pytest.mark.django_db


def permission_names(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_has_exactly_the_permissions_listed_after_migrating(role):
    """A misspelt permission would be missing here, since sync_roles skips what does not exist."""
    assert permission_names(Group.objects.get(name=role)) == set(ROLES[role])


def test_only_editors_may_publish():
    assert "articles.publish_article" in ROLES["Editor"]
    assert "articles.publish_article" not in ROLES["Writer"]
    assert not any(code.startswith("articles.delete_article") for code in ROLES["Writer"])


def test_syncing_again_takes_away_a_permission_added_by_hand_and_keeps_one_group_per_role():
    writer = Group.objects.get(name="Writer")
    writer.permissions.add(Permission.objects.get(codename="publish_article"))

    apply_roles(apps)

    assert permission_names(Group.objects.get(name="Writer")) == set(ROLES["Writer"])
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)


def test_moderators_run_comments_and_nothing_else():
    assert {code.split(".")[0] for code in ROLES["Moderator"]} == {"comments", "articles"}
    assert [code for code in ROLES["Moderator"] if code.startswith("articles.")] == ["articles.view_article"]


def test_syncing_brings_a_moderator_group_back_to_exactly_its_permissions():
    group = Group.objects.get(name="Moderator")
    group.permissions.add(Permission.objects.get(codename="delete_comment"))
    group.permissions.remove(Permission.objects.get(codename="change_comment"))

    apply_roles(apps)

    assert permission_names(Group.objects.get(name="Moderator")) == set(ROLES["Moderator"])


def test_syncing_creates_a_new_role_once(monkeypatch):
    monkeypatch.setitem(ROLES, "Proofreader", ["articles.view_article"])
    apply_roles(apps)
    apply_roles(apps)
    assert permission_names(Group.objects.get(name="Proofreader")) == {"articles.view_article"}
    assert Group.objects.filter(name="Proofreader").count() == 1
