"""The article's type (the Trust Project's labels) and, for syndicated stories, the original's address and the
editor's choice of canonical address.

On SQLite each AddField of a NOT NULL column rebuilds articles_article, which drops the search index's
triggers (0009); the last step makes them again, as the post_migrate repair in articles/search.py would.
"""

from django.db import migrations, models


def restore_search_index(apps, schema_editor) -> None:
    from articles.search import restore_sqlite_index

    restore_sqlite_index(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_search_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='article_type',
            field=models.CharField(choices=[('news', 'News'), ('analysis', 'Analysis'), ('explainer', 'Explainer'), ('opinion', 'Opinion'), ('review', 'Review'), ('sponsored', 'Sponsored')], default='news', help_text='Shown as a label on the story and on every card. Opinion and Sponsored tell readers this is not news reporting.', max_length=16, verbose_name='type'),
        ),
        migrations.AddField(
            model_name='article',
            name='canonical',
            field=models.CharField(choices=[('this', 'This page'), ('original', 'The original article')], default='this', help_text='The address search engines list. Choose the original when the licence asks for it; this page then stays readable here but search results send readers to the original.', max_length=8, verbose_name='canonical address'),
        ),
        migrations.AddField(
            model_name='article',
            name='original_url',
            field=models.URLField(blank=True, help_text="The address of the story this one is a copy of, for syndicated stories: the article itself, not the source's home page. Only http and https links.", max_length=500, verbose_name='original article'),
        ),
        migrations.RunPython(restore_search_index, migrations.RunPython.noop),
    ]
