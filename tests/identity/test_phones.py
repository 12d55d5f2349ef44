"""Phone numbers: every Russian form to E.164, foreign numbers, refusals, display."""

from __future__ import annotations

import pytest

from console.identity.phones import PhoneError, format_national, mask_phone, normalize_phone

MOBILE = "+79161234567"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        pytest.param("8 (916) 123-45-67", MOBILE, id="8-parens-dashes"),
        pytest.param("+7 916 123 45 67", MOBILE, id="plus7-spaces"),
        pytest.param("+7 (916) 123-45-67", MOBILE, id="plus7-parens"),
        pytest.param("+79161234567", MOBILE, id="e164-itself"),
        pytest.param("79161234567", MOBILE, id="bare-7-eleven-digits"),
        pytest.param("7 916 123 45 67", MOBILE, id="bare-7-with-spaces"),
        pytest.param("89161234567", MOBILE, id="bare-8-eleven-digits"),
        pytest.param("9161234567", MOBILE, id="ten-digits-no-prefix"),
        pytest.param("916-123-45-67", MOBILE, id="ten-digits-dashes"),
        pytest.param("8.916.123.45.67", MOBILE, id="dots"),
        pytest.param("  8 (916)\t123-45-67 ", MOBILE, id="tabs-and-padding"),
        pytest.param("8 (916) 123–45–67", MOBILE, id="en-dashes"),
        pytest.param("8\u00a0916\u00a0123\u00a045\u00a067", MOBILE, id="no-break-spaces"),
        pytest.param("８９１６１２３４５６７", MOBILE, id="full-width-digits"),
        pytest.param("8-800-500-61-13", "+78005006113", id="toll-free-8-800"),
        pytest.param("7 (800) 500-61-13", "+78005006113", id="toll-free-7-800"),
        pytest.param("8 (495) 123-45-67", "+74951234567", id="moscow-landline"),
        pytest.param("+44 20 7946 0958", "+442079460958", id="foreign-uk"),
        pytest.param("+375 29 123-45-67", "+375291234567", id="foreign-belarus"),
        pytest.param("+1 650 253 0000", "+16502530000", id="foreign-us"),
        pytest.param("00 44 20 7946 0958", "+442079460958", id="foreign-00-prefix"),
        pytest.param("8 10 44 20 7946 0958", "+442079460958", id="foreign-8-10-prefix"),
    ],
)
def test_normalize_accepts(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="only-spaces"),
        pytest.param("abc", "letters", id="letters"),
        pytest.param("8-800-FLOWERS", "letters", id="vanity-letters"),
        pytest.param("8 916 123 45 67 доб. 12", "letters", id="extension-word"),
        pytest.param("+7 916 123 45 67 #12", "only digits", id="hash-sign"),
        pytest.param("8 916 +123 45 67", "plus sign", id="plus-in-middle"),
        pytest.param("---", "no digits", id="only-dashes"),
        pytest.param("916 123 45", "too short", id="too-short-8-digits"),
        pytest.param("12345", "too short", id="five-digits"),
        pytest.param("8 916 123 45 67 89", "too long", id="too-long"),
        pytest.param("+7 916 1234 5678 9999", "too long", id="too-long-plus7"),
        pytest.param("+999 123 456 789", "country code", id="unknown-country-code"),
        pytest.param("71234567890", "no such number", id="bare-7-invalid-area"),
        pytest.param("+7 000 123 45 67", "no such number", id="zero-area-code"),
    ],
)
def test_normalize_refuses(raw: str, message_part: str) -> None:
    with pytest.raises(PhoneError) as info:
        normalize_phone(raw)
    assert message_part in str(info.value)


def test_phone_error_is_a_value_error_and_does_not_echo_the_input() -> None:
    with pytest.raises(ValueError, match="letters") as info:
        normalize_phone("8916abc4567")
    assert "8916" not in str(info.value)


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        pytest.param(MOBILE, "8 (916) 123-45-67", id="ru-mobile"),
        pytest.param("+78005006113", "8 (800) 500-61-13", id="ru-toll-free"),
        pytest.param("+74951234567", "8 (495) 123-45-67", id="ru-moscow"),
        pytest.param("+442079460958", "+44 20 7946 0958", id="uk"),
        pytest.param("+375291234567", "+375 29 123-45-67", id="belarus"),
    ],
)
def test_format_national(e164: str, shown: str) -> None:
    assert format_national(e164) == shown


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        pytest.param(MOBILE, "+7 *** ***-**-67", id="ru-mobile"),
        pytest.param("+78005006113", "+7 *** ***-**-13", id="ru-toll-free"),
        pytest.param("+442079460958", "+44 ** **** **58", id="uk"),
    ],
)
def test_mask_phone_shows_only_country_code_and_last_two_digits(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked


@pytest.mark.parametrize(
    "not_e164",
    [
        pytest.param("8 (916) 123-45-67", id="national-form"),
        pytest.param("79161234567", id="no-plus"),
        pytest.param("", id="empty"),
        pytest.param("+0123456789", id="plus-zero"),
        pytest.param("+999123456789", id="unknown-country-code"),
    ],
)
@pytest.mark.parametrize("func", [format_national, mask_phone], ids=["format", "mask"])
def test_display_functions_need_e164(func: object, not_e164: str) -> None:
    assert callable(func)
    with pytest.raises(PhoneError):
        func(not_e164)


def test_stored_number_that_metadata_no_longer_validates_still_shows() -> None:
    assert format_national("+70001234567") == "+7 0001234567"
    assert mask_phone("+70001234567") == "+7 ********67"


def test_round_trip_through_national_form() -> None:
    assert normalize_phone(format_national(MOBILE)) == MOBILE
