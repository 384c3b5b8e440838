"""The reader's comment form, with its limits stated and every field checked before anything is stored."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.models import Article
from comments.models import Comment
from comments.services import STALE_FORM_MESSAGE
from comments.spam import FormToken, read_form_token
from newsroom.ids import row_id
from newsroom.text import clean_line, clean_lines

NAME_MAX = Comment._meta.get_field("name").max_length
EMAIL_MAX = Comment._meta.get_field("email").max_length
BODY_MAX = Comment._meta.get_field("body").max_length
REPLY_MESSAGE = "You can only reply to a published comment on this story."
# The blank form's fields, as drawn, per language; see CommentForm.fields_html.
_BLANK_FIELDS: dict[str, SafeString] = {}


def _reject_unreadable(value: str) -> None:
    # Django decodes invalid UTF-8 in a request to U+FFFD; storing it would keep garbage for good.
    if "\ufffd" in value:
        raise ValidationError("This text contains characters that could not be read. Please type it again.")


def _fits_in_a_comment(value: str) -> None:
    # Instead of Django's "Ensure this value has at most 5000 characters": the reader learns the limit and
    # the length in numbers they can read, and the bound form shows the whole text again to shorten.
    if len(value) > BODY_MAX:
        raise ValidationError(
            f"Comments can be up to {BODY_MAX:,} characters; yours has {len(value):,}. "
            "Your text is still below: shorten it and post again.",
            code="max_length",
        )


def _reject_control_characters(value: str, *, allow_newlines: bool) -> None:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in value):
        raise ValidationError(
            "Use a single line of plain text." if not allow_newlines else "Remove the control characters."
        )


class CommentForm(forms.ModelForm):
    # Hidden fields: the comment answered, and the signed token that dates the form (comments.spam).
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    # The trap: hidden from people by the stylesheet and from assistive technology by aria-hidden,
    # so only a program fills it in. Named for the field spam programs look for. It has no length
    # limit and no checks (its value is never stored): an error on it would tell a program that the
    # field is watched, where filling it must be answered like any held comment.
    website = forms.CharField(required=False, label="Leave this field empty", strip=False)
    remember = forms.BooleanField(required=False, label="Remember my name and email on this device", label_suffix="")

    field_order = ["name", "email", "body", "website", "notify_replies", "remember"]

    class Meta:
        model = Comment
        fields = ["name", "email", "body", "notify_replies"]
        labels = {
            "name": "Name",
            "email": "Email",
            "body": "Comment",
            "notify_replies": "Email me when someone replies to this comment",
        }
        help_texts = {
            "name": f"Shown with your comment. Up to {NAME_MAX} characters.",
            "email": f"Never shown on the site. Up to {EMAIL_MAX} characters.",
            "body": f"Plain text, up to {BODY_MAX:,} characters. Web addresses become links.",
            "notify_replies": "Each email has a link to stop them.",
        }
        # dir="auto": a reader writing Arabic or Hebrew sees their own text aligned as it will be shown.
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "body": forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        }

    def __init__(self, *args, article: Article, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        self.parent_comment: Comment | None = None
        self.form_token: FormToken | None = None
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["website"].validators = []  # not even the NUL-byte check every CharField has
        body = self.fields["body"]  # its widget keeps maxlength, so a browser takes no more than fits
        body.validators = [v for v in body.validators if not isinstance(v, MaxLengthValidator)] + [_fits_in_a_comment]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["notify_replies"].label_suffix = ""  # a checkbox's label follows it

    def fields_html(self) -> SafeString:
        """The visible fields' markup (comments/_form_fields.html); a blank form's is drawn once per process.

        Django draws each field through four or five form templates, about 7 ms for the six fields, on every
        article page (docs/performance.md). A form that is not bound and not filled in from the "remember me"
        cookie is the same for every reader and every story (labels, limits and ids come from the code), so
        its markup is kept; a bound form (its errors, the reader's text) or a remembered reader's is drawn
        each time, and never kept.
        """
        blank = not self.is_bound and not any(self.initial.values())
        key = get_language() or ""
        if blank and key in _BLANK_FIELDS:
            return _BLANK_FIELDS[key]
        html = mark_safe(render_to_string("comments/_form_fields.html", {"form": self}))  # noqa: S308 (a template's output)
        if blank:
            _BLANK_FIELDS[key] = html
        return html

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        _reject_unreadable(name)
        _reject_control_characters(name, allow_newlines=False)
        # Invisible characters go first, so a name of zero-width spaces is refused as empty.
        name = clean_line(name)
        if not name:
            raise ValidationError("Please give a name to show with your comment.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        _reject_unreadable(email)
        _reject_control_characters(email, allow_newlines=False)
        # One address, one reader: "Ada@Example.com" and "ada@example.com" are the same commenter,
        # and so is one with a zero-width space pasted into it.
        return clean_line(email).lower()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        _reject_unreadable(body)
        _reject_control_characters(body, allow_newlines=True)
        body = clean_lines(body)
        if not body:
            raise ValidationError("Please write a comment.")
        return body

    def clean_parent(self) -> Comment | None:
        raw = self.cleaned_data["parent"].strip()
        if not raw:
            return None
        pk = row_id(raw)
        if pk is None:
            raise ValidationError(REPLY_MESSAGE)
        parent = Comment.objects.visible().filter(article=self.article, pk=pk).first()
        if parent is None:
            raise ValidationError(REPLY_MESSAGE)
        self.parent_comment = parent
        return parent

    def clean_token(self) -> FormToken:
        token = read_form_token(self.cleaned_data["token"], article_id=self.article.pk)
        if token is None:
            raise ValidationError(STALE_FORM_MESSAGE)
        self.form_token = token
        return token

    def hidden_errors(self) -> list[str]:
        """Errors of the fields the reader cannot see, shown at the top of the form."""
        return [*self.errors.get("parent", []), *self.errors.get("token", [])]
