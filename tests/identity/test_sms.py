"""SMS login codes: 6 digits, 5 minutes, 5 tries, once a minute, stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from console.identity.sms import (
    SmsCheck,
    SmsCode,
    SmsError,
    SmsFailure,
    SmsTooSoon,
    check_code,
    issue_code,
)

PHONE = "+79161234567"
SECRET = b"test-secret-not-for-production"
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def issued(seed: int = 1) -> tuple[str, SmsCode]:
    return issue_code(PHONE, T0, SECRET, None, rng=random.Random(seed))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_issue_makes_a_six_digit_code_that_lives_five_minutes() -> None:
    code, record = issued()
    assert len(code) == 6
    assert code.isdigit()
    assert record == SmsCode(
        phone=PHONE,
        code_hash=record.code_hash,
        issued_at=T0,
        expires_at=T0 + timedelta(minutes=5),
        attempts=0,
        used=False,
    )


def test_seeded_rng_is_reproducible_and_secrets_are_used_otherwise() -> None:
    assert issued(7)[0] == issued(7)[0]
    codes = {issue_code(PHONE, T0, SECRET, None)[0] for _ in range(20)}
    assert len(codes) > 1
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_code_with_leading_zeros_keeps_six_digits() -> None:
    class Zero(random.Random):
        def randrange(self, *args: object, **kwargs: object) -> int:
            return 42

    code, record = issue_code(PHONE, T0, SECRET, None, rng=Zero())
    assert code == "000042"
    assert check_code(record, "000042", T0, SECRET).ok


def test_only_the_hmac_is_stored() -> None:
    code, record = issued()
    expected = hmac.new(SECRET, f"{PHONE}:{code}".encode(), hashlib.sha256).hexdigest()
    assert record.code_hash == expected
    assert len(record.code_hash) == 64
    assert code not in record.code_hash
    assert code not in repr(record)
    assert record.code_hash != hashlib.sha256(code.encode()).hexdigest()


def test_right_code_is_accepted_and_marks_the_record_used() -> None:
    code, record = issued()
    result = check_code(record, code, T0 + timedelta(minutes=1), SECRET)
    assert result == SmsCheck(
        ok=True, record=replace(record, used=True), reason=None, attempts_left=5
    )
    assert result.message == "The code is accepted."


def test_code_with_spaces_is_accepted() -> None:
    code, record = issued()
    assert check_code(record, f" {code[:3]} {code[3:]} ", T0, SECRET).ok


def test_wrong_code_counts_down_and_the_fifth_burns_it() -> None:
    code, record = issued()
    seen: list[tuple[SmsFailure | None, int, int]] = []
    for _ in range(5):
        result = check_code(record, wrong(code), T0 + timedelta(seconds=10), SECRET)
        assert not result.ok
        record = result.record
        seen.append((result.reason, result.attempts_left, record.attempts))
    assert seen == [
        (SmsFailure.WRONG_CODE, 4, 1),
        (SmsFailure.WRONG_CODE, 3, 2),
        (SmsFailure.WRONG_CODE, 2, 3),
        (SmsFailure.WRONG_CODE, 1, 4),
        (SmsFailure.TOO_MANY_ATTEMPTS, 0, 5),
    ]
    # Burnt: even the right code is refused now, and nothing more is counted.
    after = check_code(record, code, T0 + timedelta(seconds=20), SECRET)
    assert (after.ok, after.reason, after.attempts_left) == (
        False,
        SmsFailure.TOO_MANY_ATTEMPTS,
        0,
    )
    assert after.record == record
    assert not after.record.used


def test_right_code_after_four_wrong_tries_still_works() -> None:
    code, record = issued()
    for _ in range(4):
        record = check_code(record, wrong(code), T0, SECRET).record
    result = check_code(record, code, T0, SECRET)
    assert (result.ok, result.record.used, result.record.attempts) == (True, True, 4)


@pytest.mark.parametrize(
    ("after", "ok", "reason"),
    [
        pytest.param(timedelta(minutes=4, seconds=59), True, None, id="at-4m59s-valid"),
        pytest.param(timedelta(minutes=5), False, SmsFailure.EXPIRED, id="at-5m-expired"),
        pytest.param(timedelta(hours=1), False, SmsFailure.EXPIRED, id="an-hour-later"),
    ],
)
def test_expiry(after: timedelta, ok: bool, reason: SmsFailure | None) -> None:
    code, record = issued()
    result = check_code(record, code, T0 + after, SECRET)
    assert (result.ok, result.reason) == (ok, reason)
    if not ok:
        assert result.record == record  # an expired code counts no try


def test_reuse_is_refused() -> None:
    code, record = issued()
    used = check_code(record, code, T0, SECRET).record
    again = check_code(used, code, T0 + timedelta(seconds=5), SECRET)
    assert (again.ok, again.reason, again.record) == (False, SmsFailure.ALREADY_USED, used)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("", id="empty"),
        pytest.param("12345", id="five-digits"),
        pytest.param("1234567", id="seven-digits"),
        pytest.param("12345a", id="letter"),
        pytest.param("١٢٣٤٥٦", id="arabic-indic-digits"),
        pytest.param("12-34-56", id="dashes"),
    ],
)
def test_malformed_input_is_not_counted(typed: str) -> None:
    _, record = issued()
    result = check_code(record, typed, T0, SECRET)
    assert (result.ok, result.reason, result.attempts_left) == (False, SmsFailure.MALFORMED, 5)
    assert result.record is record


def test_wrong_secret_or_other_phone_does_not_match() -> None:
    code, record = issued()
    assert check_code(record, code, T0, b"another-secret").reason is SmsFailure.WRONG_CODE
    moved = replace(record, phone="+79990000000")
    assert check_code(moved, code, T0, SECRET).reason is SmsFailure.WRONG_CODE


@pytest.mark.parametrize(
    ("elapsed", "retry_after"),
    [
        pytest.param(timedelta(0), 60, id="same-instant"),
        pytest.param(timedelta(seconds=1), 59, id="after-1s"),
        pytest.param(timedelta(seconds=59, milliseconds=500), 1, id="after-59.5s"),
    ],
)
def test_new_code_within_a_minute_is_refused(elapsed: timedelta, retry_after: int) -> None:
    _, last = issued()
    with pytest.raises(SmsTooSoon) as info:
        issue_code(PHONE, T0 + elapsed, SECRET, last)
    assert info.value.retry_after_seconds == retry_after
    assert isinstance(info.value, SmsError)
    assert f"{retry_after} s" in str(info.value)


@pytest.mark.parametrize(
    "elapsed",
    [pytest.param(timedelta(seconds=60), id="at-60s"), pytest.param(timedelta(hours=2), id="2h")],
)
def test_new_code_after_a_minute_is_allowed(elapsed: timedelta) -> None:
    _, last = issued()
    code, record = issue_code(PHONE, T0 + elapsed, SECRET, last, rng=random.Random(2))
    assert record.issued_at == T0 + elapsed
    assert check_code(record, code, T0 + elapsed, SECRET).ok


@pytest.mark.parametrize(
    ("phone", "now", "secret", "message_part"),
    [
        pytest.param("8 (916) 123-45-67", T0, SECRET, "E.164", id="not-e164"),
        pytest.param(PHONE, T0, b"", "secret", id="empty-secret"),
        pytest.param(PHONE, T0.replace(tzinfo=None), SECRET, "timezone-aware", id="naive-now"),
    ],
)
def test_issue_refuses_bad_arguments(
    phone: str, now: datetime, secret: bytes, message_part: str
) -> None:
    with pytest.raises(ValueError, match=message_part):
        issue_code(phone, now, secret, None)


def test_last_code_of_another_phone_is_refused() -> None:
    _, last = issued()
    with pytest.raises(ValueError, match="another phone"):
        issue_code("+79990000000", T0 + timedelta(minutes=2), SECRET, last)


@pytest.mark.parametrize(
    ("reason", "left", "message"),
    [
        pytest.param(SmsFailure.WRONG_CODE, 3, "The code is wrong; 3 tries left.", id="wrong-3"),
        pytest.param(SmsFailure.WRONG_CODE, 1, "The code is wrong; 1 try left.", id="wrong-1"),
        pytest.param(SmsFailure.EXPIRED, 5, "The code has expired; request a new one.",
                     id="expired"),
        pytest.param(SmsFailure.MALFORMED, 5, "A code is 6 digits.", id="malformed"),
        pytest.param(SmsFailure.ALREADY_USED, 5,
                     "The code has already been used; request a new one.", id="used"),
        pytest.param(SmsFailure.TOO_MANY_ATTEMPTS, 0,
                     "Too many wrong tries; the code no longer works. Request a new one.",
                     id="burnt"),
    ],
)  # fmt: skip
def test_messages(reason: SmsFailure, left: int, message: str) -> None:
    _, record = issued()
    assert SmsCheck(False, record, reason, left).message == message
