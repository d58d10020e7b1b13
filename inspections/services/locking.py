"""An inspection locked for a write: one statement, written once per process.

The inspection's row is taken FOR UPDATE and its round FOR SHARE. A change of the round's
status (services/rounds.py takes the round FOR UPDATE) still waits for every write in flight,
and every write waits for it; but writes to different inspections of one round no longer wait
for each other, as they did while each autosave and photo took the round FOR UPDATE (at 20
inspectors most of an autosave's time went in that queue). SQLite has no row locks: its
writes take the database's write lock at BEGIN (settings: transaction_mode IMMEDIATE).
Starting an inspection holds its round the same way (`held_round`) and locks its unit's row.

The statement is written here rather than through the ORM because the ORM has no FOR SHARE,
and because composing and compiling the autosave's query cost more CPU than running it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, router
from django.db.models import Field, Model

from inspections.models import Answer, Criterion, Inspection, ModelVersion, Round

# The columns of the answer read with the lock (the answer to one criterion, or NULLs).
ANSWER_FIELDS = (
    *("id", "yes_no", "level", "number", "not_applicable", "note", "flagged", "points"),
    *("updated_at", "updated_by_id"),
)

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Columns:
    """How the values of some fields come back from the driver, converted as the ORM does."""

    fields: Sequence[Field[Any, Any]]
    converters: Sequence[Sequence[tuple[Converter, Any]]]

    def values(self, row: Sequence[Any], start: int, connection: Any) -> list[Any]:
        found = []
        for offset, converters in enumerate(self.converters):
            value = row[start + offset]
            for convert, expression in converters:
                value = convert(value, expression, connection)
            found.append(value)
        return found


@dataclass(frozen=True)
class _Statement:
    sql: str
    inspection: _Columns
    round: _Columns
    version: _Columns
    answer: _Columns | None


_statements: dict[tuple[str, bool], _Statement] = {}
_lock = threading.Lock()


def _columns(fields: Sequence[Field[Any, Any]], alias: str, connection: Any) -> _Columns:
    converters = []
    for field in fields:
        column = field.get_col(alias)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append([(convert, column) for convert in found])
    return _Columns(fields, converters)


def _statement(alias: str, with_answer: bool) -> _Statement:
    connection = connections[alias]
    qn = connection.ops.quote_name
    concrete = {
        model: list(model._meta.concrete_fields) for model in (Inspection, Round, ModelVersion)
    }
    select = [
        f"{letter}.{qn(field.column)}"
        for letter, model in (("i", Inspection), ("r", Round), ("v", ModelVersion))
        for field in concrete[model]
    ]
    answer_fields: list[Field[Any, Any]] = [
        cast(Field[Any, Any], Answer._meta.get_field(name.removesuffix("_id")))
        for name in ANSWER_FIELDS
    ]
    joins = [
        f"FROM {qn(Inspection._meta.db_table)} i",
        f"INNER JOIN {qn(Round._meta.db_table)} r ON r.{qn('id')} = i.{qn('round_id')}",
        f"INNER JOIN {qn(ModelVersion._meta.db_table)} v ON v.{qn('id')} = r.{qn('version_id')}",
    ]
    if with_answer:
        select += [f"a.{qn(field.column)}" for field in answer_fields]
        # The row as this statement's snapshot saw it: on PostgreSQL a lock that waited returns
        # the inspection as committed since, while the joined answer and this subquery keep
        # the snapshot (answer_set then reads the answer anew).
        select.append(
            f"(SELECT s.{qn('updated_at')} FROM {qn(Inspection._meta.db_table)} s"
            f" WHERE s.{qn('id')} = i.{qn('id')})"
        )
        joins += [
            f"LEFT OUTER JOIN {qn(Criterion._meta.db_table)} c"
            f" ON c.{qn('version_id')} = r.{qn('version_id')} AND c.{qn('code')} = %s",
            f"LEFT OUTER JOIN {qn(Answer._meta.db_table)} a"
            f" ON a.{qn('inspection_id')} = i.{qn('id')} AND a.{qn('criterion_id')} = c.{qn('id')}",
        ]
    sql = f"SELECT {', '.join(select)} {' '.join(joins)} WHERE i.{qn('id')} = %s"
    if connection.features.has_select_for_update_of:  # PostgreSQL; SQLite locks the database
        sql += " FOR UPDATE OF i FOR SHARE OF r"
    answer = None
    if with_answer:
        seen = cast(Field[Any, Any], Inspection._meta.get_field("updated_at"))
        answer = _columns([*answer_fields, seen], "a", connection)
    return _Statement(
        sql,
        _columns(concrete[Inspection], "i", connection),
        _columns(concrete[Round], "r", connection),
        _columns(concrete[ModelVersion], "v", connection),
        answer,
    )


def _built(model: type[Model], columns: _Columns, values: list[Any], alias: str) -> Any:
    return model.from_db(alias, [field.attname for field in columns.fields], values)


def locked_inspection(pk: Any, *, answer_to: str | None = None) -> Inspection | None:
    """The inspection `pk` locked (None if there is none), with its round and the round's
    version. With `answer_to`, its answer to that criterion code as answer_<field>
    attributes (None when unanswered) and `answer_seen_at`, the updated_at this statement's
    snapshot saw. Inside a transaction."""
    alias = router.db_for_write(Inspection)
    connection = connections[alias]
    key = (alias, answer_to is not None)
    statement = _statements.get(key)
    if statement is None:
        with _lock:
            statement = _statements.setdefault(key, _statement(alias, answer_to is not None))
    value = Inspection._meta.pk.get_db_prep_value(pk, connection)
    params = [answer_to, value] if answer_to is not None else [value]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    at = 0
    parts = []
    for columns in (statement.inspection, statement.round, statement.version):
        parts.append(columns.values(row, at, connection))
        at += len(columns.fields)
    inspection = _built(Inspection, statement.inspection, parts[0], alias)
    round_ = _built(Round, statement.round, parts[1], alias)
    version = _built(ModelVersion, statement.version, parts[2], alias)
    Round._meta.get_field("version").set_cached_value(round_, version)
    Inspection._meta.get_field("round").set_cached_value(inspection, round_)
    if statement.answer is not None:
        *answer, seen = statement.answer.values(row, at, connection)
        for name, found in zip(ANSWER_FIELDS, answer, strict=True):
            setattr(inspection, f"answer_{name}", found)
        inspection.answer_seen_at = seen
    return cast(Inspection, inspection)


def held_round(pk: Any) -> Round:
    """The round as it stands now, held FOR SHARE until the transaction ends: its status cannot
    change meanwhile (a close waits), and other writes that hold it are not kept waiting."""
    alias = router.db_for_write(Round)
    sql, params = Round.objects.using(alias).filter(pk=pk).order_by().query.sql_with_params()
    if connections[alias].features.has_select_for_update_of:  # SQLite locks the database
        sql += " FOR SHARE"
    return next(iter(Round.objects.using(alias).raw(sql, params)))
