from django.db import migrations, models


class Migration(migrations.Migration):
    """The moderation queue's pending comments, newest first, read from one index whatever the table's size: the
    index gains the order's tie-breaker (id), without which SQLite preferred walking every comment by date."""

    dependencies = [
        ("comments", "0007_comment_created_idx"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="comment", name="comment_status_idx"),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["status", "-created_at", "-id"], name="comment_status_idx"),
        ),
    ]
