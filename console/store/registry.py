"""The insured registry: lookups that return plain records, and writes.

Every lookup is one SQL statement: the people it finds joined with their
policies, phones and representative links, folded into ``InsuredRecord``s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Select, and_, bindparam, func, literal, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSessionType

from console.identity.model import InsuredRecord, Person, Phone, Policy, Sex
from console.identity.names import fold_name
from console.store.fastpath import PreparedQuery
from console.store.models import InsuredPerson, PhoneNumber, Representative
from console.store.models import Policy as PolicyRow

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date, datetime

    from sqlalchemy import Table
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
    from sqlalchemy.sql.selectable import CTE

    Executor = AsyncSession | AsyncConnection

P = cast("Table", InsuredPerson.__table__)
POL = cast("Table", PolicyRow.__table__)
PH = cast("Table", PhoneNumber.__table__)
REP = cast("Table", Representative.__table__)

_SEX = {s.value: s for s in Sex}
_REPRESENTS = REP.alias("represents")
_REPRESENTED_BY = REP.alias("represented_by")


def _records_query(ids: CTE) -> Select[Any]:
    """People named by ``ids`` (columns ``id``, ``rel``), with everything attached."""
    return (
        select(
            ids.c.rel,
            P.c.id,
            P.c.surname,
            P.c.name,
            P.c.patronymic,
            P.c.birth_date,
            P.c.sex,
            POL.c.number,
            POL.c.program,
            POL.c.purchased_on,
            POL.c.valid_from,
            POL.c.valid_to,
            POL.c.consultation_quota,
            PH.c.e164,
            PH.c.verified,
            _REPRESENTS.c.represented_id,
            _REPRESENTED_BY.c.representative_id,
        )
        .select_from(
            ids.join(P, P.c.id == ids.c.id)
            .outerjoin(POL, POL.c.person_id == P.c.id)
            .outerjoin(PH, PH.c.person_id == P.c.id)
            .outerjoin(_REPRESENTS, _REPRESENTS.c.representative_id == P.c.id)
            .outerjoin(_REPRESENTED_BY, _REPRESENTED_BY.c.represented_id == P.c.id)
        )
        .order_by(ids.c.rel, P.c.id)
    )


def _fold_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[int, InsuredRecord]]:
    """Fold the joined rows into one record per person, keeping the query's order.

    Columns by position, in ``_records_query``'s order.
    """
    people: dict[int, list[Any]] = {}
    for (rel, pid, surname, name, patronymic, birth, sex, number, program, purchased,
         vfrom, vto, quota, e164, verified, represents, represented_by) in rows:  # fmt: skip
        acc = people.get(pid)
        if acc is None:
            person = Person(pid, surname, name, patronymic, birth, _SEX[sex])
            acc = people[pid] = [rel, person, {}, {}, {}, {}]
        if number is not None and number not in acc[2]:
            acc[2][number] = Policy(number, program, purchased, vfrom, vto, quota)
        if e164 is not None and e164 not in acc[3]:
            acc[3][e164] = Phone(e164, bool(verified))
        if represents is not None:
            acc[4][represents] = None
        if represented_by is not None:
            acc[5][represented_by] = None
    return [
        (rel, InsuredRecord(person, tuple(pol.values()), tuple(ph.values()), tuple(a), tuple(b)))
        for rel, person, pol, ph, a, b in people.values()
    ]


def _phone_ids() -> CTE:
    owners = (
        select(PH.c.person_id.label("id"), literal(0).label("rel"))
        .where(PH.c.e164 == bindparam("e164"))
        .cte("owners")
    )
    represented = select(REP.c.represented_id.label("id"), literal(1).label("rel")).where(
        REP.c.representative_id.in_(select(owners.c.id))
    )
    both = union_all(select(owners.c.id, owners.c.rel), represented).subquery("both_")
    return select(both.c.id, func.min(both.c.rel).label("rel")).group_by(both.c.id).cte("ids")


def _ids_where(*cond: Any) -> CTE:
    return select(P.c.id.label("id"), literal(0).label("rel")).where(*cond).cte("ids")


# Built once: a look-up is then one compiled statement and its parameters.
BY_PHONE = PreparedQuery(_records_query(_phone_ids()))
BY_POLICY = PreparedQuery(
    _records_query(
        select(POL.c.person_id.label("id"), literal(0).label("rel"))
        .where(POL.c.number == bindparam("number"))
        .cte("ids")
    )
)
_NAME_COND = (
    P.c.surname_key == bindparam("surname"),
    P.c.birth_date == bindparam("birth_date"),
    P.c.name_key == bindparam("name"),
)
BY_FULL_NAME = PreparedQuery(
    _records_query(_ids_where(and_(*_NAME_COND, P.c.patronymic_key == bindparam("patronymic"))))
)
BY_NAME = PreparedQuery(_records_query(_ids_where(and_(*_NAME_COND))))
BY_IDS = _records_query(_ids_where(P.c.id.in_(bindparam("ids", expanding=True))))


async def _conn(db: Executor) -> AsyncConnection:
    return await db.connection() if isinstance(db, AsyncSessionType) else db


async def find_by_phone(db: Executor, e164: str) -> tuple[list[InsuredRecord], list[InsuredRecord]]:
    """People whose phone this is, and the people they represent."""
    folded = _fold_rows(await BY_PHONE.fetch(await _conn(db), {"e164": e164}))
    return [r for rel, r in folded if rel == 0], [r for rel, r in folded if rel == 1]


async def find_by_policy(db: Executor, number: str) -> InsuredRecord | None:
    number = normalize_policy_number(number)
    folded = _fold_rows(await BY_POLICY.fetch(await _conn(db), {"number": number}))
    return folded[0][1] if folded else None


async def find_by_name(
    db: Executor, surname: str, name: str, patronymic: str | None, birth_date: date
) -> list[InsuredRecord]:
    """People with this name and birth date; ``patronymic=None`` matches any."""
    params = {"surname": fold_name(surname), "name": fold_name(name), "birth_date": birth_date}
    conn = await _conn(db)
    if patronymic is None:
        rows = await BY_NAME.fetch(conn, params)
    else:
        rows = await BY_FULL_NAME.fetch(conn, {**params, "patronymic": fold_name(patronymic)})
    return [r for _, r in _fold_rows(rows)]


async def load_records(db: Executor, person_ids: Sequence[int]) -> list[InsuredRecord]:
    return [r for _, r in _fold_rows(await db.execute(BY_IDS, {"ids": list(person_ids)}))]


def normalize_policy_number(number: str) -> str:
    """Policy numbers are compared without spaces and in upper case."""
    return "".join(number.split()).upper()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def add_phone(
    session: AsyncSession, person_id: int, e164: str, *, verified: bool, now: datetime
) -> None:
    """Register a phone for a person; an existing one is marked verified if asked."""
    stmt = dialect_insert(session, PH).values(
        person_id=person_id, e164=e164, verified=verified, added_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[PH.c.person_id, PH.c.e164],
        set_={"verified": or_(stmt.excluded.verified, PH.c.verified)},
    )
    await session.execute(stmt)


async def add_new_phone(
    session: AsyncSession, person_id: int, e164: str, *, verified: bool, now: datetime
) -> bool:
    """Register a phone for a person unless it is already theirs; True if it was added.

    One statement, so two consoles registering the same phone at once add it once.
    """
    stmt = (
        dialect_insert(session, PH)
        .values(person_id=person_id, e164=e164, verified=verified, added_at=now)
        .on_conflict_do_nothing(index_elements=[PH.c.person_id, PH.c.e164])
    )
    result = await session.execute(stmt)
    return bool(cast("Any", result).rowcount)
