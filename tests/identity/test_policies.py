"""Policy validity on a day (inclusive bounds) and which policy matters."""

from __future__ import annotations

from datetime import date

import pytest

from console.identity.model import Policy, PolicyStatus
from console.identity.policies import current_policy, policy_status

TODAY = date(2026, 11, 22)


def policy(number: str, valid_from: date, valid_to: date) -> Policy:
    return Policy(
        number=number,
        program="Телемедицина",
        purchased_on=valid_from,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "status"),
    [
        pytest.param(date(2026, 1, 1), date(2026, 12, 31), PolicyStatus.VALID, id="inside"),
        pytest.param(TODAY, date(2027, 11, 21), PolicyStatus.VALID, id="starts-today"),
        pytest.param(date(2025, 11, 23), TODAY, PolicyStatus.VALID, id="ends-today"),
        pytest.param(TODAY, TODAY, PolicyStatus.VALID, id="one-day-policy-today"),
        pytest.param(
            date(2025, 11, 22), date(2026, 11, 21), PolicyStatus.EXPIRED, id="ended-yesterday"
        ),
        pytest.param(
            date(2026, 11, 23), date(2027, 11, 22), PolicyStatus.NOT_YET_VALID,
            id="starts-tomorrow",
        ),
    ],
)  # fmt: skip
def test_policy_status(valid_from: date, valid_to: date, status: PolicyStatus) -> None:
    assert policy_status(policy("П-1", valid_from, valid_to), TODAY) is status


EXPIRED_OLD = policy("OLD", date(2023, 1, 1), date(2023, 12, 31))
EXPIRED_RECENT = policy("RECENT", date(2025, 1, 1), date(2025, 12, 31))
VALID_SHORT = policy("SHORT", date(2026, 1, 1), date(2026, 12, 31))
VALID_LONG = policy("LONG", date(2026, 6, 1), date(2027, 5, 31))
NEXT_SOON = policy("SOON", date(2026, 12, 1), date(2027, 11, 30))
NEXT_LATER = policy("LATER", date(2027, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize(
    ("policies", "expected"),
    [
        pytest.param([], None, id="none"),
        pytest.param([VALID_SHORT], VALID_SHORT, id="single-valid"),
        pytest.param(
            [EXPIRED_RECENT, VALID_SHORT, NEXT_SOON], VALID_SHORT, id="valid-beats-others"
        ),
        pytest.param([VALID_SHORT, VALID_LONG], VALID_LONG, id="latest-valid-to-among-valid"),
        pytest.param([NEXT_LATER, NEXT_SOON, EXPIRED_RECENT], NEXT_SOON, id="soonest-upcoming"),
        pytest.param([EXPIRED_OLD, EXPIRED_RECENT], EXPIRED_RECENT, id="latest-expired"),
        pytest.param([EXPIRED_RECENT, EXPIRED_OLD], EXPIRED_RECENT, id="order-does-not-matter"),
    ],
)
def test_current_policy(policies: list[Policy], expected: Policy | None) -> None:
    assert current_policy(policies, TODAY) == expected
