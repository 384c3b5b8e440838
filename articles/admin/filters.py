"""The admin's article list at a newsroom's volume: filters that stay small however many authors and tags
there are, a "my drafts" filter for writers, comment counts for the shown page only, and a date hierarchy
that reads two index ends instead of the whole table. scripts/changelist_volume.py measures it with
100,000 articles.

Django's related-field filters list every author and every tag in the sidebar, one query and one link
each; with thousands of either that is a page of links and a slow query. These filters show a search box
instead (the admin's own select2 autocomplete, as the article form uses) and query only for the one value
chosen.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from articles.models import Article
from authors.models import Author
from comments.models import Comment, count_per_article
from newsroom.ids import row_id


class MyDraftsFilter(admin.SimpleListFilter):
    """A writer's work in progress: articles they created or are on the byline of, not yet published."""

    title = "my articles"
    parameter_name = "mine"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("drafts", "My drafts and articles in review"), ("all", "Everything of mine")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "drafts":
            return queryset.owned_by(request.user).unpublished()
        if self.value() == "all":
            return queryset.owned_by(request.user)
        return queryset


class AutocompleteFilter(admin.SimpleListFilter):
    """A sidebar filter chosen through a search box rather than a list of every value.

    The box is the admin's autocomplete widget for `field_name` on Article, so it searches the same way as
    the article form and asks the same permission. Choosing a value submits the filter form
    (static/admin-extra/autocomplete-filter.js), keeping the other filters and the search.
    """

    template = "admin/articles/autocomplete_filter.html"
    field_name: str

    def has_output(self) -> bool:
        return True

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # Rendered by the widget instead; only the "All" link comes from choices().
        return []

    def choices(self, changelist: ChangeList):
        # The other parameters go into the form as hidden fields, so choosing here keeps them, as the links
        # of the other filters do. A new filter starts again from the first page.
        self.kept_params = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.parameter_name, PAGE_VAR)
            for value in (values if isinstance(values, list) else [values])
        ]
        self.widget_html = self.render_widget(changelist.model_admin.admin_site)
        yield {
            "selected": not self.value(),
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }

    def render_widget(self, admin_site: admin.AdminSite) -> SafeString:
        raise NotImplementedError

    def widget_attrs(self) -> dict[str, str]:
        return {"id": f"filter-{self.parameter_name}", "aria-label": f"Filter by {self.title}"}


class AuthorFilter(AutocompleteFilter):
    title = "author"
    # The same parameter as Django's own filter, so links such as the author list's article counts work.
    parameter_name = "authors__id__exact"
    field_name = "authors"

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        value = self.value()
        if not value:
            return queryset
        # A number too long to be a row id would overflow the database driver rather than find nothing.
        if row_id(value) is None:
            raise IncorrectLookupParameters(f"No author has the id {value!r}.")
        # One byline per author and article (byline_unique_author), so the join repeats no article.
        return queryset.filter(bylines__author_id=value)

    def render_widget(self, admin_site: admin.AdminSite) -> SafeString:
        field = forms.ModelChoiceField(
            Author.objects.all(),
            required=False,
            widget=AutocompleteSelect(Article._meta.get_field(self.field_name), admin_site),
        )
        return field.widget.render(self.parameter_name, self.value() or "", attrs=self.widget_attrs())


class TagNameSelect(AutocompleteSelect):
    """One tag, chosen by name through the article form's tag autocomplete (which answers with names)."""

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:articles_article_tag_autocomplete")

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        # The value is the tag's name, which is its own label: nothing to look up.
        options = [self.create_option(name, "", "", False, 0)]
        options += [self.create_option(name, tag, tag, True, index + 1) for index, tag in enumerate(value) if tag]
        return [(None, options, 0)]


class TagFilter(AutocompleteFilter):
    title = "tag"
    parameter_name = "tag"
    field_name = "tags"

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        # Tag names are unique, so the join repeats no article.
        return queryset.filter(tags__name=self.value()) if self.value() else queryset

    def render_widget(self, admin_site: admin.AdminSite) -> SafeString:
        widget = TagNameSelect(Article._meta.get_field(self.field_name), admin_site)
        return widget.render(self.parameter_name, self.value() or "", attrs=self.widget_attrs())


class ArticleChangeList(ChangeList):
    """The article list, with each shown article's comment counts fetched in one query for that page: the
    comments readers see (CommentQuerySet.visible(), so no spam, nothing removed) and those waiting for a
    moderator, apart.

    As subqueries in the list's own query they were computed for every row the database stepped over too,
    so a late page (an OFFSET of tens of thousands) took a third of a second at 100,000 articles; here they
    run for the page's rows alone.
    """

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        if not self.result_list or "comment_link" not in self.list_display:
            return
        counts = (
            Article.objects.filter(pk__in=[article.pk for article in self.result_list])
            .order_by()
            .values_list("pk")
            .annotate(
                visible=count_per_article(Comment.objects.visible()),
                pending=count_per_article(Comment.objects.pending()),
            )
        )
        by_article = {pk: (visible, pending) for pk, visible, pending in counts}
        for article in self.result_list:
            article.comment_count, article.pending_count = by_article.get(article.pk, (0, 0))
