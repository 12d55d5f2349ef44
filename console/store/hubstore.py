"""What the hub keeps: contacts, chat, attachments, sessions, the engine's records.

The routing engine's state is stored incrementally: each open contact's and
each staff member's engine record as JSON beside the row it belongs to, plus
the arrival counter. The hub writes the records a command changed, in the same
transaction as the command's other writes, before it announces anything; a
restart rebuilds the engine from them (``load_engine_records``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, null, select, update

from console.store.models import (
    AttachmentRow,
    ChatMessageRow,
    ContactEvent,
    ContactRow,
    EngineMeta,
    InsuredPerson,
    SessionRow,
    Staff,
    StaffPresence,
)
from console.store.registry import dialect_insert

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlalchemy.ext.asyncio import AsyncSession


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------ sessions


@dataclass(frozen=True, slots=True)
class SessionInfo:
    kind: str
    staff_id: int | None
    phone: str | None
    expires_at: datetime
    last_seen_at: datetime


async def add_session(
    s: AsyncSession,
    token: str,
    *,
    kind: str,
    now: datetime,
    expires_at: datetime,
    staff_id: int | None = None,
    phone: str | None = None,
) -> None:
    s.add(
        SessionRow(
            token_hash=token_hash(token),
            kind=kind,
            staff_id=staff_id,
            phone=phone,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
        )
    )
    await s.flush()


async def get_session(s: AsyncSession, token: str) -> SessionInfo | None:
    row = await s.get(SessionRow, token_hash(token))
    if row is None or row.revoked:
        return None
    return SessionInfo(row.kind, row.staff_id, row.phone, row.expires_at, row.last_seen_at)


async def touch_session(s: AsyncSession, token: str, now: datetime) -> None:
    await s.execute(
        update(SessionRow)
        .where(SessionRow.token_hash == token_hash(token))
        .values(last_seen_at=now)
    )


async def revoke_session(s: AsyncSession, token: str) -> None:
    await s.execute(
        update(SessionRow).where(SessionRow.token_hash == token_hash(token)).values(revoked=True)
    )


# ------------------------------------------------------------------ contacts


async def add_contact(
    s: AsyncSession,
    *,
    contact_id: str,
    channel: str,
    kind: str,
    caller_phone: str | None,
    person_id: int | None,
    arrived_at: datetime,
) -> None:
    s.add(
        ContactRow(
            id=contact_id,
            channel=channel,
            kind=kind,
            caller_phone=caller_phone,
            person_id=person_id,
            arrived_at=arrived_at,
            reason="",
            comment="",
        )
    )
    await s.flush()


async def get_contact(s: AsyncSession, contact_id: str) -> ContactRow | None:
    return await s.get(ContactRow, contact_id)


async def update_contact(s: AsyncSession, contact_id: str, **values: Any) -> None:
    await s.execute(update(ContactRow).where(ContactRow.id == contact_id).values(**values))


async def open_contact_of_phone(s: AsyncSession, phone: str) -> ContactRow | None:
    """The contact this phone still has open (at most one), if any."""
    return await s.scalar(
        select(ContactRow)
        .where(ContactRow.caller_phone == phone, ContactRow.closed_at.is_(None))
        .order_by(ContactRow.arrived_at.desc())
        .limit(1)
    )


async def open_legs(s: AsyncSession) -> dict[str, str]:
    """The current leg of every open contact that has one."""
    rows = await s.execute(
        select(ContactRow.id, ContactRow.leg).where(
            ContactRow.closed_at.is_(None),
            ContactRow.engine.is_not(None),
            ContactRow.leg.is_not(None),
        )
    )
    return {r.id: r.leg for r in rows}


async def contacts_by_ids(s: AsyncSession, ids: Iterable[str]) -> dict[str, ContactRow]:
    ids = list(ids)
    if not ids:
        return {}
    rows = await s.scalars(select(ContactRow).where(ContactRow.id.in_(ids)))
    return {r.id: r for r in rows}


async def person_names_of_contacts(
    s: AsyncSession, ids: Iterable[str]
) -> dict[str, tuple[str, str, str] | None]:
    """(surname, name, patronymic) of the person each contact is about; None if nobody yet.

    One statement for all of ``ids``; a contact that is not stored is left out.
    """
    ids = list(ids)
    if not ids:
        return {}
    rows = await s.execute(
        select(ContactRow.id, InsuredPerson.surname, InsuredPerson.name, InsuredPerson.patronymic)
        .outerjoin(InsuredPerson, InsuredPerson.id == ContactRow.person_id)
        .where(ContactRow.id.in_(ids))
    )
    return {
        r.id: (r.surname, r.name, r.patronymic or "") if r.surname is not None else None
        for r in rows
    }


# ------------------------------------------------------------------ chat, files


async def add_chat(
    s: AsyncSession,
    *,
    contact_id: str,
    at: datetime,
    author: str,
    text: str,
    staff_id: int | None = None,
    attachment_id: str | None = None,
) -> ChatMessageRow:
    row = ChatMessageRow(
        contact_id=contact_id,
        at=at,
        author=author,
        text=text,
        staff_id=staff_id,
        attachment_id=attachment_id,
    )
    s.add(row)
    await s.flush()
    return row


async def chat_history(s: AsyncSession, contact_id: str) -> list[ChatMessageRow]:
    rows = await s.scalars(
        select(ChatMessageRow)
        .where(ChatMessageRow.contact_id == contact_id)
        .order_by(ChatMessageRow.id)
    )
    return list(rows)


async def add_attachment(s: AsyncSession, row: AttachmentRow) -> None:
    s.add(row)
    await s.flush()


async def get_attachment(s: AsyncSession, attachment_id: str) -> AttachmentRow | None:
    return await s.get(AttachmentRow, attachment_id)


async def attachments_by_ids(s: AsyncSession, ids: Iterable[str]) -> dict[str, AttachmentRow]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {
        r.id: r for r in await s.scalars(select(AttachmentRow).where(AttachmentRow.id.in_(ids)))
    }


async def attachment_in_phone_chat(s: AsyncSession, attachment_id: str, phone: str) -> bool:
    """Whether a file was posted into the chat of one of this phone's contacts."""
    found = await s.scalar(
        select(ChatMessageRow.id)
        .join(ContactRow, ContactRow.id == ChatMessageRow.contact_id)
        .where(ChatMessageRow.attachment_id == attachment_id, ContactRow.caller_phone == phone)
        .limit(1)
    )
    return found is not None


