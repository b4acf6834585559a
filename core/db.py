"""Fixed SQL for the few hottest paths, spelled with the models' own table and column names.

The ORM builds and compiles each query anew on every call; on SQLite that costs about ten times
running the query (measured: a one-row lookup by primary key, about 1 ms through the ORM and
0.1 ms as SQL, on the 2-core build machine). The paths every request or join takes (a bearer
token's user, a join) run a few fixed statements through these helpers instead; everything else
stays on the ORM. The SQL is plain enough for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=models.Model)


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted for this database."""
    return connection.ops.quote_name(model._meta.db_table)


def columns(model: type[models.Model], names: Sequence[str], *, prefix: str = "") -> str:
    """The quoted columns of these fields (attnames such as `room_id` too), comma-separated."""
    quote = connection.ops.quote_name
    return ", ".join(prefix + quote(_field(model, name).column) for name in names)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def column(model: type[models.Model], name: str) -> str:
    """One field's quoted column."""
    return columns(model, [name])


def sql(template: str, **names: str) -> str:
    """A statement with table and column names filled in (`{users}` from users=table(User)).
    Only names from the models go in this way; values are always parameters (`%s`)."""
    return template.format(**names)


def select_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row of a query, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def select_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Every row of a query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def execute(sql: str, params: Sequence[Any]) -> int:
    """Runs a write; returns how many rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def for_update(*, of: str = "") -> str:
    """`FOR UPDATE` (of one table of a join) where the database has row locks; SQLite's writer
    lock already serialises every write transaction."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def row_lock(strength: str = "UPDATE", *, of: str = "") -> str:
    """A locking clause (`FOR KEY SHARE`, `FOR NO KEY UPDATE`...; of one table of a join) where
    the database has row locks, else nothing: SQLite's writer lock already serialises every
    write transaction."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR {strength} OF {of}" if of else f" FOR {strength}"


# PostgreSQL's transaction-level advisory locks take two int4 keys: a space per kind of thing
# locked, and the thing's id (folded into int4; two ids sharing a key only wait for each other).
_ADVISORY = "SELECT pg_advisory_xact_lock(%s, %s)"
_INT4 = 2**31


def advisory_lock(*, space: int, key: int) -> None:
    """Holds a lock named (space, key) until the transaction ends, on PostgreSQL; a no-op
    elsewhere (SQLite's writer lock already serialises every write transaction)."""
    if connection.vendor == "postgresql":
        select_one(_ADVISORY, [space, key % _INT4])


class Contended(Exception):
    """A row read before its lock changed before the lock was taken: the transaction must be
    run again (see core.retry)."""


def param(model: type[models.Model], name: str, value: Any) -> Any:
    """A value as the field stores it in this database (a UUID as text on SQLite, say)."""
    return _field(model, name).get_db_prep_value(value, connection)


def timestamp(value: datetime) -> Any:
    """An aware datetime as this database stores it (a parameter for SQL written here)."""
    return connection.ops.adapt_datetimefield_value(value)


def json_value(value: Any) -> Any:
    """A JSON column's value (SQLite hands back its text)."""
    return json.loads(value) if isinstance(value, str) else value


def aware(value: Any) -> datetime | None:
    """A timestamp column's value as an aware UTC datetime (SQLite hands back text or naive)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value if isinstance(value, datetime) else None


def instance(model: type[M], names: Sequence[str], row: Sequence[Any]) -> M:
    """A model instance from a row of `names` (other fields load on access, as with .only())."""
    given = dict(zip(names, row, strict=True))
    # from_db takes the values in the model's field order.
    fields = [f for f in model._meta.concrete_fields if f.attname in given or f.name in given]
    values = [
        aware(given.get(f.attname, given.get(f.name)))
        if isinstance(f, models.DateTimeField)
        else given.get(f.attname, given.get(f.name))
        for f in fields
    ]
    return model.from_db(connection.alias, [f.attname for f in fields], values)
