"""Every admin address a person can type answers a page: no filter, date drill-down, search, ordering,
page number or object id in the URL, however mangled, is a server error."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ALL_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.factories import ArticleFactory, CommentFactory, CorrectionFactory

pytestmark = pytest.mark.django_db

# What a hand-edited or hostile query string holds: words, fractions, numbers past any id or year
# column, negatives, nothing, other scripts, a NUL (which PostgreSQL refuses in any string).
MANGLED = ["abc", "1.5", "99999999999999999999", "-1", "0", "", "1e3", "ünï✓", "a\x00b", "2024-13-45", "9999", "99999"]


def registered() -> list[admin.ModelAdmin]:
    return list(admin.site._registry.values())


def changelist_url(model_admin: admin.ModelAdmin) -> str:
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def parameters_of(model_admin: admin.ModelAdmin, user) -> set[str]:
    """The query parameters this changelist reads: its filters', its date drill-down's and its own."""
    request = RequestFactory().get(changelist_url(model_admin))
    request.user = user
    names = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ALL_VAR, "_facets"}
    changelist = model_admin.get_changelist_instance(request)
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return names


@pytest.fixture
def rows() -> None:
    """A row of each kind, so filters have choices and lists have something to order and page."""
    CommentFactory(article=ArticleFactory(published=True, tags=["Mali"]))
    CorrectionFactory()


@pytest.mark.usefixtures("rows")
@pytest.mark.parametrize("model_admin", registered(), ids=lambda m: m.model._meta.label)
def test_every_changelist_answers_mangled_parameters_with_a_page(editor_client, admin_user, model_admin):
    # A server error comes back as the 500 page a user would see, so one run lists every one of them.
    editor_client.raise_request_exception = False
    url = changelist_url(model_admin)
    failures = []
    for name in sorted(parameters_of(model_admin, admin_user)):
        for value in MANGLED:
            response = editor_client.get(url, {name: value})
            if response.status_code not in (200, 302):
                failures.append((name, value, response.status_code))
            elif response.status_code == 302:
                # Django's "start again" (?e=1), or the one-row settings list's own page.
                assert response["Location"].startswith(("?", url, "/admin/")), response["Location"]
    # The date drill-down with a bad month or day, or the last day a date can have (its next day cannot be).
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        dates = [("2024", "13", "1"), ("2024", "2", "30"), ("2024", "0", "0"), ("2024", "99999999999999999999", "1")]
        for year, month, day in [*dates, ("9999", "12", "31"), ("9999", "12", None)]:
            query = {f"{field}__year": year, f"{field}__month": month}
            if day is not None:
                query[f"{field}__day"] = day
            response = editor_client.get(url, query)
            if response.status_code not in (200, 302):
                failures.append((query, response.status_code))
    assert failures == []


@pytest.mark.usefixtures("rows")
@pytest.mark.parametrize("model_admin", registered(), ids=lambda m: m.model._meta.label)
def test_every_object_address_answers_mangled_ids_with_a_page(editor_client, model_admin):
    editor_client.raise_request_exception = False
    opts = model_admin.model._meta
    failures = []
    for view in ("change", "delete", "history"):
        for value in ["abc", "1.5", "99999999999999999999", "-1", "ünï✓", "a\x00b", "9" * 5000]:
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[value])
            except NoReverseMatch:
                continue
            response = editor_client.get(url)
            if response.status_code not in (200, 302, 403, 404):
                failures.append((view, value[:30], response.status_code))
    assert failures == []
