"""The doctors' signed conclusions, and what an insured person's medical card holds.

A conclusion is signed once per version and never changed (migration 0005
refuses an UPDATE): :func:`sign` adds the next version of a contact's
conclusion; the latest version is the one that counts, the earlier ones stay.
Callers get frozen :class:`Conclusion` values, never ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from console.store.models import AttachmentRow, ChatMessageRow, ConclusionRow, ContactRow

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class Conclusion:
    id: int
    contact_id: str
    person_id: int
    version: int
    doctor_id: int
    doctor_name: str
    doctor_specialty: str | None
    signed_at: datetime
    started_at: datetime | None
    complaints: str
    history: str
    recommendations: str
    in_person_visit: bool
    no_conclusion: bool


@dataclass(frozen=True, slots=True)
class CardFile:
    """A file the insured (or their representative) sent into a contact about them."""

    attachment_id: str
    name: str
    mime: str
    at: datetime
    contact_id: str


def _value(row: ConclusionRow) -> Conclusion:
    return Conclusion(
        id=row.id,
        contact_id=row.contact_id,
        person_id=row.person_id,
        version=row.version,
        doctor_id=row.doctor_id,
        doctor_name=row.doctor_name,
        doctor_specialty=row.doctor_specialty,
        signed_at=row.signed_at,
        started_at=row.started_at,
        complaints=row.complaints,
        history=row.history,
        recommendations=row.recommendations,
        in_person_visit=row.in_person_visit,
        no_conclusion=row.no_conclusion,
    )


async def sign(
    s: AsyncSession,
    *,
    contact_id: str,
    person_id: int,
    doctor_id: int,
    doctor_name: str,
    doctor_specialty: str | None,
    signed_at: datetime,
    started_at: datetime | None = None,
    complaints: str = "",
    history: str = "",
    recommendations: str = "",
    in_person_visit: bool = False,
    no_conclusion: bool = False,
) -> Conclusion:
    """Sign the contact's conclusion: its next version (1 for the first).

    Two signings of one contact at once: the second fails on the unique
    (contact, version) and its transaction rolls back.
    """
    last = await s.scalar(
        select(func.max(ConclusionRow.version)).where(ConclusionRow.contact_id == contact_id)
    )
    row = ConclusionRow(
        contact_id=contact_id,
        person_id=person_id,
        version=(last or 0) + 1,
        doctor_id=doctor_id,
        doctor_name=doctor_name,
        doctor_specialty=doctor_specialty,
        signed_at=signed_at,
        started_at=started_at,
        complaints=complaints,
        history=history,
        recommendations=recommendations,
        in_person_visit=in_person_visit,
        no_conclusion=no_conclusion,
    )
    s.add(row)
    await s.flush()
    return _value(row)


async def get(s: AsyncSession, conclusion_id: int) -> Conclusion | None:
    row = await s.get(ConclusionRow, conclusion_id)
    return _value(row) if row is not None else None


async def latest(s: AsyncSession, contact_id: str) -> Conclusion | None:
    """The contact's conclusion as it stands: its latest signed version, or None."""
    row = await s.scalar(
        select(ConclusionRow)
        .where(ConclusionRow.contact_id == contact_id)
        .order_by(ConclusionRow.version.desc())
        .limit(1)
    )
    return _value(row) if row is not None else None


async def versions(s: AsyncSession, contact_id: str) -> list[Conclusion]:
    """Every signed version of the contact's conclusion, the first first."""
    rows = await s.scalars(
        select(ConclusionRow)
        .where(ConclusionRow.contact_id == contact_id)
        .order_by(ConclusionRow.version)
    )
    return [_value(r) for r in rows]


async def of_person(s: AsyncSession, person_id: int) -> list[Conclusion]:
    """The person's conclusions (the latest version of each contact's), newest first."""
    return await _latest(s, ConclusionRow.person_id == person_id)


async def of_phone(s: AsyncSession, phone: str) -> list[Conclusion]:
    """The conclusions of the contacts made from ``phone`` (E.164): the latest version of
    each, newest first. What the patient's page lists for whoever signs in with it."""
    return await _latest(s, ContactRow.caller_phone == phone, join_contacts=True)


async def _latest(
    s: AsyncSession, where: ColumnElement[bool], *, join_contacts: bool = False
) -> list[Conclusion]:
    """The latest version of each contact's conclusion among those ``where`` picks,
    newest first (``join_contacts``: ``where`` may test the contact's columns)."""
    versions = select(ConclusionRow.contact_id, func.max(ConclusionRow.version).label("version"))
    if join_contacts:
        versions = versions.join(ContactRow, ContactRow.id == ConclusionRow.contact_id)
    newest = versions.where(where).group_by(ConclusionRow.contact_id).subquery()
    rows = await s.scalars(
        select(ConclusionRow)
        .join(
            newest,
            (newest.c.contact_id == ConclusionRow.contact_id)
            & (newest.c.version == ConclusionRow.version),
        )
        .order_by(ConclusionRow.signed_at.desc(), ConclusionRow.id.desc())
    )
    return [_value(r) for r in rows]


async def caller_phone(s: AsyncSession, conclusion_id: int) -> str | None:
    """The phone (E.164) the conclusion's contact was made from: its owner on the page."""
    return await s.scalar(
        select(ContactRow.caller_phone)
        .join(ConclusionRow, ConclusionRow.contact_id == ContactRow.id)
        .where(ConclusionRow.id == conclusion_id)
    )


async def card_files(s: AsyncSession, person_id: int, limit: int = 100) -> list[CardFile]:
    """The files the patient's side sent into the chats of contacts about ``person_id``
    (the medical card's documents), newest first, at most ``limit``."""
    rows = await s.execute(
        select(
            AttachmentRow.id,
            AttachmentRow.name,
            AttachmentRow.mime,
            ChatMessageRow.at,
            ChatMessageRow.contact_id,
        )
        .join(ChatMessageRow, ChatMessageRow.attachment_id == AttachmentRow.id)
        .join(ContactRow, ContactRow.id == ChatMessageRow.contact_id)
        .where(ContactRow.person_id == person_id, ChatMessageRow.author == "patient")
        .order_by(ChatMessageRow.at.desc(), ChatMessageRow.id.desc())
        .limit(limit)
    )
    return [CardFile(r.id, r.name, r.mime, r.at, r.contact_id) for r in rows]
