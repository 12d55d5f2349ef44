"""The audit log: append-only, one row per access to or change of personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from console.store.models import AuditEntry

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    person_ids: list[int] | None = None,
    contact_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one row per person touched (one row with no person when none was)."""
    rows = [
        {
            "at": at,
            "actor": actor,
            "action": action,
            "person_id": pid,
            "contact_id": contact_id,
            "detail": detail,
        }
        for pid in (person_ids or [None])  # type: ignore[list-item]
    ]
    await session.execute(insert(AuditEntry), rows)


async def entries(session: AsyncSession, *, action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return list((await session.scalars(stmt)).all())
