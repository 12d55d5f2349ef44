"""Staff accounts: argon2 password hashes, roles, duty flags."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from console.store.models import Staff

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8


class Role(StrEnum):
    OPERATOR = "operator"
    DOCTOR = "doctor"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class StaffError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    login: str
    full_name: str
    role: Role
    specialty: str | None
    on_duty: bool
    active: bool


def member_of(row: Staff) -> StaffMember:
    return StaffMember(
        id=row.id,
        login=row.login,
        full_name=row.full_name,
        role=Role(row.role),
        specialty=row.specialty,
        on_duty=row.on_duty,
        active=row.active,
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def add_staff(
    session: AsyncSession,
    *,
    login: str,
    password: str,
    role: Role,
    now: datetime,
    full_name: str = "",
    specialty: str | None = None,
    on_duty: bool = False,
    password_hash: str | None = None,
) -> StaffMember:
    """Create an account. Doctors need a specialty; only doctors can be on duty."""
    login = login.strip()
    if not login:
        raise StaffError("login must not be empty")
    if password_hash is None and len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if role is Role.DOCTOR and not specialty:
        raise StaffError("a doctor needs a specialty (--specialty)")
    if role is not Role.DOCTOR and (specialty or on_duty):
        raise StaffError("only doctors have a specialty and duty shifts")
    row = Staff(
        login=login,
        full_name=full_name,
        password_hash=password_hash or hash_password(password),
        role=role.value,
        specialty=specialty,
        on_duty=on_duty,
        active=True,
        created_at=now,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise StaffError(f"login {login!r} is taken") from exc
    return member_of(row)


async def credentials(session: AsyncSession, login: str) -> tuple[StaffMember, str] | None:
    """The active account and its password hash, for :func:`check_password`."""
    row = await session.scalar(select(Staff).where(Staff.login == login.strip()))
    if row is None or not row.active:
        return None
    return member_of(row), row.password_hash


def check_password(password_hash: str | None, password: str) -> bool:
    """argon2 verification (about 0.1 s of CPU: call it off the event loop).

    With no hash (unknown login) it still spends the same time, so that the
    answer's timing does not tell which logins exist.
    """
    if password_hash is None:
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def authenticate(session: AsyncSession, login: str, password: str) -> StaffMember | None:
    """The active account for these credentials, or None (verifies on this thread)."""
    found = await credentials(session, login)
    if not check_password(found[1] if found else None, password):
        return None
    return found[0] if found else None


async def by_login(session: AsyncSession, login: str) -> StaffMember | None:
    row = await session.scalar(select(Staff).where(Staff.login == login))
    return member_of(row) if row else None


async def by_id(session: AsyncSession, staff_id: int) -> StaffMember | None:
    row = await session.get(Staff, staff_id)
    return member_of(row) if row else None


async def all_staff(session: AsyncSession) -> list[StaffMember]:
    return [member_of(r) for r in await session.scalars(select(Staff).order_by(Staff.login))]
