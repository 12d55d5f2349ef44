"""Consent states and SMS login codes, persisted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update

from console.identity.model import Consent, ConsentKind, ConsentState
from console.identity.sms import SmsCode
from console.store.models import ConsentRecord, SmsCodeRecord

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def get_consents(session: AsyncSession, person_id: int) -> dict[ConsentKind, Consent]:
    """Both consents of a person; one never sent is ``NOT_SENT``."""
    found = {
        ConsentKind(r.kind): Consent(
            kind=ConsentKind(r.kind),
            state=ConsentState(r.state),
            text_version=r.text_version,
            sent_at=r.sent_at,
            confirmed_at=r.confirmed_at,
            revoked_at=r.revoked_at,
        )
        for r in await session.scalars(
            select(ConsentRecord).where(ConsentRecord.person_id == person_id)
        )
    }
    return {kind: found.get(kind, Consent(kind=kind)) for kind in ConsentKind}


async def save_consent(session: AsyncSession, person_id: int, consent: Consent) -> None:
    row = await session.scalar(
        select(ConsentRecord).where(
            ConsentRecord.person_id == person_id, ConsentRecord.kind == consent.kind.value
        )
    )
    if row is None:
        row = ConsentRecord(person_id=person_id, kind=consent.kind.value)
        session.add(row)
    row.state = consent.state.value
    row.text_version = consent.text_version
    row.sent_at = consent.sent_at
    row.confirmed_at = consent.confirmed_at
    row.revoked_at = consent.revoked_at
    await session.flush()


async def last_sms_code(session: AsyncSession, phone: str) -> tuple[int, SmsCode] | None:
    """The newest code issued to this phone, with its row id."""
    row = await session.scalar(
        select(SmsCodeRecord)
        .where(SmsCodeRecord.phone == phone)
        .order_by(SmsCodeRecord.issued_at.desc(), SmsCodeRecord.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return row.id, SmsCode(
        phone=row.phone,
        code_hash=row.code_hash,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        attempts=row.attempts,
        used=row.used,
    )


async def add_sms_code(session: AsyncSession, code: SmsCode) -> int:
    row = SmsCodeRecord(
        phone=code.phone,
        code_hash=code.code_hash,
        issued_at=code.issued_at,
        expires_at=code.expires_at,
        attempts=code.attempts,
        used=code.used,
    )
    session.add(row)
    await session.flush()
    return row.id


async def update_sms_code(session: AsyncSession, row_id: int, code: SmsCode) -> None:
    await session.execute(
        update(SmsCodeRecord)
        .where(SmsCodeRecord.id == row_id)
        .values(attempts=code.attempts, used=code.used)
    )
