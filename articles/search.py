"""Full-text search of articles, in whichever database the site runs on (docs/decisions/search.md).

PostgreSQL matches a stored, GIN-indexed tsvector; the embedded SQLite matches an FTS5 table. Both are kept
by the database itself (migration 0009_search_index), so every save, publish, unpublish, QuerySet.update()
and delete is reflected with no Python hook. This module holds what differs between the two: how the
reader's text becomes a query, how matches are ranked, and how highlights are marked, safely.
"""

import html
import importlib
import re
from dataclasses import dataclass, field

from django.apps import AppConfig
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import BooleanField, Expression, F, FloatField, Func, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A reader's search is a few words; anything longer is pasted text, and cutting it keeps the query cheap.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# A match published RECENCY_DAYS ago counts half as much as the same match published now: news goes stale
# in weeks, yet an older story with the words in its headline still beats a new one with them in passing.
RECENCY_DAYS = 30
# Weights of where the words are found. PostgreSQL's ts_rank gives labels A, B and C 1.0, 0.4 and 0.2; the
# same order for SQLite's bm25(), per column.
SQLITE_COLUMN_WEIGHTS = (10.0, 5.0, 1.0)
# Private-use characters mark highlights while the text is still text, so escaping it cannot touch them and
# no article text can forge a <mark>.
START, STOP = "\ue000", "\ue001"
# The excerpt of the body shown under a result, in words; about two lines of a result card.
EXCERPT_WORDS = 30

# PostgreSQL's built-in text search configurations, by the language part of LANGUAGE_CODE. A language not
# listed is searched with "simple": words match as written, without stemming.
POSTGRES_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000-\uf8ff]")
_TAG = re.compile(r"<[^>]*>")
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def postgres_config(language_code: str) -> str:
    """The text search configuration for a language: its stemming and stop words."""
    return POSTGRES_CONFIGS.get(language_code, "simple")


def sqlite_tokenizer(language_code: str) -> str:
    """FTS5 has one stemmer, Porter's, for English; other languages match whole words, accents folded."""
    return ("porter " if language_code == "en" else "") + "unicode61 remove_diacritics 2"


# The query ---------------------------------------------------------------------------------------------


@dataclass
class ReaderQuery:
    """What a reader typed, as web search syntax: words, "quoted phrases", -exclusions and OR."""

    text: str
    groups: list[list[str]] = field(default_factory=list)  # all groups must match; any phrase of a group
    excluded: list[str] = field(default_factory=list)

    @property
    def is_searchable(self) -> bool:
        """Only exclusions (or nothing with a letter in it) would list every article: not a search."""
        return bool(self.groups)


def parse(raw: str) -> ReaderQuery:
    """Read the reader's text the way websearch_to_tsquery does, never failing on what it cannot read."""
    text = " ".join(_CONTROL.sub(" ", raw).split())[:MAX_QUERY_LENGTH]
    query = ReaderQuery(text=text)
    joining = False
    for negated, phrase, word in re.findall(r'(-?)(?:"([^"]*)"?|([^\s"]+))', text)[: MAX_TERMS * 2]:
        term = phrase if phrase else word
        if not phrase and word.lower() == "or" and query.groups:
            joining = True
            continue
        if not any(ch.isalnum() for ch in term):
            continue
        if negated:
            query.excluded.append(term)
        elif joining:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        joining = False
    return query


def _fts5_string(term: str) -> str:
    # An FTS5 string: the reader's words as one phrase, with no operator, column filter or prefix meaning.
    return '"' + term.replace('"', '""') + '"'


def fts5_match(query: ReaderQuery) -> str:
    """The reader's query in FTS5 syntax, built only from quoted strings and the operators chosen here."""
    expression = " AND ".join("(" + " OR ".join(_fts5_string(t) for t in group) + ")" for group in query.groups)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_string(term)}"
    return expression


# The search --------------------------------------------------------------------------------------------


def search(articles: QuerySet, raw: str) -> QuerySet:
    """`articles` narrowed to those matching the reader's text, best first, each annotated with
    search_rank, marked_headline, marked_summary and marked_excerpt (text with START/STOP around matches)."""
    query = parse(raw)
    if not query.is_searchable:
        return articles.none()
    if connections[articles.db].vendor == "postgresql":
        return _search_postgresql(articles, query)
    return _search_sqlite(articles, query)


