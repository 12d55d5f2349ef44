"""Whether a policy is valid on a day, and which of a person's policies matters.

Services are given only while the policy is valid on that day; both bounds of
the validity period are inclusive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.identity.model import Policy, PolicyStatus

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

__all__ = ["current_policy", "policy_status"]


def policy_status(policy: Policy, day: date) -> PolicyStatus:
    """Status of ``policy`` on ``day``: valid from ``valid_from`` to ``valid_to``, inclusive."""
    if day < policy.valid_from:
        return PolicyStatus.NOT_YET_VALID
    if day > policy.valid_to:
        return PolicyStatus.EXPIRED
    return PolicyStatus.VALID


def current_policy(policies: Sequence[Policy], day: date) -> Policy | None:
    """The policy that matters on ``day``.

    A valid one if there is any (the one valid longest, by ``valid_to``);
    otherwise the next one to start; otherwise the one that expired last.
    ``None`` when there are no policies.
    """
    by_status: dict[PolicyStatus, list[Policy]] = {s: [] for s in PolicyStatus}
    for p in policies:
        by_status[policy_status(p, day)].append(p)
    if valid := by_status[PolicyStatus.VALID]:
        return max(valid, key=lambda p: (p.valid_to, p.valid_from, p.number))
    if upcoming := by_status[PolicyStatus.NOT_YET_VALID]:
        return min(upcoming, key=lambda p: (p.valid_from, -p.valid_to.toordinal(), p.number))
    if expired := by_status[PolicyStatus.EXPIRED]:
        return max(expired, key=lambda p: (p.valid_to, p.valid_from, p.number))
    return None
