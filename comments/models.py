"""Readers' comments on articles, kept with what moderators need to judge them."""

from django.db import models


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """What readers see under an article, oldest first so a conversation reads in order."""
        return self.filter(status=Comment.Status.APPROVED).order_by("created_at", "pk")

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254, help_text="Seen by moderators only, never shown on the site.")
    body = models.TextField(max_length=5000, help_text="Plain text; shown escaped with its paragraphs.")
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The article page asks for one article's approved comments in order.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # The moderation queue lists pending comments newest first.
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.article}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"
