"""Queries built and compiled once per process, then run with each request's values: a prepared statement.

Django builds and compiles a queryset's SQL on every request, and for a query with subqueries and
annotations that is most of its cost: the related stories under an article took about 14 ms of processor
time to build and compile and well under 1 ms to run (docs/performance.md). A PreparedQuery builds its
queryset once per shape (which values are lists, and how long; which are None) from stand-in values that
cannot occur in real data, compiles it, finds where each stand-in went among the SQL's parameters, and from
then on runs the same SQL with the request's values in their places, through the queryset's own iterable
(Django's ModelIterable, or the tuples of `values_list()`), so the rows come out exactly as the queryset would
have made them.

Only for values the builder passes straight into filters (ids, slugs, times): a value the builder computes
with (`if count > 2`) would be computed with the stand-in. Every stand-in must reach the parameters, or the
first run fails loudly rather than keeping a stand-in in the SQL.
"""

import copy
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_serial = itertools.count(1)


class PreparedQuery:
    """`PreparedQuery(build)`, then `.run(shape={...}, **values)`: `build(**shape, **values)` returns the queryset.

    `shape` holds what changes the SQL itself (a LIMIT, a choice the builder makes), passed as it is and
    prepared for separately; `values` are bound as parameters."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._plans: dict[tuple, _Plan] = {}

    def run(self, shape: dict[str, Any] | None = None, **values: Any) -> list:
        """The rows `build(**shape, **values)` would give (model instances, or tuples from `values_list()`),
        without building or compiling it again."""
        shape = shape or {}
        key = (
            tuple(sorted(shape.items())),
            tuple((name, _shape(value)) for name, value in sorted(values.items())),
        )
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(self.build, shape, values)
        return plan.run(values)


def _shape(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ("list", len(value))
    return None if value is None else type(value).__name__


def _stand_in(value: Any) -> Any:
    """A value of the same kind that real data cannot hold."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_stand_in(item) for item in value]
    n = next(_serial)
    if isinstance(value, bool):
        raise TypeError("A prepared query cannot take a yes/no value: the SQL itself may depend on it.")
    if isinstance(value, int):
        return -8_000_000_000_000 - n
    if isinstance(value, str):
        return f"\x00prepared-{n}\x00"
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, tzinfo=UTC) + timedelta(microseconds=n * 7919)
    raise TypeError(f"A prepared query takes ids, text, times and lists of them, not {type(value).__name__}.")


