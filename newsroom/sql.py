"""SQL the ORM does not write by itself: a subquery compiled once per process for each place it is used (the
comment counts on every story), and `id = ANY(ARRAY(subquery))` for a handful of ids found by a subquery.

Django compiles a subquery's SQL anew inside every query that uses it: about 1.5 ms of processor time for
each comment count, and the article page asks for three (docs/performance.md). The counts are built once
per process (articles/models/article.py), hold no value that changes between requests (no time, no
reader), and compile to the same SQL wherever the outer query puts them under the same table alias, so
the SQL is kept per database connection, outer aliases and alias prefix; a query that nests it elsewhere
compiles it once more under its own key.
"""

from typing import Any

from django.db import connections
from django.db.models import F, Lookup, Q, QuerySet, Subquery


class CompiledSubquery(Subquery):
    """A Subquery whose SQL and parameters are kept after the first compilation in the same surroundings.

    Only for subqueries whose parameters are constants of the code: a value given per request (a time, an
    id) would be kept with the first request's value.
    """

    def __init__(self, queryset: Any, output_field: Any = None, **extra: Any) -> None:
        super().__init__(queryset, output_field, **extra)
        # Shared by every copy that queries make of this expression (copy() is shallow but for the query).
        self._compiled: dict[tuple, tuple[str, tuple]] = {}

    def as_sql(self, compiler: Any, connection: Any, template: str | None = None, **extra_context: Any) -> tuple:
        key = (
            connection.alias,
            connection.vendor,
            template,
            tuple(sorted(extra_context.items())),
            self.query.alias_prefix,
            tuple(sorted(self.query.external_aliases.items())),
        )
        found = self._compiled.get(key)
        if found is None:
            sql, params = super().as_sql(compiler, connection, template, **extra_context)
            found = self._compiled[key] = (sql, tuple(params))
        return found[0], list(found[1])


class InArray(Lookup):
    """`lhs = ANY(ARRAY(subquery))` (PostgreSQL): the subquery run once, before the rows are read (an InitPlan)."""

    lookup_name = "in_array"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY({rhs}))", [*lhs_params, *rhs_params]


def among(field: str, ids: QuerySet) -> Q:
    """`field__in=ids` for a subquery that gives a handful of ids: on PostgreSQL as an array made once, so the
    rows are read through `field`'s index whatever the planner guesses of the subquery's size. As a plain IN,
    PostgreSQL joins the subquery to the table, and with a guess of thousands of ids (a LIMIT inside a UNION, a
    HAVING it cannot estimate) it read the whole table to join them."""
    if connections[ids.db].vendor == "postgresql":
        return Q(InArray(F(field), ids))
    return Q(**{f"{field}__in": ids})
