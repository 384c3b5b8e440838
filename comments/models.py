"""Readers' comments on articles, kept with what moderators need to judge them, and the moderation rules."""

import hashlib
import ipaddress

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Count, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from newsroom.sanitize import render_comment_text
from newsroom.sql import CompiledSubquery
from newsroom.text import clean_line, clean_lines


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """Approved comments, oldest first so a conversation reads in order."""
        return self.filter(status=Comment.Status.APPROVED).order_by("created_at", "pk")

    def visible(self) -> "CommentQuerySet":
        """What readers see: approved comments in a thread whose first comment is approved too.

        Removing a thread's first comment takes its replies off the page with it (their own status
        is kept, so approving it again brings them back). A reply whose direct parent was removed
        stays, shown under the first comment as answering a removed one.
        """
        return self.approved().filter(Q(root__isnull=True) | Q(root__status=Comment.Status.APPROVED))

    def threads(self) -> "CommentQuerySet":
        """The first comments of the visible threads, in page order."""
        return self.approved().filter(parent__isnull=True)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)


def count_per_article(queryset: CommentQuerySet) -> Coalesce:
    """An article's comments from `queryset`, counted in a subquery to annotate articles with.

    A subquery rather than a join with GROUP BY, so a listing stays one query on the articles table
    whatever else it joins, and its paginator's COUNT does not need the comments at all.
    """
    counts = (
        queryset.filter(article=OuterRef("pk")).order_by().values("article").annotate(count=Count("pk")).values("count")
    )
    return Coalesce(CompiledSubquery(counts), 0)


