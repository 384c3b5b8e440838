"""The article form's byline and its correction and update notes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from articles.models import Article, Byline, Correction


class BylineFormSet(BaseInlineFormSet):
    """The byline rows. A draft may have none yet; publishing needs at least one author, the same rule
    Article.publish_problems() gives the list's "Publish" action, counted here from the rows being saved."""

    def clean(self) -> None:
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        authors = sum(
            1
            for form in self.forms
            if form.cleaned_data.get("author") and not (self.can_delete and self._should_delete_form(form))
        )
        if problems := self.instance.publish_problems(authors=authors).get("bylines"):
            raise ValidationError(problems, code="no_author")


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    # One empty row to fill in, which may stay empty on a draft (min_num would make that row required).
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline"

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs) -> forms.Field | None:
        if db_field.name == "position":
            kwargs["help_text"] = "Order on the byline: lower comes first; equal numbers keep the order added."
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CorrectionInline(admin.StackedInline):
    """Correction and update notes: new ones can be added, those already saved are read-only.

    Readers have seen a saved note, so it stays as it was: a wrong note is answered by another one.
    """

    model = Correction
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Correction]:
        return super().get_queryset(request).select_related("created_by")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
