"""The article form's byline and its correction and update notes."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from articles.models import Article, Byline, Correction


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    min_num = 1
    extra = 0
    verbose_name = "author"
    verbose_name_plural = "byline"

    def get_formset(self, request: HttpRequest, obj: Article | None = None, **kwargs) -> type[BaseInlineFormSet]:
        # An article without an author has no byline to print. min_num alone only sets how many empty rows
        # the form shows; InlineModelAdmin has no validate_min attribute, so it is passed to the factory here.
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)

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
