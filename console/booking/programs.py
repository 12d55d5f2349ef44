"""What an insurance program asks of a booking: its quota, referrals, cancellation notice.

Program rules are data (:class:`ProgramRules`), looked up by the policy's
program name (:func:`rules_for`); a program nobody described has no quota,
asks for no referral and takes cancellations up to the start.

- Quota (002, "Consultation by appointment"): a consultation that was given,
  closed as given after three failed calls, missed (not reached), or cancelled
  late uses one of the program's consultations; a booked one reserves one.
- Referrals (000, "Consultation by appointment"): some specialties are booked
  only on a referral, which names a specialty or a particular doctor; one
  referral serves one consultation.
- Cancellation (002, 003): cancelling before the start is in time; a program
  may ask for more notice (``late_cancel_notice``, ours; 0 by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from console.booking.errors import (
    QuotaExhausted,
    ReferralExpired,
    ReferralMismatch,
    ReferralRequired,
    ReferralUsed,
)
from console.booking.model import COUNTED, PENDING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from console.booking.model import Appointment, Referral

__all__ = [
    "DEMO_PROGRAMS",
    "OPEN_PROGRAM",
    "ProgramRules",
    "QuotaUsage",
    "check_quota",
    "check_referral",
    "effective_quota",
    "quota_usage",
    "rules_for",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramRules:
    """The booking rules of one insurance program.

    ``quota``: consultations per policy (``None``: no limit); a policy's own
    ``consultation_quota`` overrides it (:func:`effective_quota`).
    ``referral_required``: specialties booked only on a referral.
    ``late_cancel_notice``: a cancellation later than this before the start
    counts against the quota (it still frees the slot while before the start).
    """

    name: str
    quota: int | None = None
    referral_required: frozenset[str] = field(default_factory=frozenset)
    late_cancel_notice: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.quota is not None and self.quota < 0:
            raise ValueError("a program's quota is not negative")
        if self.late_cancel_notice < timedelta(0):
            raise ValueError("a program's cancellation notice is not negative")

    def needs_referral(self, specialty: str) -> bool:
        return specialty in self.referral_required


#: The rules of a program nobody described.
OPEN_PROGRAM = ProgramRules(name="")

_SPECIALISTS = frozenset(
    {"cardiologist", "neurologist", "endocrinologist", "gastroenterologist", "dermatologist"}
)

#: The demo's programs (ours), by the names ``medconsole demo`` seeds.
DEMO_PROGRAMS: Mapping[str, ProgramRules] = {
    p.name: p
    for p in (
        ProgramRules(name="Телемедицина Базовая", quota=5, referral_required=_SPECIALISTS),
        ProgramRules(name="Телемедицина Семейная", quota=12, referral_required=_SPECIALISTS),
        ProgramRules(name="Телемедицина Премиум"),
        ProgramRules(
            name="ДМС+",
            quota=20,
            referral_required=_SPECIALISTS,
            late_cancel_notice=timedelta(hours=2),
        ),
    )
}


def rules_for(programs: Mapping[str, ProgramRules], program: str) -> ProgramRules:
    """The rules of ``program``; a program not in ``programs`` gets open rules under its name."""
    found = programs.get(program)
    return found if found is not None else ProgramRules(name=program)


def effective_quota(rules: ProgramRules, policy_quota: int | None) -> int | None:
    """The policy's own quota where it has one, else the program's (``None``: no limit)."""
    return policy_quota if policy_quota is not None else rules.quota


@dataclass(frozen=True, slots=True)
class QuotaUsage:
    """``counted``: consultations used up; ``pending``: booked and not over yet."""

    counted: int = 0
    pending: int = 0

    def left(self, quota: int | None) -> int | None:
        """Consultations that can still be booked (``None``: no limit)."""
        if quota is None:
            return None
        return max(quota - self.counted - self.pending, 0)


def quota_usage(
    appointments: Iterable[Appointment], *, exclude_id: int | None = None
) -> QuotaUsage:
    """Count a person's appointments (of the policy's period) against the quota (002):
    given, closed as given, not reached and late-cancelled ones count; booked,
    waiting and running ones are pending; holds, releases and timely
    cancellations do not count. ``exclude_id``: the appointment being booked."""
    counted = pending = 0
    for a in appointments:
        if exclude_id is not None and a.id == exclude_id:
            continue
        if a.status in COUNTED:
            counted += 1
        elif a.status in PENDING:
            pending += 1
    return QuotaUsage(counted, pending)


def check_quota(quota: int | None, usage: QuotaUsage) -> None:
    """Raise :class:`QuotaExhausted` when no consultation of ``quota`` is left to book."""
    if quota is not None and usage.left(quota) == 0:
        raise QuotaExhausted(quota, usage.counted, usage.pending)


def check_referral(
    rules: ProgramRules,
    referral: Referral | None,
    *,
    person_id: int,
    doctor_id: int,
    specialty: str,
    day: date,
) -> None:
    """Check the referral a booking with ``doctor_id`` (of ``specialty``) on ``day`` uses.

    Without a referral: fine unless the program requires one for the specialty
    (:class:`ReferralRequired`). A referral, required or not, must be the
    person's, for the specialty and, when it names a doctor, for that doctor
    (:class:`ReferralMismatch`); valid on ``day`` (:class:`ReferralExpired`);
    and not used by another consultation (:class:`ReferralUsed`).
    """
    if referral is None:
        if rules.needs_referral(specialty):
            raise ReferralRequired(specialty)
        return
    if (
        referral.person_id != person_id
        or referral.specialty != specialty
        or (referral.doctor_id is not None and referral.doctor_id != doctor_id)
    ):
        raise ReferralMismatch(referral.id)
    if day < referral.issued_on or (
        referral.valid_until is not None and day > referral.valid_until
    ):
        raise ReferralExpired(referral.id)
    if referral.used:
        raise ReferralUsed(referral.id)
