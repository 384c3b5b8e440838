"""The home page's lead story (articles.models.curation), and an index for the corrections page.

New tables and an index only: articles_article is not touched, so SQLite keeps its full-text triggers."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_article_type_and_syndication'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LeadStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('until', models.DateTimeField(blank=True, help_text='Empty: until you choose another lead. Afterwards the newest story leads the home page.', null=True, verbose_name='lead until')),
                ('chosen_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'verbose_name': 'home page lead',
                'verbose_name_plural': 'home page leads',
                'ordering': ['-chosen_at', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='correction',
            index=models.Index(fields=['-created_at', '-id'], name='correction_recent_idx'),
        ),
        migrations.AddField(
            model_name='leadstory',
            name='article',
            field=models.ForeignKey(help_text='A published or scheduled story. A scheduled one leads from its publication time.', on_delete=django.db.models.deletion.CASCADE, related_name='lead_choices', to='articles.article', verbose_name='story'),
        ),
        migrations.AddField(
            model_name='leadstory',
            name='chosen_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='leadstory',
            index=models.Index(fields=['-chosen_at', '-id'], name='leadstory_latest_idx'),
        ),
    ]
