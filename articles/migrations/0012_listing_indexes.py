"""Indexes that let every listing of stories page by cursor (newsroom/paging.py) with one seek and one page of
index entries, however deep: the listing indexes gain the id that orders stories published in the same minute,
and the tag and byline tables an index each that finds a tag's or an author's stories without reading the rows.

Only indexes are added and removed: nothing rebuilds articles_article, so SQLite keeps the full-text triggers of
0009_search_index (a table rebuild would drop them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_lead_story"),
        ("authors", "0002_photo_renditions_and_focal_point"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_public_idx"),
        migrations.RemoveIndex(model_name="article", name="article_section_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "-published_at", "-id"], name="article_listing_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "status", "-published_at", "-id"], name="article_section_listing_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["author", "article"], name="byline_author_article_idx"),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article_idx"),
        ),
    ]
