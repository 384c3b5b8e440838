"""The article form of the admin: the workflow's status steps per role, the checks before publishing, and a
guard against overwriting someone else's save."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.held_picture import held_picture, hold_picture, release_picture
from articles.models import Article
from articles.services import allowed_statuses
from images.uploads import NormalizedImage

# Choices with a default, which an older or scripted form may leave out.
KEPT_WHEN_OMITTED = ("article_type", "canonical")


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the workflow's rules and a guard against overwriting someone else's save.

    `user` is set per request by ArticleAdmin.get_form: the status field offers only the steps that user may
    take from the article's current status, so a writer never sees "Published", and a forced post of it is
    an invalid choice.
    """

    # The article's lock_version when the form was opened; compared again, under a row lock, on save.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A signed reference to the picture chosen before a refused save, held for this form (held_picture.py).
    held_hero_image = forms.CharField(widget=forms.HiddenInput, required=False)
    forget_held_hero_image = forms.BooleanField(
        label="Do not use the kept picture", required=False, widget=forms.HiddenInput
    )
    user: AbstractBaseUser

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status_before = self.instance.status
        if "status" in self.fields:
            allowed = allowed_statuses(self.status_before, self.user)
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.lock_version
        # A browser always sends the select's value; a form posted without one (a script, an old tab from before
        # the fields existed) keeps what the article has rather than failing on a field nobody saw.
        for name in KEPT_WHEN_OMITTED:
            if name in self.fields:
                self.fields[name].required = False

    def clean_article_type(self) -> str:
        return self.cleaned_data.get("article_type") or self.instance.article_type

    def clean_canonical(self) -> str:
        return self.cleaned_data.get("canonical") or self.instance.canonical

    def _use_held_picture(self, cleaned_data: dict) -> None:
        # A new upload or a ticked "Clear" wins, and a refused upload keeps its error; otherwise the
        # picture held from a refused save is the one chosen.
        image = cleaned_data.get("hero_image")
        if "hero_image" not in cleaned_data or isinstance(image, NormalizedImage) or image is False:
            return
        if cleaned_data.get("forget_held_hero_image"):
            return
        if (held := held_picture(cleaned_data.get("held_hero_image"))) is not None:
            cleaned_data["hero_image"] = held

    def keep_chosen_picture(self) -> None:
        """Called when the form is shown again after a refused save: hold the picture it was given, so the
        editor need not choose it again, and say so next to the file input."""
        picture = getattr(self, "cleaned_data", {}).get("hero_image")
        if not isinstance(picture, NormalizedImage):
            return
        reference = getattr(picture, "held_reference", None) or hold_picture(picture)
        self.data = self.data.copy()
        self.data[self.add_prefix("held_hero_image")] = reference
        self.data.pop(self.add_prefix("forget_held_hero_image"), None)
        self.fields["forget_held_hero_image"].widget = forms.CheckboxInput()
        # The bound field copied the help text when validation made it, so it is the one to tell.
        bound = self["hero_image"]
        bound.help_text = (
            f"The picture you chose, {picture.name}, is kept and will be saved with the article: no need to "
            f"choose it again. Choose another file to replace it. {bound.help_text}"
        )

    def release_held_picture(self) -> None:
        """The article is saved, with the held picture or without it: the held copy is no longer needed."""
        release_picture(self.data.get(self.add_prefix("held_hero_image")))

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self._use_held_picture(cleaned_data)
        if self.instance.pk is not None:
            self._refuse_if_changed_since_opened(cleaned_data.get("opened_version"))
        return cleaned_data

    def _refuse_if_changed_since_opened(self, opened_version: int | None) -> None:
        # Inside the admin's save transaction the row stays locked until this save commits, so on PostgreSQL a
        # second save started meanwhile waits here and then reads the new version: two saves cannot both pass.
        # (SQLite ignores FOR UPDATE.)
        current = Article.objects.select_for_update().filter(pk=self.instance.pk).values_list("lock_version")
        if list(current) == [(opened_version,)]:
            return
        url = reverse("admin:articles_article_change", args=[self.instance.pk])
        raise ValidationError(
            format_html(
                "This article was changed after you opened it, by someone else or in another window, so this "
                'save was refused to keep that change. What you typed is still in this form: <a href="{}" '
                'target="_blank">open the current version</a> in a new tab, bring your changes across there, '
                "and save.",
                url,
            ),
            code="stale",
        )

    def _post_clean(self) -> None:
        # The checks before publishing need the article as it would be saved, which the model form puts
        # together here, after the fields are cleaned.
        super()._post_clean()
        if self.cleaned_data.get("status") != Article.Status.PUBLISHED:
            return
        for field, problems in self.instance.publish_problems().items():
            if field in self.fields and not self.has_error(field):
                self.add_error(field, problems)
