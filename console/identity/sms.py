"""SMS login codes: issue, store hashed, check (003: phone number + SMS code).

A code is 6 digits, lives 5 minutes, allows at most 5 wrong tries (the 5th
wrong try burns it), and a phone gets a new code at most once a minute. Only
``HMAC-SHA256(secret, phone + ":" + code)`` is stored; the code itself is
returned once, to be sent, and never kept.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from console.identity._time import require_aware

if TYPE_CHECKING:
    import random

__all__ = [
    "CODE_LENGTH",
    "CODE_TTL",
    "MAX_ATTEMPTS",
    "RESEND_INTERVAL",
    "SmsCheck",
    "SmsCode",
    "SmsError",
    "SmsFailure",
    "SmsTooSoon",
    "check_code",
    "hash_code",
    "issue_code",
]

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(seconds=60)

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_CODE = re.compile(rf"[0-9]{{{CODE_LENGTH}}}")


class SmsError(Exception):
    """Base of the SMS code errors."""


class SmsTooSoon(SmsError):
    """A new code was asked for less than a minute after the last one."""

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            f"A new code can be sent once a minute; try again in {retry_after_seconds} s."
        )


class SmsFailure(StrEnum):
    """Why a code was not accepted."""

    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    ALREADY_USED = "already_used"
    MALFORMED = "malformed"

    @property
    def message(self) -> str:
        """A short English explanation for the operator or the insured."""
        return _FAILURE_MESSAGES[self]


_FAILURE_MESSAGES: dict[SmsFailure, str] = {
    SmsFailure.WRONG_CODE: "The code is wrong.",
    SmsFailure.EXPIRED: "The code has expired; request a new one.",
    SmsFailure.TOO_MANY_ATTEMPTS: "Too many wrong tries; the code no longer works. "
    "Request a new one.",
    SmsFailure.ALREADY_USED: "The code has already been used; request a new one.",
    SmsFailure.MALFORMED: f"A code is {CODE_LENGTH} digits.",
}


@dataclass(frozen=True)
class SmsCode:
    """One issued code as stored: the phone (E.164), the hash, its life and its use."""

    phone: str
    code_hash: str
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0
    used: bool = False


@dataclass(frozen=True)
class SmsCheck:
    """The outcome of :func:`check_code`.

    ``record`` is the code as it must now be persisted (used, or one more wrong
    try); it is the same object when nothing changed (expired, used, burnt,
    malformed input). ``reason`` is ``None`` when ``ok``.
    """

    ok: bool
    record: SmsCode
    reason: SmsFailure | None
    attempts_left: int

    @property
    def message(self) -> str:
        """A short English sentence describing the outcome."""
        if self.reason is None:
            return "The code is accepted."
        if self.reason == SmsFailure.WRONG_CODE:
            tries = "try" if self.attempts_left == 1 else "tries"
            return f"The code is wrong; {self.attempts_left} {tries} left."
        return self.reason.message


def hash_code(phone: str, code: str, secret: bytes) -> str:
    """``HMAC-SHA256(secret, phone + ":" + code)`` as 64 hex digits."""
    return hmac.new(secret, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def issue_code(
    phone: str,
    now: datetime,
    secret: bytes,
    last: SmsCode | None,
    rng: random.Random | None = None,
) -> tuple[str, SmsCode]:
    """Make a new code for ``phone`` (E.164): returns the code to send and the record to store.

    ``last`` is the newest code issued to this phone, if any; when it was issued
    less than 60 s before ``now``, raises :class:`SmsTooSoon` with the seconds
    to wait. Digits come from ``secrets`` unless a seeded ``rng`` is given (tests).
    """
    require_aware(now)
    if not _E164.fullmatch(phone):
        raise ValueError("SMS codes are issued to a phone number in E.164 form.")
    if not secret:
        raise ValueError("The SMS code secret is empty.")
    if last is not None:
        if last.phone != phone:
            raise ValueError("The last code given belongs to another phone.")
        wait = last.issued_at + RESEND_INTERVAL - now
        if wait > timedelta(0):
            raise SmsTooSoon(math.ceil(wait.total_seconds()))
    space = 10**CODE_LENGTH
    n = secrets.randbelow(space) if rng is None else rng.randrange(space)
    code = f"{n:0{CODE_LENGTH}d}"
    record = SmsCode(
        phone=phone,
        code_hash=hash_code(phone, code, secret),
        issued_at=now,
        expires_at=now + CODE_TTL,
    )
    return code, record


def check_code(record: SmsCode, code: str, now: datetime, secret: bytes) -> SmsCheck:
    """Check ``code`` (spaces allowed) against ``record`` at ``now``.

    Returns an :class:`SmsCheck`; persist its ``record`` whatever the outcome.
    A used, burnt or expired code is refused without counting a try; input that
    is not 6 digits is refused as MALFORMED without counting a try. A wrong code
    counts one try; the 5th wrong try burns the code (TOO_MANY_ATTEMPTS, no tries
    left). The right code marks the record used.
    """
    require_aware(now)
    left = max(MAX_ATTEMPTS - record.attempts, 0)
    if record.used:
        return SmsCheck(False, record, SmsFailure.ALREADY_USED, left)
    if left == 0:
        return SmsCheck(False, record, SmsFailure.TOO_MANY_ATTEMPTS, 0)
    if now >= record.expires_at:
        return SmsCheck(False, record, SmsFailure.EXPIRED, left)
    typed = "".join(code.split())
    if not _CODE.fullmatch(typed):
        return SmsCheck(False, record, SmsFailure.MALFORMED, left)
    if hmac.compare_digest(hash_code(record.phone, typed, secret), record.code_hash):
        return SmsCheck(True, replace(record, used=True), None, left)
    updated = replace(record, attempts=record.attempts + 1)
    left -= 1
    reason = SmsFailure.WRONG_CODE if left > 0 else SmsFailure.TOO_MANY_ATTEMPTS
    return SmsCheck(False, updated, reason, left)