def fingerprint(email: str, body: str) -> str:
    """What makes two comments the same: the address and the words, ignoring case and spacing."""
    words = " ".join(body.split()).casefold()
    return hashlib.sha256(f"{email.strip().casefold()}\n{words}".encode()).hexdigest()


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    # RESTRICT, not CASCADE: a comment with replies is never deleted on its own (purge_comments
    # deletes replies first), yet deleting the article still deletes its whole conversation.
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment answered.",
    )
    # The thread's first comment, so one query fetches whole threads for a page.
    root = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="descendants", editable=False
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254, help_text="Seen by moderators only, never shown on the site.")
    body = models.TextField(max_length=5000, help_text="Plain text; shown escaped with its paragraphs.")
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    held_by_rule = models.CharField(
        "rule", max_length=200, blank=True, help_text="Why the screening gave this status, for the moderator."
    )
    notify_replies = models.BooleanField(
        "email on replies", default=False, help_text="The reader asked to be emailed when a reply is approved."
    )
    # Set once the parent's author has been told about this reply, so approving it again sends nothing.
    parent_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    # One rendered form, one comment per sender: the random part of the form's signed token. Per sender (with
    # the email address) because a cached article page gives the same form to every reader of that copy.
    form_nonce = models.CharField(max_length=32, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The article page asks for one article's approved comments in order.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # The article page counts its threads (approved first comments); without this SQLite's planner
            # read every first comment on the site through the parent index (0.3 s an article page at a
            # million comments, docs/performance.md).
            models.Index(fields=["article", "status", "parent"], name="comment_thread_idx"),
            # The moderation queue lists pending comments newest first; the id too, the order's tie-breaker, or
            # SQLite walked every comment newest first looking for pending ones (1 s at a million comments).
            models.Index(fields=["status", "-created_at", "-id"], name="comment_status_idx"),
            # The queue's other comments after the pending ones, newest first, a page at a time: without it every
            # view sorted a million comments (comments/admin.py, QueuePaginator).
            models.Index(fields=["-created_at", "-id"], name="comment_created_idx"),
            # "Has this address an approved comment already?" on every post.
            models.Index(fields=["email", "status"], name="comment_email_idx"),
        ]
        constraints = [
            # Duplicates are refused by the database, so two identical posts at the same moment
            # (a double click) cannot both be stored.
            models.UniqueConstraint(fields=["article", "fingerprint"], name="comment_unique_per_author"),
            models.UniqueConstraint(
                fields=["form_nonce", "email"], condition=~Q(form_nonce=""), name="comment_form_used_once_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.article}"

    def save(self, *args, **kwargs) -> None:
        # Derived from the row's own text, so the page never renders a comment on each request.
        self.body_html = render_comment_text(self.body)
        self.fingerprint = fingerprint(self.email, self.body)
        if self.parent_id and not self.root_id:
            self.root_id = self.parent.root_id or self.parent_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The comment's lasting address. Costs no query: the link answers with a redirect to the page
        the comment is on (comments.views.comment_link), which an email or a list of links need not know."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        # The reader's form has cleaned these already; a moderator's edit in the admin passes the same rule.
        # An empty field has its "required" error from clean_fields(); one that empties here gets this one.
        name, body = clean_line(self.name), clean_lines(self.body)
        errors = {}
        if self.name and not name:
            errors["name"] = "Give a name: this one is made only of invisible characters."
        if self.body and not body:
            errors["body"] = "Write a comment: this one is made only of invisible characters."
        if errors:
            raise ValidationError(errors)
        self.name, self.body = name, body


# What a new site holds for a moderator out of the box, editable on the settings page. GTUBE is the spam filters'
# standard test string, so anyone can check the rule works; the rest are the pharmacy and casino words of most
# comment spam. Held, not sent to spam: a reader may well discuss a casino licence or a pharmacy's prices.
# Kept short on purpose (docs/decisions/moderation-words.md); a migration adds these to an existing site's list.
DEFAULT_MODERATION_WORDS = "\n".join(
    [
        "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X",
        "viagra",
        "cialis",
        "levitra",
        "tramadol",
        "xanax",
        "online pharmacy",
        "no prescription",
        "without prescription",
        "casino",
        "free spins",
        "roulette",
        "jackpot",
    ]
)


class ModerationSettings(models.Model):
    """The rules every new comment passes, set by editors in the admin. There is one row (pk 1)."""

    class Mode(models.TextChoices):
        RULES = "rules", "Follow the rules below"
        MODERATE_ALL = "moderate_all", "Moderate everything: every comment waits for a moderator"
        APPROVE_ALL = "approve_all", "Approve everything that is not spam"

    mode = models.CharField(
        max_length=16,
        choices=Mode,
        default=Mode.RULES,
        help_text="Spam rules apply in every mode. The hold rules and the known-author rule apply only in the first.",
    )
    auto_approve_known_authors = models.BooleanField(
        "only auto-approve known authors",
        default=True,
        help_text=(
            "Publish a comment at once only when its email address already has an approved comment; the first "
            "comment from an address waits for a moderator. Off: publish every comment that no rule holds."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        "hold with more than this many links",
        default=2,
        help_text="Links are a spammer's reason to comment. For example: 2.",
    )
    moderation_words = models.TextField(
        "hold when it contains",
        blank=True,
        default=DEFAULT_MODERATION_WORDS,
        help_text="One word or phrase per line, matched as whole words in the name, email and comment, ignoring "
        "case. The site starts with the spam filters' test string (GTUBE) and common pharmacy and casino words.",
    )
    blocked_words = models.TextField(
        "send to spam when it contains",
        blank=True,
        help_text="One word or phrase per line, matched like the hold list.",
    )
    blocked_emails = models.TextField(
        "send to spam from these email addresses or domains",
        blank=True,
        help_text="One per line: a whole address (spammer@example.com) or a domain (example.net), which also "
        "covers its subdomains.",
    )
    blocked_ips = models.TextField(
        "send to spam from these IP addresses",
        blank=True,
        help_text="One per line: an address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/32).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "moderation settings"

    def __str__(self) -> str:
        return "Moderation settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        bad_ips = [line for line in lines(self.blocked_ips) if not _is_network(line)]
        if bad_ips:
            errors["blocked_ips"] = f"Not an IP address or network: {', '.join(bad_ips[:3])}."
        bad_emails = [line for line in lines(self.blocked_emails) if not _is_email_or_domain(line)]
        if bad_emails:
            errors["blocked_emails"] = f"Not an email address or domain: {', '.join(bad_emails[:3])}."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> "ModerationSettings":
        """The one row; a data migration creates it, and this brings it back should it be missing."""
        return cls.objects.get_or_create(pk=1)[0]


def lines(text: str) -> list[str]:
    """The non-blank lines of a list field, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _is_email_or_domain(value: str) -> bool:
    candidate = value if "@" in value.lstrip("@") else f"user@{value.lstrip('@')}"
    try:
        validate_email(candidate)
    except ValidationError:
        return False
    return True