def recency_weight(age_in_days: float) -> float:
    """The recency weight of a match, as _recency() computes it in SQL."""
    return 1.0 / (1.0 + age_in_days / RECENCY_DAYS)


def _recency(age_in_days: Func) -> Func:
    template = f"(1.0 / (1.0 + %(expressions)s / {RECENCY_DAYS:.1f}))"
    return Func(age_in_days, template=template, output_field=FloatField())


class StoredSearchVector(Expression):
    """articles_article.search_vector: a generated column only the PostgreSQL schema has (0009_search_index),
    so it is not a model field, which would make SQLite select a column it lacks."""

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        alias = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{alias}.search_vector", []


def postgresql_rank(text: str) -> Expression:
    """search_rank as _search_postgresql() annotates it (relevance × recency), for rows already known to match."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    tsquery = SearchQuery(text, search_type="websearch", config=postgres_config(language()))
    age = Func(
        F("published_at"),
        template="(EXTRACT(EPOCH FROM (NOW() - %(expressions)s)) / 86400.0)",
        output_field=FloatField(),
    )
    return SearchRank(StoredSearchVector(), tsquery) * _recency(age)


# The reader's tsquery with its phrase operators (<->, <N>) made ANDs: what a GIN index answers exactly, without
# reading each story's word positions; every phrase match matches it too. A query holding a negation (!) is kept
# as it is, since "not the phrase" does not imply "not both words". Three times the same two parameters.
_LOOSENED_TSQUERY = (
    "CASE WHEN strpos(websearch_to_tsquery(%s::regconfig, %s)::text, '!') = 0 "
    "THEN regexp_replace(websearch_to_tsquery(%s::regconfig, %s)::text, '<(-|[0-9]+)>', '&', 'g')::tsquery "
    "ELSE websearch_to_tsquery(%s::regconfig, %s) END"
)


def has_phrase(query: ReaderQuery) -> bool:
    """Whether a term of the query is several words (a quoted phrase, or a word PostgreSQL splits, such as
    "e-mail"), which PostgreSQL matches by their positions."""
    return any(not term.isalnum() for group in query.groups for term in group)


def postgresql_newest_matches(articles: QuerySet, text: str, limit: int) -> RawSQL:
    """SQL giving the ids of the newest `limit` of `articles` matching the reader's text, as
    `articles.search(text)` ordered newest first would, for a `pk__in` filter.

    A phrase ("central bank") is answered by the GIN index only as far as "both words": PostgreSQL then reads
    each candidate's word positions, and asked for the newest matches it did so for every story holding both
    words (10,388 at 100,000 stories, 100 ms) before sorting them. Here the candidates are found with the
    loosened query, which the index answers exactly, sorted newest first by their dates alone, and the phrase is
    checked on them in that order, one story at a time, until `limit` match: about as many checks as results
    when the words mostly stand together. The same stories either way.

    Only when the query holds a phrase operator once PostgreSQL has read it (a quoted "the government" is the
    word "government" alone): without one, the candidates would be every match, sorted, where the plain
    query's LIMIT lets the planner stop at the newest. Both forms are in the SQL, each behind a test of the
    query's text that PostgreSQL makes once, before either runs (a one-time filter)."""
    config = postgres_config(language())
    query = [config, text]
    # The query, as PostgreSQL reads it, holds a phrase operator (<-> or <N>).
    phrase_test = "strpos(websearch_to_tsquery(%s::regconfig, %s)::text, '<') > 0"
    # Constants only in the SQL: the reader's text travels as a parameter.
    loosened = RawSQL(  # noqa: S611
        f"articles_article.search_vector @@ ({_LOOSENED_TSQUERY})", query * 3, output_field=BooleanField()
    )
    candidates = (
        articles.filter(loosened)
        .order_by("-published_at", "-pk")
        .annotate(candidate_id=F("pk"), candidate_at=F("published_at"))
        .values("candidate_id", "candidate_at")
    )
    inner, params = candidates.query.sql_with_params()
    without_phrase = RawSQL(f"NOT ({phrase_test})", query, output_field=BooleanField())  # noqa: S611
    plain = articles.search(text).filter(without_phrase).order_by("-published_at", "-pk").values("pk")[:limit]
    plain_sql, plain_params = plain.query.sql_with_params()
    # OFFSET 0 keeps the phrase test out of the candidates' scan; the scalar subquery keeps it a test per row,
    # made in date order, which the LIMIT stops.
    sql = (
        f"(SELECT candidates.candidate_id FROM ({inner} OFFSET 0) candidates "  # noqa: S608
        "WHERE (SELECT story.search_vector FROM articles_article story WHERE story.id = candidates.candidate_id) "
        f"@@ websearch_to_tsquery(%s::regconfig, %s) AND {phrase_test} "
        "ORDER BY candidates.candidate_at DESC, candidates.candidate_id DESC LIMIT %s) "
        f"UNION ALL ({plain_sql})"
    )
    # The ORM's own SQL and constants; values, the reader's text among them, travel as parameters.
    return RawSQL(sql, [*params, *query, *query, limit, *plain_params])  # noqa: S611


