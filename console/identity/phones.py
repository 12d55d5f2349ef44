"""Phone numbers: parse what people type, store E.164, show the national form.

Russian numbers arrive in every form (``8 (916) 123-45-67``, ``+7 916 123 45 67``,
``79161234567``, ``9161234567``, ``8-800-500-61-13``); foreign numbers must be
written with ``+`` (or an international prefix, ``00`` or ``8 10``).

Error messages never repeat the input: they may end up in reports or logs, and a
phone number is personal data.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

__all__ = ["PhoneError", "format_national", "mask_phone", "normalize_phone"]

_RU = "RU"
_RU_COUNTRY_CODE = 7  # shared with Kazakhstan, whose numbers also have 10 digits
_RU_NSN_LENGTH = 10
_RU_LENGTH_RULE = "a Russian number has 10 digits after +7 or 8."

# Digits, whitespace, the usual separators (including Unicode dashes and the minus
# sign) and one leading plus. Anything else (letters, "#", "*", ";") is refused.
_SEPARATORS = "-().\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_ALLOWED = re.compile(rf"\+?[0-9\s{re.escape(_SEPARATORS)}]+")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


class PhoneError(ValueError):
    """The input is not a phone number; ``str(exc)`` says why, in plain English."""


def _clean(raw: str) -> str:
    """Check the characters and return the digits, with a leading ``+`` if there was one."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise PhoneError("The phone number is empty.")
    if not _ALLOWED.fullmatch(text):
        if any(ch.isalpha() for ch in text):
            raise PhoneError("A phone number cannot contain letters.")
        if "+" in text[1:]:
            raise PhoneError("A plus sign may only stand at the start of a phone number.")
        raise PhoneError(
            "A phone number may contain only digits, spaces, dashes, dots, "
            "parentheses and a leading plus sign."
        )
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise PhoneError("The phone number has no digits.")
    return ("+" if text.startswith("+") else "") + digits


_UNKNOWN_COUNTRY = "The country code of the phone number is unknown."
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: _UNKNOWN_COUNTRY,
    NumberParseException.TOO_SHORT_NSN: "The phone number is too short.",
    NumberParseException.TOO_SHORT_AFTER_IDD: "The phone number is too short.",
    NumberParseException.TOO_LONG: "The phone number is too long.",
}
_LENGTH_ERRORS = {
    ValidationResult.INVALID_COUNTRY_CODE: _UNKNOWN_COUNTRY,
    ValidationResult.TOO_SHORT: "The phone number is too short for its country.",
    ValidationResult.TOO_LONG: "The phone number is too long for its country.",
    ValidationResult.INVALID_LENGTH: (
        "The phone number has the wrong number of digits for its country."
    ),
}


def _russian_fast_path(cleaned: str, default_region: str) -> phonenumbers.PhoneNumber | None:
    """The forms Russian numbers come in, without phonenumbers' general parser.

    ``+7XXXXXXXXXX``, ``7XXXXXXXXXX``, ``8XXXXXXXXXX`` and ``XXXXXXXXXX`` all
    name the 10-digit national number; building it directly is four times
    faster than ``phonenumbers.parse`` and the registry import reads a million
    of them. Validity is still phonenumbers' word (``_check``).
    """
    if default_region.upper() != _RU:
        return None
    if len(cleaned) == 12 and cleaned.startswith("+7"):
        nsn = cleaned[2:]
    elif len(cleaned) == 11 and cleaned[0] in "78":
        nsn = cleaned[1:]
    elif len(cleaned) == _RU_NSN_LENGTH and cleaned[0] != "+":
        nsn = cleaned
    else:
        return None
    if nsn[0] == "0":
        return None
    return phonenumbers.PhoneNumber(country_code=_RU_COUNTRY_CODE, national_number=int(nsn))