async def staff_names(s: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(ids))
    if not ids:
        return {}
    rows = await s.execute(select(Staff.id, Staff.full_name, Staff.login).where(Staff.id.in_(ids)))
    return {r.id: r.full_name or r.login for r in rows}


# ------------------------------------------------------------------ engine records


@dataclass(frozen=True, slots=True)
class EngineRecords:
    contacts: dict[str, dict[str, Any]]
    staff: dict[str, dict[str, Any]]
    seq: int


async def load_engine_records(s: AsyncSession) -> EngineRecords:
    contacts = {
        r.id: r.engine
        for r in await s.execute(
            select(ContactRow.id, ContactRow.engine).where(ContactRow.engine.is_not(None))
        )
        if r.engine is not None  # a JSON null written before 0003 (SQL NULL since)
    }
    staff = {
        str(r.staff_id): r.engine
        for r in await s.execute(select(StaffPresence.staff_id, StaffPresence.engine))
    }
    seq = await s.scalar(select(EngineMeta.seq).where(EngineMeta.id == 1)) or 0
    return EngineRecords(contacts, staff, seq)


async def save_engine_records(
    s: AsyncSession,
    *,
    contacts: dict[str, dict[str, Any] | None],
    staff: dict[str, dict[str, Any]],
    seq: int,
) -> None:
    """Write changed engine records; ``None`` for a contact the engine forgot (closed),
    stored as SQL NULL (a JSON column stores Python None as JSON ``null``, which
    ``IS NULL`` does not find)."""
    for contact_id, record in contacts.items():
        value = null() if record is None else record
        await s.execute(update(ContactRow).where(ContactRow.id == contact_id).values(engine=value))
    for staff_id, record in staff.items():
        stmt = dialect_insert(s, StaffPresence.__table__).values(
            staff_id=int(staff_id), engine=record
        )
        await s.execute(
            stmt.on_conflict_do_update(
                index_elements=[StaffPresence.staff_id], set_={"engine": stmt.excluded.engine}
            )
        )
    stmt = dialect_insert(s, EngineMeta.__table__).values(id=1, seq=seq)
    await s.execute(
        stmt.on_conflict_do_update(index_elements=[EngineMeta.id], set_={"seq": stmt.excluded.seq})
    )


async def add_events(s: AsyncSession, events: Sequence[dict[str, Any]]) -> None:
    if events:
        await s.execute(insert(ContactEvent), list(events))


async def forget_staff_presence(s: AsyncSession) -> None:
    await s.execute(delete(StaffPresence))