class _Plan:
    def __init__(self, build: Callable[..., QuerySet], shape: dict[str, Any], values: dict[str, Any]) -> None:
        stand_ins = {name: _stand_in(value) for name, value in values.items()}
        queryset = build(**shape, **stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError("Prefetch after running a prepared query (prefetch_related_objects).")
        self.db = queryset.db
        self.model = queryset.model
        self.iterable_class = queryset._iterable_class
        self.fields = queryset._fields
        connection = connections[self.db]
        self.vendor = connection.vendor
        compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = compiler.as_sql()
        self.compiler = compiler
        self._converters_by_columns: dict[tuple, dict] = {}
        # Where each stand-in landed: (name, index in its list or None) for each parameter, or None for a constant.
        places: dict[Any, tuple[str, int | None]] = {}
        for name, stand_in in stand_ins.items():
            items = stand_in if isinstance(stand_in, list) else [stand_in]
            for index, item in enumerate(items):
                if item is not None:
                    places[_adapt(connection, item)] = (name, index if isinstance(stand_in, list) else None)
        self.slots = [places.get(param) if _hashable(param) else None for param in params]
        self.constants = list(params)
        missing = set(places.values()) - set(self.slots)
        if missing:
            raise ValueError(f"These values did not reach the query's parameters as given: {sorted(missing)}.")

    def _converters(self, expressions: list) -> dict:
        key = tuple(id(expression) for expression in expressions)
        found = self._converters_by_columns.get(key)
        if found is None:
            found = self._converters_by_columns[key] = self.compiler.get_converters(expressions)
        return found

    def run(self, values: dict[str, Any]) -> list:
        connection = connections[self.db]
        if connection.vendor != self.vendor:
            raise RuntimeError("A prepared query runs on the database it was prepared for.")
        params = [
            constant if slot is None else _adapt(connection, _pick(values, slot))
            for constant, slot in zip(self.constants, self.slots, strict=True)
        ]
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # The converters of the plan's columns are the same on every run: worked out once (each column asked
        # the backend and its field, some 140 calls an article page, docs/performance.md).
        compiler.get_converters = self._converters
        return list(self.iterable_class(_Bound(self, compiler)))


def _pick(values: dict[str, Any], slot: tuple[str, int | None]) -> Any:
    name, index = slot
    return values[name] if index is None else values[name][index]


def _adapt(connection: Any, value: Any) -> Any:
    # As a DateTimeField hands a time to the database (SQLite: text in UTC; PostgreSQL: the datetime itself).
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Bound:
    """What a queryset's iterable reads of it: its database, model, compiler, known related objects and, for
    `values_list()`, the columns asked for."""

    def __init__(self, plan: _Plan, compiler: Any) -> None:
        self.db = plan.db
        self.model = plan.model
        self._known_related_objects: dict = {}
        self._fields = plan.fields
        self.query = _CompilerOf(compiler)


class _CompilerOf:
    """The prepared compiler in place of the query, whose other attributes (the columns selected) it reads through."""

    def __init__(self, compiler: Any) -> None:
        self._compiler = compiler

    def get_compiler(self, using: str | None = None) -> Any:
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiler.query, name)


class PreparedPrefetch:
    """`prefetch_related_objects(instances, lookup)` for one relation one level deep, its query prepared.

    Django builds and compiles a prefetch's query on every request (about 1.5 ms of processor time each for
    the article's bylines, tags and corrections, docs/performance.md). Here `build(ids=[...])` gives the
    related rows of the owners with those ids, in the order the relation shows them, `owner_of(row)` says
    whose each row is, and each owner's manager then answers `.all()` from those rows as after Django's own
    prefetch: `manager_queryset(owner)` is the queryset it keeps, lazily filtered to that owner, so anything
    chained on it (`.filter()`, `.names()`) still asks the database the right question. `back`, when given,
    is the foreign key on the row whose cache is set to its owner, as Django's reverse prefetch does.
    """

    def __init__(
        self,
        cache_name: str,
        build: Callable[..., QuerySet],
        owner_of: Callable[[Model], Any],
        manager_queryset: Callable[[Model], QuerySet],
        back: Any = None,
    ) -> None:
        self.cache_name = cache_name
        self.query = PreparedQuery(build)
        self.owner_of = owner_of
        self.manager_queryset = manager_queryset
        self.back = back

    def fill(self, instances: list[Model]) -> None:
        """Prefetch into `instances`, each of which must have a primary key; one query, none if there are none."""
        owners = {instance.pk: instance for instance in instances}
        if not owners:
            return
        rows = self.query.run(ids=list(owners))
        grouped: dict[Any, list[Model]] = {pk: [] for pk in owners}
        for row in rows:
            owner = self.owner_of(row)
            grouped[owner].append(row)
            if self.back is not None:
                self.back.set_cached_value(row, owners[owner])
        for pk, instance in owners.items():
            queryset = self.manager_queryset(instance)
            queryset._result_cache = grouped[pk]
            queryset._prefetch_done = True
            instance.__dict__.setdefault("_prefetched_objects_cache", {})[self.cache_name] = queryset


def lazily_filtered(queryset: QuerySet, **filters: Any) -> QuerySet:
    """`queryset.filter(**filters)`, the filter applied only if something reads the query: what a related
    manager keeps for its prefetched rows (Django's own `_apply_rel_filters` defers its filter the same way)."""
    queryset = queryset._chain()
    queryset._defer_next_filter = True
    return queryset.filter(**filters)
