"""Hot look-ups sent straight to the driver under SQLAlchemy's pool.

An identification look-up on an indexed table takes 0.2-0.4 ms in the
database; SQLAlchemy's per-execute machinery (greenlet hop, result wrapping)
adds about as much again. For the few statements the console runs on every
contact, :class:`PreparedQuery` keeps SQLAlchemy as the source of the SQL and
of the type conversions (compiled once per dialect, result processors taken
from the column types) and only skips the per-call execution layer. Measured
in ``bench/identify.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from sqlalchemy import Select
    from sqlalchemy.engine import Dialect
    from sqlalchemy.ext.asyncio import AsyncConnection


class _Compiled:
    __slots__ = ("_defaults", "names", "processors", "sql")

    def __init__(self, stmt: Select[Any], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.names: list[str] = list(compiled.positiontup or ())
        self._defaults = {name: b.value for name, b in compiled.binds.items()}
        self.processors: list[Callable[[Any], Any] | None] = [
            col.type.dialect_impl(dialect).result_processor(dialect, None)
            for col in stmt.selected_columns
        ]

    def params(self, given: Mapping[str, Any]) -> list[Any]:
        return [given[n] if n in given else self._defaults[n] for n in self.names]


class PreparedQuery:
    """A SELECT compiled once per dialect and run on the raw driver connection."""

    def __init__(self, stmt: Select[Any]) -> None:
        self.stmt = stmt
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        c = self._by_dialect.get(dialect.name)
        if c is None:
            if dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import asyncpg as pg

                c = _Compiled(self.stmt, pg.dialect(paramstyle="numeric_dollar"))
            else:
                c = _Compiled(self.stmt, dialect)
            self._by_dialect[dialect.name] = c
        return c

    async def fetch(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Rows as tuples in the statement's column order, types converted."""
        c = self._compiled(conn.dialect)
        raw = (await conn.get_raw_connection()).driver_connection
        values = c.params(params)
        if conn.dialect.name == "postgresql":
            rows: Sequence[Sequence[Any]] = await raw.fetch(c.sql, *values)  # type: ignore[union-attr]
        else:
            rows = await raw.execute_fetchall(c.sql, values)  # type: ignore[union-attr]
        procs = [(i, p) for i, p in enumerate(c.processors) if p is not None]
        if not procs:
            return [tuple(r) for r in rows]
        out: list[Sequence[Any]] = []
        for r in rows:
            t = list(r)
            for i, p in procs:
                t[i] = p(t[i])
            out.append(t)
        return out
