"""The insured registry: lookups that return plain records, and writes.

Every lookup is one SQL statement: the people it finds joined with their
policies, phones and representative links, folded into ``InsuredRecord``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, literal, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from console.identity.model import InsuredRecord, Person, Phone, Policy, Sex
from console.identity.names import fold_name
from console.store.models import InsuredPerson, PhoneNumber, Representative
from console.store.models import Policy as PolicyRow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.sql.selectable import CTE

P = InsuredPerson.__table__
POL = PolicyRow.__table__
PH = PhoneNumber.__table__
REP = Representative.__table__

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


def _fold_rows(rows: Iterable[Any]) -> list[tuple[int, InsuredRecord]]:
    """Fold the joined rows into one record per person, keeping the query's order."""
    people: dict[int, dict[str, Any]] = {}
    for r in rows:
        acc = people.get(r.id)
        if acc is None:
            acc = people[r.id] = {
                "rel": r.rel,
                "person": Person(
                    id=r.id,
                    surname=r.surname,
                    name=r.name,
                    patronymic=r.patronymic,
                    birth_date=r.birth_date,
                    sex=Sex(r.sex),
                ),
                "policies": {},
                "phones": {},
                "represents": {},
                "represented_by": {},
            }
        if r.number is not None and r.number not in acc["policies"]:
            acc["policies"][r.number] = Policy(
                number=r.number,
                program=r.program,
                purchased_on=r.purchased_on,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                consultation_quota=r.consultation_quota,
            )
        if r.e164 is not None:
            acc["phones"].setdefault(r.e164, Phone(r.e164, bool(r.verified)))
        if r.represented_id is not None:
            acc["represents"][r.represented_id] = None
        if r.representative_id is not None:
            acc["represented_by"][r.representative_id] = None
    return [
        (
            a["rel"],
            InsuredRecord(
                person=a["person"],
                policies=tuple(a["policies"].values()),
                phones=tuple(a["phones"].values()),
                represents=tuple(a["represents"]),
                represented_by=tuple(a["represented_by"]),
            ),
        )
        for a in people.values()
    ]


def phone_ids_query(e164: str) -> CTE:
    owners = select(PH.c.person_id.label("id"), literal(0).label("rel")).where(PH.c.e164 == e164)
    owners_cte = owners.cte("owners")
    represented = select(REP.c.represented_id.label("id"), literal(1).label("rel")).where(
        REP.c.representative_id.in_(select(owners_cte.c.id))
    )
    both = union_all(select(owners_cte.c.id, owners_cte.c.rel), represented).subquery("both_")
    return (
        select(both.c.id, func.min(both.c.rel).label("rel")).group_by(both.c.id).cte("ids")
    )


async def find_by_phone(
    session: AsyncSession, e164: str
) -> tuple[list[InsuredRecord], list[InsuredRecord]]:
    """People whose phone this is, and the people they represent."""
    result = await session.execute(_records_query(phone_ids_query(e164)))
    folded = _fold_rows(result)
    return [r for rel, r in folded if rel == 0], [r for rel, r in folded if rel == 1]


async def find_by_policy(session: AsyncSession, number: str) -> InsuredRecord | None:
    number = normalize_policy_number(number)
    ids = select(POL.c.person_id.label("id"), literal(0).label("rel")).where(
        POL.c.number == number
    )
    result = await session.execute(_records_query(ids.cte("ids")))
    folded = _fold_rows(result)
    return folded[0][1] if folded else None


async def find_by_name(
    session: AsyncSession, surname: str, name: str, patronymic: str | None, birth_date: date
) -> list[InsuredRecord]:
    """People with this name and birth date; ``patronymic=None`` matches any."""
    cond = [
        P.c.surname_key == fold_name(surname),
        P.c.birth_date == birth_date,
        P.c.name_key == fold_name(name),
    ]
    if patronymic is not None:
        cond.append(P.c.patronymic_key == fold_name(patronymic))
    ids = select(P.c.id.label("id"), literal(0).label("rel")).where(and_(*cond))
    result = await session.execute(_records_query(ids.cte("ids")))
    return [r for _, r in _fold_rows(result)]


async def load_records(session: AsyncSession, person_ids: Sequence[int]) -> list[InsuredRecord]:
    ids = select(P.c.id.label("id"), literal(0).label("rel")).where(P.c.id.in_(person_ids))
    result = await session.execute(_records_query(ids.cte("ids")))
    return [r for _, r in _fold_rows(result)]


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