def _search_postgresql(articles: QuerySet, query: ReaderQuery) -> QuerySet:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorExact

    config = postgres_config(language())
    tsquery = SearchQuery(query.text, search_type="websearch", config=config)
    options = {"start_sel": START, "stop_sel": STOP, "config": config}
    # ts_headline over the body's text: tags removed first, so a fragment never ends inside one.
    body_text = Func(F("body"), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")
    return (
        articles.filter(SearchVectorExact(StoredSearchVector(), tsquery))
        .annotate(
            search_rank=postgresql_rank(query.text),
            marked_headline=SearchHeadline("headline", tsquery, highlight_all=True, **options),
            marked_summary=SearchHeadline("summary", tsquery, highlight_all=True, **options),
            marked_excerpt=SearchHeadline(
                body_text, tsquery, max_words=EXCERPT_WORDS, min_words=EXCERPT_WORDS // 2, **options
            ),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


SQLITE_TABLE = "articles_article_fts"
SQLITE_TRIGGERS = ("articles_article_fts_insert", "articles_article_fts_update", "articles_article_fts_delete")
# The migration that made the index: its SQL is what a repair makes again.
INDEX_MIGRATION = ("articles", "0009_search_index")


class _Statements:
    """Runs a migration's statements on a plain cursor: the index migration's create_index() asks only for
    execute() and the connection, and a schema editor cannot be opened inside a transaction on SQLite."""

    def __init__(self, connection: BaseDatabaseWrapper, cursor: CursorWrapper) -> None:
        self.connection, self.cursor = connection, cursor

    def execute(self, sql: str, params: object = None) -> None:
        self.cursor.execute(sql)


def restore_sqlite_index(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Make the SQLite FTS5 table and its triggers again if any is missing; True when it had to.

    SQLite cannot alter most columns in place, so a migration that adds a NOT NULL column or changes one
    rebuilds articles_article as a new table, and a table's triggers die with it: search would silently
    stop following edits. The repair drops what is left, makes the index as migration 0009 does and fills
    it from the articles, so it is exact whatever was saved while the triggers were gone. Only after 0009
    has been applied (migrating back past it removes the index on purpose). Checking costs one query;
    PostgreSQL keeps its trigger through column changes and is left alone.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", [SQLITE_TABLE, *SQLITE_TRIGGERS]
        )
        if {row[0] for row in cursor.fetchall()} == {SQLITE_TABLE, *SQLITE_TRIGGERS}:
            return False
        if INDEX_MIGRATION not in MigrationRecorder(connection).applied_migrations():
            return False
        index = importlib.import_module(f"{INDEX_MIGRATION[0]}.migrations.{INDEX_MIGRATION[1]}")
        with transaction.atomic(using=using):
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
            index.create_index(None, _Statements(connection, cursor))
    return True


def restore_index_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate (connected in articles/apps.py): after every migrate, the search index is whole."""
    restore_sqlite_index(using)


class IndexRow(Func):
    """One article's row of the FTS5 index under the reader's MATCH, for bm25(), highlight() and snippet().

    FTS5 seeks to the rowid, so this costs a lookup per result rather than a second search."""

    template = "(SELECT %(function)s FROM articles_article_fts WHERE articles_article_fts MATCH %(expressions)s)"
    arg_joiner = " AND articles_article_fts.rowid = "

    def __init__(self, function: str, match: str, output_field) -> None:
        super().__init__(Value(match), F("pk"), function=function, output_field=output_field)


def _search_sqlite(articles: QuerySet, query: ReaderQuery) -> QuerySet:
    match = fts5_match(query)
    weights = ", ".join(str(w) for w in SQLITE_COLUMN_WEIGHTS)
    age = Func(F("published_at"), template="(julianday('now') - julianday(%(expressions)s))", output_field=FloatField())
    marks = f"'{START}', '{STOP}'"
    # The reader's text only ever travels as a parameter, already rewritten as quoted FTS5 strings.
    matching = RawSQL("SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s", [match])
    # bm25() is lower for better matches; negated, it ranks the same way as PostgreSQL's ts_rank.
    relevance = IndexRow(f"-bm25({SQLITE_TABLE}, {weights})", match, FloatField())
    return (
        articles.filter(pk__in=matching)
        .annotate(
            search_rank=relevance * _recency(age),
            marked_headline=IndexRow(f"highlight({SQLITE_TABLE}, 0, {marks})", match, TextField()),
            marked_summary=IndexRow(f"highlight({SQLITE_TABLE}, 1, {marks})", match, TextField()),
            marked_excerpt=IndexRow(f"snippet({SQLITE_TABLE}, 2, {marks}, '…', {EXCERPT_WORDS})", match, TextField()),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


def sqlite_relevance(match: str, limit: int, using: str = DEFAULT_DB_ALIAS) -> tuple[dict[int, float], bool]:
    """The relevance of the newest `limit` articles matching an FTS5 expression, by id, in one pass over the
    index, and whether more match. Newest by rowid, the order stories were created in, which FTS5 walks
    without reading the other matches: ranking every match of a common word costs in proportion to the
    archive, and the recency weight puts old matches far below new ones anyway."""
    weights = ", ".join(str(w) for w in SQLITE_COLUMN_WEIGHTS)
    with connections[using].cursor() as cursor:
        cursor.execute(
            # Constants only: the reader's text travels as a parameter.
            f"SELECT rowid, -bm25({SQLITE_TABLE}, {weights}) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "  # noqa: S608
            "ORDER BY rowid DESC LIMIT %s",
            [match, limit + 1],
        )
        rows = cursor.fetchall()
    return dict(rows[:limit]), len(rows) > limit


def sqlite_highlights(match: str, ids: list[int], using: str = DEFAULT_DB_ALIAS) -> dict[int, tuple[str, str, str]]:
    """Marked headline, summary and body excerpt of the given articles under an FTS5 expression: one query
    for a page of results, FTS5 seeking to each rowid."""
    marks = f"'{START}', '{STOP}'"
    placeholders = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, highlight({SQLITE_TABLE}, 0, {marks}), highlight({SQLITE_TABLE}, 1, {marks}), "  # noqa: S608
            f"snippet({SQLITE_TABLE}, 2, {marks}, '…', {EXCERPT_WORDS}) FROM {SQLITE_TABLE} "
            f"WHERE {SQLITE_TABLE} MATCH %s AND rowid IN ({placeholders})",
            [match, *ids],
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


# Highlights --------------------------------------------------------------------------------------------


def marked_html(marked: str | None, *, from_html: bool = False) -> SafeString:
    """Text with START/STOP around matches, as HTML with <mark>: escaped first, and only then the marks made
    elements. Headline and summary are plain text, shown as typed; a body excerpt (`from_html`) is HTML
    whose tags are dropped, even one cut in half at either end of the excerpt, and entities read."""
    text = marked or ""
    if from_html:
        if ">" in text.split("<", 1)[0]:
            text = text.split(">", 1)[1]
        text = html.unescape(_TAG.sub(" ", re.sub(r"<[^>]*$", "", text)))
    marked_up = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(" ".join(marked_up.replace(START, "").replace(STOP, "").split()))  # noqa: S308


def has_marks(marked: str | None) -> bool:
    return bool(marked) and START in marked
