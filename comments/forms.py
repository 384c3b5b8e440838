"""The reader's comment form."""

from django import forms

from comments.models import Comment


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"name": "Name", "email": "Email", "body": "Comment"}
        help_texts = {
            "email": "Never shown on the site.",
            "body": "Plain text, up to 5,000 characters. Comments are read by a moderator before they appear.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please give a name to show with your comment.")
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write a comment.")
        return body
