"""Bulk upsert of the insurer's sales export into the registry.

Rows are upserted by policy number, in batches, each batch in a few set-based
statements. A row whose data is already stored changes nothing (not even
``updated_at``), so importing the same file twice leaves the database as it was.
Representative links are resolved after all rows, since a child's row may come
before the parent's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import bindparam, func, insert, select, text, update

from console.identity.names import fold_name
from console.store.models import InsuredPerson, PhoneNumber, Representative
from console.store.models import Policy as PolicyRow
from console.store.registry import dialect_insert

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from sqlalchemy import Table
    from sqlalchemy.engine import Dialect
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    from console.identity.model import InsuredImport

P = cast("Table", InsuredPerson.__table__)
POL = cast("Table", PolicyRow.__table__)
PH = cast("Table", PhoneNumber.__table__)
REP = cast("Table", Representative.__table__)

# SQLite allows 32766 bound parameters per statement; PostgreSQL 32767.
IN_CHUNK = 5000


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    phones_added: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.phones_added += other.phones_added


@dataclass
class LinkResult:
    linked: int = 0
    existing: int = 0
    # (policy number of the represented person, the representative policy not found)
    missing: list[tuple[str, str]] = field(default_factory=list)


def _chunks(seq: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


# Names repeat a great deal (a registry has a few thousand distinct ones).
_fold = lru_cache(maxsize=1 << 16)(fold_name)


def _person_values(r: InsuredImport) -> dict[str, Any]:
    return {
        "surname": r.surname,
        "name": r.name,
        "patronymic": r.patronymic,
        "birth_date": r.birth_date,
        "sex": r.sex.value,
        "surname_key": _fold(r.surname),
        "name_key": _fold(r.name),
        "patronymic_key": _fold(r.patronymic),
    }


def _policy_values(r: InsuredImport) -> dict[str, Any]:
    p = r.policy
    return {
        "number": p.number,
        "program": p.program,
        "purchased_on": p.purchased_on,
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
    }


async def _allocate_ids(conn: AsyncConnection, table: Table, n: int) -> list[int]:
    """Primary keys for ``n`` new rows, so that inserts need no RETURNING.

    SQLite cannot return ids of a multi-row insert in parameter order, which
    makes SQLAlchemy fall back to one statement per row; numbering the rows
    ourselves keeps the insert batched. On SQLite the write transaction holds
    the database (one writer), on PostgreSQL the sequence hands out the ids.
    """
    if conn.dialect.name == "postgresql":
        res = await conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": n},
        )
        return [r[0] for r in res]
    start = int(await conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    return list(range(start, start + n))


@lru_cache(maxsize=32)
def _sqlite_insert(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[str], list[Any]]:
    """The INSERT SQLAlchemy would send, its parameter order and bind processors."""
    compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
    order = list(compiled.positiontup or ())
    procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in order]
    return str(compiled), order, procs


async def _insert_rows(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    SQLAlchemy's executemany spends ~20 us a row building parameters, as much
    as the database spends storing it. The SQL and the value conversions still
    come from SQLAlchemy (compiled statement, the column types' bind processors).
    """
    if not rows:
        return
    columns = tuple(rows[0])
    raw = (await conn.get_raw_connection()).driver_connection
    if conn.dialect.name == "postgresql":
        await raw.copy_records_to_table(  # type: ignore[union-attr]
            table.name, records=[tuple(r[c] for c in columns) for r in rows], columns=columns
        )
        return
    sql, order, procs = _sqlite_insert(table, columns, conn.dialect)
    # one conversion per distinct value: dates and the batch's timestamp repeat a lot
    converters = [lru_cache(maxsize=4096)(p) if p else None for p in procs]
    values = [
        tuple(f(r[c]) if f and r[c] is not None else r[c]
              for c, f in zip(order, converters, strict=True))
        for r in rows
    ]  # fmt: skip
    await raw.executemany(sql, values)  # type: ignore[union-attr]


_PERSON_FIELDS = ("surname", "name", "patronymic", "birth_date", "sex")
_POLICY_FIELDS = ("program", "purchased_on", "valid_from", "valid_to")


