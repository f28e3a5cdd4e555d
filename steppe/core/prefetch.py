"""Many-to-many relations in one query: what prefetch_related() gives, for less CPU.

An item page shows its countries, themes and tags, a listing the countries of each row:
prefetch_related() runs one query per relation, and building each costs the ORM ~0.5-1 ms of CPU
(query compilation, a related manager and a queryset per object), more than the database spends on
it. Here one UNION ALL reads every relation of every object given; each branch is ranked by its
model's `Meta.ordering` (so rows come in the order prefetch_related() would give), and the results
are stored where prefetch_related() stores them: `obj.countries.all()` then costs no query, and
`obj.countries.filter(...)` still queries this object's relation.

`ManyToManyPrefetchQuerySet.prefetch_many_to_many("countries")` does it for the rows of a queryset;
`prefetch_foreign_key("author", fields)` does the same for a foreign key (a listing's authors).
"""

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, models
from django.db.models import Model
from django.db.models.expressions import Col


def _converter(connection, fields: Sequence, start: int):
    """What the ORM does to a row's raw values before building a model (SQLite's booleans and
    dates, for instance): the backend's and the fields' converters, for `fields` read from
    position `start` on."""
    steps = []
    for index, field in enumerate(fields):
        column = Col(field.model._meta.db_table, field)
        functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if functions:
            steps.append((index, column, functions))

    def convert(row: Sequence) -> list:
        values = list(row[start : start + len(fields)])
        for index, column, functions in steps:
            for function in functions:
                values[index] = function(values[index], column, connection)
        return values

    return convert


def _order_by(model: type[Model], key: str, qn) -> str:
    name = key.lstrip("-")
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return f"t.{qn(field.column)}" + (" DESC" if key.startswith("-") else "")


