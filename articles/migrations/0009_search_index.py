"""The full-text index of articles, kept by the database itself (docs/decisions/search.md).

PostgreSQL: a tsvector column filled by a trigger (headline weighted A, summary B, body text C) with a GIN index.
A trigger rather than a GENERATED column, because PostgreSQL refuses to change the type of a column a generated
column reads, and a later migration may well lengthen the headline.
SQLite: an FTS5 table with its own copy of the text, filled by triggers after insert, update and delete.

Each vendor's statements are a no-op on the other; both directions are reversible. The text search language is
the site's LANGUAGE_CODE when this runs; after changing it, a new migration recreates the index for the new one.
The SQL is written out here rather than built by articles/search.py, so this migration means the same thing after
that module changes.
"""

from django.conf import settings
from django.db import migrations

# Language part of LANGUAGE_CODE -> PostgreSQL configuration (a copy of articles.search.POSTGRES_CONFIGS'
# rule: unlisted languages get "simple", words as written).
POSTGRES_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip

# The tags newsroom/sanitize.py lets into a body, which SQLite (having no regular expressions) removes one by
# one. Links keep their opening tag, attributes and all; the results page drops what is left of it.
BODY_TAGS = ["p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "b", "i"]
ENTITIES = {"&amp;": "&", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}


def _language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def _postgresql_vector(row: str) -> str:
    config = POSTGRES_CONFIGS.get(_language(), "simple")
    return (
        f"setweight(to_tsvector('{config}', coalesce({row}.headline, '')), 'A') || "
        f"setweight(to_tsvector('{config}', coalesce({row}.summary, '')), 'B') || "
        f"setweight(to_tsvector('{config}', regexp_replace(coalesce({row}.body, ''), '<[^>]*>', ' ', 'g')), 'C')"
    )


def _sqlite_body_text(column: str) -> str:
    # Closing tags become opening ones first: half the replace() calls, within SQLite's parser depth.
    text = f"replace({column}, '</', '<')"
    for tag in [*BODY_TAGS, "a"]:
        text = f"replace({text}, '<{tag}>', ' ')"
    for entity, character in ENTITIES.items():
        text = f"replace({text}, '{entity}', '{character.replace(chr(39), chr(39) * 2)}')"
    return text


def _sqlite_insert(row: str) -> str:
    return (
        f"INSERT INTO articles_article_fts(rowid, headline, summary, body) "
        f"VALUES ({row}.id, {row}.headline, {row}.summary, {_sqlite_body_text(f'{row}.body')});"
    )


def _sqlite_tokenizer() -> str:
    # FTS5's one stemmer, Porter's, is for English; other languages match whole words with accents folded.
    return ("porter " if _language() == "en" else "") + "unicode61 remove_diacritics 2"


def create_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in [
            "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
            "CREATE FUNCTION articles_article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {_postgresql_vector('NEW')}; RETURN NEW; END $$",
            "CREATE TRIGGER articles_article_search_vector BEFORE INSERT OR UPDATE OF headline, summary, body "
            "ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()",
            f"UPDATE articles_article SET search_vector = {_postgresql_vector('articles_article')}",
            "CREATE INDEX article_search_idx ON articles_article USING GIN (search_vector)",
        ]:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in [
            "CREATE VIRTUAL TABLE articles_article_fts USING fts5("
            f"headline, summary, body, tokenize='{_sqlite_tokenizer()}')",
            "CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article "
            f"BEGIN {_sqlite_insert('new')} END",
            "CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF id, headline, summary, body "
            "ON articles_article BEGIN DELETE FROM articles_article_fts WHERE rowid = old.id; "
            f"{_sqlite_insert('new')} END",
            "CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article "
            "BEGIN DELETE FROM articles_article_fts WHERE rowid = old.id; END",
            "INSERT INTO articles_article_fts(rowid, headline, summary, body) "
            f"SELECT id, headline, summary, {_sqlite_body_text('body')} FROM articles_article",
        ]:
            schema_editor.execute(statement, params=None)


def drop_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in [
            "DROP TRIGGER articles_article_search_vector ON articles_article",
            "DROP FUNCTION articles_article_search_vector()",
            "ALTER TABLE articles_article DROP COLUMN search_vector",  # the index goes with it
        ]:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in [
            "DROP TRIGGER articles_article_fts_insert",
            "DROP TRIGGER articles_article_fts_update",
            "DROP TRIGGER articles_article_fts_delete",
            "DROP TABLE articles_article_fts",
        ]:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_repair_tag_slugs"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