def _parse(raw: str, default_region: str) -> phonenumbers.PhoneNumber:
    cleaned = _clean(raw)
    fast = _russian_fast_path(cleaned, default_region)
    if fast is not None:
        _check(fast)
        return fast
    if cleaned.startswith("00"):
        # The international prefix most of the world uses; Russia's own "8 10"
        # is understood by phonenumbers itself.
        cleaned = "+" + cleaned[2:]
    elif len(cleaned) == 11 and cleaned.startswith("7") and default_region.upper() == _RU:
        # "79161234567": the country code written without its plus. Some
        # phonenumbers versions read it as an 11-digit national number (invalid).
        cleaned = "+" + cleaned
    try:
        number = phonenumbers.parse(cleaned, default_region)
    except NumberParseException as exc:
        raise PhoneError(_PARSE_ERRORS.get(exc.error_type, "This is not a phone number.")) from None
    _check(number)
    return number


def _check(number: phonenumbers.PhoneNumber) -> None:
    """Raise :class:`PhoneError` unless ``number`` has a right length and exists."""
    if number.country_code == _RU_COUNTRY_CODE:
        # phonenumbers calls some wrong Russian lengths "possible"; count ourselves.
        nsn_length = len(phonenumbers.national_significant_number(number))
        if nsn_length < _RU_NSN_LENGTH:
            raise PhoneError(f"The phone number is too short: {_RU_LENGTH_RULE}")
        if nsn_length > _RU_NSN_LENGTH:
            raise PhoneError(f"The phone number is too long: {_RU_LENGTH_RULE}")
    if phonenumbers.is_valid_number(number):
        return
    # Only a refused number pays for the finer diagnosis.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _LENGTH_ERRORS:
        raise PhoneError(_LENGTH_ERRORS[reason])
    raise PhoneError(
        "The phone number has a possible length but no such number exists "
        "(check the code and the digits)."
    )


def normalize_phone(raw: str, default_region: str = _RU) -> str:
    """Return ``raw`` as an E.164 string (``+79161234567``).

    Accepts every form Russians write a number in, with spaces, dashes, dots and
    parentheses: ``8 (916) 123-45-67``, ``+7 916 123 45 67``, ``79161234567``
    (11 digits starting with 7 are Russian), ``9161234567`` (10 digits, no
    prefix), ``8-800-500-61-13``. A number written with ``+`` (or ``00``, or
    ``8 10``) is read with its own country code: ``+44 20 7946 0958`` gives
    ``+442079460958``.

    Raises :class:`PhoneError` for an empty input, letters or other stray
    characters, a number too short or too long, or one that does not exist
    according to ``phonenumbers.is_valid_number``.
    """
    number = _parse(raw, default_region)
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _parse_e164(e164: str) -> phonenumbers.PhoneNumber:
    """Parse a stored number for display.

    Only the E.164 shape is required: a number stored years ago must still show
    even if today's phonenumbers metadata no longer calls it valid.
    """
    if not _E164.fullmatch(e164):
        raise PhoneError("Expected a phone number in E.164 form, such as +79161234567.")
    try:
        return phonenumbers.parse(e164, None)
    except NumberParseException:
        raise PhoneError(_UNKNOWN_COUNTRY) from None


def format_national(e164: str) -> str:
    """Show a stored number: Russian ones as ``8 (916) 123-45-67``, others internationally.

    A foreign number keeps its country code: ``+44 20 7946 0958``. Raises
    :class:`PhoneError` when ``e164`` is not in E.164 form.
    """
    number = _parse_e164(e164)
    if phonenumbers.region_code_for_number(number) == _RU:
        return str(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def mask_phone(e164: str) -> str:
    """Hint at a number without showing it: ``+7 *** ***-**-67``.

    The country code and the last two digits stay; every other digit becomes
    ``*``. Raises :class:`PhoneError` when ``e164`` is not in E.164 form.
    """
    number = _parse_e164(e164)
    shown = str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))
    prefix = f"+{number.country_code}"
    rest = shown[len(prefix) :]
    total = sum(ch.isdigit() for ch in rest)
    out: list[str] = []
    seen = 0
    for ch in rest:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - 2 else "*")
        else:
            out.append(ch)
    return prefix + "".join(out)