@lru_cache(maxsize=256)
def _union_sql(
    model: type[Model], names: tuple[str, ...], alias: str, count: int
) -> tuple[str, tuple]:
    """The query for `count` objects, and per relation: the related model, its attribute names,
    its fields and where they start in a row."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    targets = [field.related_model for field in fields]
    # Each related model's columns in a range of their own, typed NULLs elsewhere: PostgreSQL
    # matches the branches' column types pairwise.
    nulls = [
        f"CAST(NULL AS {column.cast_db_type(connection)})"
        for target in targets
        for column in target._meta.concrete_fields
    ]
    placeholders = ", ".join(["%s"] * count)
    branches, layout, start = [], [], 3
    for index, (field, target) in enumerate(zip(fields, targets, strict=True)):
        columns = target._meta.concrete_fields
        values = list(nulls)
        values[start - 3 : start - 3 + len(columns)] = [f"t.{qn(c.column)}" for c in columns]
        order = ", ".join(_order_by(target, key, qn) for key in target._meta.ordering or ["pk"])
        own = f"l.{qn(field.m2m_column_name())}"
        # Names come from the models' metadata, values are parameters.
        branches.append(
            f"SELECT {index} AS relation, {own} AS owner, "  # noqa: S608
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS position, {', '.join(values)} "
            f"FROM {qn(target._meta.db_table)} t "
            f"INNER JOIN {qn(field.remote_field.through._meta.db_table)} l "
            f"ON l.{qn(field.m2m_reverse_name())} = t.{qn(target._meta.pk.column)} "
            f"WHERE {own} IN ({placeholders})"
        )
        layout.append((target, tuple(c.attname for c in columns), tuple(columns), start))
        start += len(columns)
    return " UNION ALL ".join(branches) + " ORDER BY 1, 3", tuple(layout)


def prefetch_many_to_many(objects: Model | Sequence[Model], names: tuple[str, ...]) -> None:
    """Load the many-to-many relations `names` of `objects` (one model) in one query, as
    prefetch_related() would."""
    objects = [objects] if isinstance(objects, Model) else [o for o in objects if o is not None]
    if not objects or not names:
        return
    alias = objects[0]._state.db or "default"
    by_pk = {obj.pk: obj for obj in objects}
    sql, layout = _union_sql(type(objects[0]), tuple(names), alias, len(by_pk))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, list(by_pk) * len(names))
        rows = cursor.fetchall()
    found: dict[tuple[int, object], list[Model]] = {}
    converters = [
        _converter(connections[alias], columns, start) for _t, _a, columns, start in layout
    ]
    for row in rows:
        target, attnames, _columns, _start = layout[row[0]]
        related = target.from_db(alias, attnames, converters[row[0]](row))
        found.setdefault((row[0], row[1]), []).append(related)
    for obj in by_pk.values():
        if not hasattr(obj, "_prefetched_objects_cache"):
            obj._prefetched_objects_cache = {}
        for index, name in enumerate(names):
            obj._prefetched_objects_cache.pop(name, None)
            queryset = getattr(obj, name).get_queryset()  # filtered to this object, as a prefetch's
            queryset._result_cache = found.get((index, obj.pk), [])
            queryset._prefetch_done = True
            obj._prefetched_objects_cache[name] = queryset


def prefetch_foreign_key(objects: Sequence[Model], name: str, fields: Sequence[str]) -> None:
    """Load the object each of `objects` points to through the foreign key `name`, with only
    `fields` (and the primary key), in one query: what prefetch_related(Prefetch(name,
    queryset=Target.objects.only(*fields))) gives, without building that queryset."""
    objects = [o for o in objects if o is not None]
    if not objects:
        return
    field = type(objects[0])._meta.get_field(name)
    target = field.related_model
    alias = objects[0]._state.db or "default"
    ids = [pk for pk in dict.fromkeys(getattr(o, field.attname) for o in objects) if pk is not None]
    found: dict = {}
    if ids:
        qn = connections[alias].ops.quote_name
        wanted = {target._meta.get_field(f).attname for f in fields} | {target._meta.pk.attname}
        # In the model's order: from_db() puts values on its concrete fields in that order.
        columns = [c for c in target._meta.concrete_fields if c.attname in wanted]
        sql = (
            f"SELECT {', '.join(qn(c.column) for c in columns)} "  # noqa: S608 (names from metadata)
            f"FROM {qn(target._meta.db_table)} "
            f"WHERE {qn(target._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})"
        )
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, ids)
            rows = cursor.fetchall()
        attnames = [c.attname for c in columns]
        convert = _converter(connections[alias], columns, start=0)
        for row in rows:
            related = target.from_db(alias, attnames, convert(row))
            found[related.pk] = related
    for obj in objects:
        field.set_cached_value(obj, found.get(getattr(obj, field.attname)))


class ManyToManyPrefetchQuerySet(models.QuerySet):
    """A queryset whose rows come with some relations loaded by prefetch_many_to_many() and
    prefetch_foreign_key(), after the rows (and before any prefetch_related() lookups)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._many_to_many: tuple[str, ...] = ()
        self._foreign_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def prefetch_many_to_many(self, *names: str):
        clone = self._chain()
        clone._many_to_many = tuple(dict.fromkeys((*self._many_to_many, *names)))
        return clone

    def prefetch_foreign_key(self, name: str, fields: Sequence[str]):
        clone = self._chain()
        clone._foreign_keys = (*self._foreign_keys, (name, tuple(fields)))
        return clone

    def prefetch_related(self, *lookups):
        clone = super().prefetch_related(*lookups)
        if lookups == (None,):  # "no prefetching": these relations too
            clone._many_to_many = ()
            clone._foreign_keys = ()
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._many_to_many = self._many_to_many
        clone._foreign_keys = self._foreign_keys
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None and (self._many_to_many or self._foreign_keys):
            rows = list(self._iterable_class(self))
            if self._iterable_class is models.query.ModelIterable:
                for name, fields in self._foreign_keys:
                    prefetch_foreign_key(rows, name, fields)
                prefetch_many_to_many(rows, self._many_to_many)
            self._result_cache = rows
        super()._fetch_all()
