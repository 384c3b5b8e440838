"""The article form's tags field: the admin's own select2 autocomplete, answering with tag names, in which an
editor can also type a new tag."""

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from taggit.models import Tag

from articles.models import Article
from newsroom.text import clean_line

TAG_HELP_TEXT = (
    "Type to find an existing tag and pick it. A name that matches no tag becomes a new one: "
    "finish it with Enter or a comma. For example: Mali, Elections."
)


class TagAutocompleteWidget(AutocompleteSelectMultiple):
    """The admin's own select2 autocomplete, in select2's "tags" mode so an editor can also type a new tag.

    django-taggit ships only a comma-separated text input, and `autocomplete_fields` does not apply to a
    TaggableManager (the admin builds autocomplete widgets only for ForeignKey and ManyToManyField). This
    reuses the jQuery and select2 files that come with Django, so it adds no dependency. Its own script,
    static/admin-extra/tag-autocomplete.js, starts select2 instead of the admin's autocomplete.js, to set
    options that data attributes cannot carry.
    """

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:articles_article_tag_autocomplete")

    def build_attrs(self, base_attrs: dict, extra_attrs: dict | None = None) -> dict:
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        # Without the admin-autocomplete class, autocomplete.js leaves this element to the script below.
        attrs["class"] = " ".join(
            name for name in [*attrs["class"].split(), "tag-autocomplete"] if name != "admin-autocomplete"
        )
        return attrs

    @property
    def media(self) -> forms.Media:
        # One list, so the merged page media keeps this script after jQuery and select2: Media orders
        # files only relative to those declared in the same list.
        base = super().media
        return forms.Media(js=[*base._js, "admin-extra/tag-autocomplete.js"], css=base._css)

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        # The values are tag names, which are their own labels, so no query is needed to render them.
        options = [self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)]
        return [(None, options, 0)]


class TagNamesField(forms.Field):
    """A list of tag names; TaggableManager.save_form_data() creates the ones that do not exist yet."""

    max_length = Tag._meta.get_field("name").max_length

    def prepare_value(self, value: object) -> list[str]:
        # The initial value is the article's Tag objects; the widget works with names.
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [getattr(tag, "name", tag) for tag in value]

    def to_python(self, value: object) -> list[str]:
        names: list[str] = []
        for raw in self.prepare_value(value):
            # The one rule for typed text (newsroom/text.py): a tag made only of invisible characters is none.
            name = clean_line(str(raw))
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        too_long = [name for name in value if len(name) > self.max_length]
        if too_long:
            raise ValidationError(
                f"Keep each tag to {self.max_length} characters or fewer: {Truncator(too_long[0]).chars(40)}"
            )

    def has_changed(self, initial: object, data: object) -> bool:
        return sorted(self.to_python(initial)) != sorted(self.to_python(data))


class TagAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers for tags, with the tag's name as the value.

    Names, not primary keys, so an existing tag the editor picked and a new one they typed reach the form
    alike; a new tag named "2024" could otherwise be mistaken for the tag whose id is 2024.
    """

    def serialize_result(self, obj: Tag, to_field_name: str) -> dict[str, str]:
        return {"id": obj.name, "text": obj.name}

    def has_perm(self, request: HttpRequest, obj: object = None) -> bool:
        # Whoever may write an article may create tags by typing them, so may also see the existing ones.
        article_admin = self.admin_site.get_model_admin(Article)
        return article_admin.has_add_permission(request) or article_admin.has_change_permission(request)
