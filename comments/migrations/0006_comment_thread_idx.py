"""An index for counting an article's comment threads: its approved comments without a parent."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_search_index"),
        ("comments", "0005_form_used_once_per_email"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["article", "status", "parent"], name="comment_thread_idx"),
        ),
    ]