async def upsert_batch(
    session: AsyncSession, rows: Sequence[InsuredImport], now: datetime
) -> UpsertCounts:
    """Upsert one batch of rows by policy number; the last row wins within a batch."""
    counts = UpsertCounts()
    # Core on the session's connection: the ORM's bulk path costs more than the SQL here.
    conn = await session.connection()
    by_number: dict[str, InsuredImport] = {}
    for r in rows:
        by_number[r.policy.number] = r
    numbers = list(by_number)

    existing: dict[str, Any] = {}
    for chunk in _chunks(numbers):
        res = await conn.execute(
            select(
                POL.c.number,
                POL.c.person_id,
                *(POL.c[f] for f in _POLICY_FIELDS),
                *(P.c[f] for f in _PERSON_FIELDS),
            )
            .join(P, P.c.id == POL.c.person_id)
            .where(POL.c.number.in_(chunk))
        )
        existing.update({row.number: row for row in res})

    new = [by_number[n] for n in numbers if n not in existing]
    person_updates: list[dict[str, Any]] = []
    policy_updates: list[dict[str, Any]] = []
    phone_owner: list[tuple[int, str]] = []
    for n, old in existing.items():
        r = by_number[n]
        pv = _person_values(r)
        polv = _policy_values(r)
        person_changed = any(getattr(old, f) != pv[f] for f in _PERSON_FIELDS)
        policy_changed = any(getattr(old, f) != polv[f] for f in _POLICY_FIELDS)
        if person_changed:
            person_updates.append({"pid": old.person_id, **pv, "updated_at": now})
        if policy_changed:
            policy_updates.append({"pnumber": n, **{f: polv[f] for f in _POLICY_FIELDS}})
        if person_changed or policy_changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        if r.phone:
            phone_owner.append((old.person_id, r.phone))

    if new:
        ids = await _allocate_ids(conn, P, len(new))
        await _insert_rows(
            conn,
            P,
            [
                {"id": pid, **_person_values(r), "created_at": now, "updated_at": now}
                for r, pid in zip(new, ids, strict=True)
            ],
        )
        await _insert_rows(
            conn,
            POL,
            [{**_policy_values(r), "person_id": pid} for r, pid in zip(new, ids, strict=True)],
        )
        new_phones = [
            {"person_id": pid, "e164": r.phone, "verified": False, "added_at": now}
            for r, pid in zip(new, ids, strict=True)
            if r.phone
        ]
        await _insert_rows(conn, PH, new_phones)
        counts.inserted += len(new)
        counts.phones_added += len(new_phones)

    if person_updates:
        await conn.execute(
            update(P).where(P.c.id == bindparam("pid")),
            person_updates,
        )
    if policy_updates:
        await conn.execute(
            update(POL).where(POL.c.number == bindparam("pnumber")),
            policy_updates,
        )
    if phone_owner:
        stmt = dialect_insert(session, PH).on_conflict_do_nothing(
            index_elements=[PH.c.person_id, PH.c.e164]
        )
        res = await conn.execute(
            stmt,
            [
                {"person_id": pid, "e164": e164, "verified": False, "added_at": now}
                for pid, e164 in phone_owner
            ],
        )
        counts.phones_added += max(res.rowcount or 0, 0)
    return counts


async def person_ids_by_policy(session: AsyncSession, numbers: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(numbers))):
        res = await session.execute(
            select(POL.c.number, POL.c.person_id).where(POL.c.number.in_(chunk))
        )
        out.update({row.number: row.person_id for row in res})
    return out


async def link_representatives(
    session: AsyncSession, pairs: Sequence[tuple[str, str]]
) -> LinkResult:
    """Link (represented policy, representative policy) pairs; report unknown policies."""
    result = LinkResult()
    if not pairs:
        return result
    ids = await person_ids_by_policy(session, [n for pair in pairs for n in pair])
    wanted: dict[tuple[int, int], None] = {}
    for represented, representative in pairs:
        if representative not in ids or represented not in ids:
            result.missing.append((represented, representative))
            continue
        if ids[representative] != ids[represented]:
            wanted[(ids[representative], ids[represented])] = None
    have: set[tuple[int, int]] = set()
    keys = list(wanted)
    for chunk in _chunks(keys):
        res = await session.execute(
            select(REP.c.representative_id, REP.c.represented_id).where(
                REP.c.represented_id.in_([b for _, b in chunk])
            )
        )
        have.update((row.representative_id, row.represented_id) for row in res)
    to_add = [k for k in keys if k not in have]
    result.existing = len(keys) - len(to_add)
    if to_add:
        await session.execute(
            insert(REP), [{"representative_id": a, "represented_id": b} for a, b in to_add]
        )
    result.linked = len(to_add)
    return result


async def refresh_statistics(session: AsyncSession) -> None:
    """Let the planner see a bulk load at once instead of after autovacuum."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await conn.execute(text("ANALYZE insured_persons, policies, phones, representatives"))
    else:
        await conn.execute(text("PRAGMA optimize"))
