"""Confirming a booking: the agreed way, documents, referrals, the quota (000, 002, 003)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from console.booking import (
    DEMO_PROGRAMS,
    AppointmentStatus,
    ContactWay,
    PhoneRequired,
    ProgramRules,
    QuotaExhausted,
    QuotaUsage,
    Referral,
    ReferralExpired,
    ReferralMismatch,
    ReferralRequired,
    ReferralUsed,
    confirm,
    effective_quota,
    quota_usage,
    rules_for,
)
from tests.booking.helpers import (
    CARDIOLOGIST,
    MONDAY,
    MOSCOW,
    OPERATOR,
    PERSON,
    T0,
    booked,
    held,
    local,
    minutes,
)

TUESDAY = MONDAY + timedelta(days=1)
CARDIO_SLOT = local(TUESDAY, 10)
ON_REFERRAL = ProgramRules(name="Базовая", quota=3, referral_required=frozenset({"cardiologist"}))


def referral(**kw: object) -> Referral:
    values: dict[str, object] = {
        "id": 77,
        "person_id": PERSON,
        "specialty": "cardiologist",
        "issued_on": MONDAY - timedelta(days=3),
    }
    values.update(kw)
    return Referral(**values)  # type: ignore[arg-type]


def book_cardiologist(ref: Referral | None, rules: ProgramRules = ON_REFERRAL, **kw: object):
    return confirm(
        held(CARDIO_SLOT, doctor_id=CARDIOLOGIST), T0, MOSCOW, operator_id=OPERATOR,
        way=ContactWay.VIDEO, rules=rules, referral=ref, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize("way", list(ContactWay))
def test_the_agreed_way_is_recorded(way: ContactWay) -> None:
    appt = confirm(held(local(MONDAY, 9)), T0, MOSCOW, operator_id=OPERATOR, way=way,
                   phone="+79031112233")  # fmt: skip
    assert appt.way is way
    assert appt.phone == "+79031112233"
    assert way.channel == ("phone" if "phone" in way.value else way.value)


@pytest.mark.parametrize("way", [ContactWay.INSURED_PHONE, ContactWay.REPRESENTATIVE_PHONE])
def test_a_call_needs_a_phone(way: ContactWay) -> None:
    with pytest.raises(PhoneRequired):
        confirm(held(local(MONDAY, 9)), T0, MOSCOW, operator_id=OPERATOR, way=way)


def test_chat_without_a_phone_is_fine_and_the_phone_must_be_e164() -> None:
    appt = confirm(held(local(MONDAY, 9)), T0, MOSCOW, operator_id=OPERATOR, way="chat")  # type: ignore[arg-type]
    assert (appt.way, appt.phone) == (ContactWay.CHAT, None)
    with pytest.raises(ValueError, match=r"E\.164"):
        confirm(held(local(MONDAY, 9)), T0, MOSCOW, operator_id=OPERATOR,
                way=ContactWay.INSURED_PHONE, phone="8 916 123-45-67")  # fmt: skip


def test_documents_needed_is_recorded() -> None:
    appt = booked(local(MONDAY, 9), documents_needed=True)
    assert appt.documents_needed and not appt.documents_ready
    assert booked(local(MONDAY, 9)).documents_ready


def test_a_specialty_on_referral_needs_one() -> None:
    with pytest.raises(ReferralRequired) as err:
        book_cardiologist(None)
    assert err.value.specialty == "cardiologist"
    # The therapist is not on referral in that program.
    confirm(held(local(MONDAY, 9)), T0, MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT,
            rules=ON_REFERRAL)  # fmt: skip


def test_a_referral_to_the_specialty_books_any_doctor_of_it() -> None:
    appt = book_cardiologist(referral())
    assert appt.status is AppointmentStatus.BOOKED
    assert appt.referral_id == 77
    assert appt.program == "Базовая"


def test_a_referral_to_a_named_doctor_books_only_that_doctor() -> None:
    assert book_cardiologist(referral(doctor_id=CARDIOLOGIST)).referral_id == 77
    with pytest.raises(ReferralMismatch):
        book_cardiologist(referral(doctor_id=99))


@pytest.mark.parametrize(
    ("ref", "error"),
    [
        pytest.param(referral(specialty="neurologist"), ReferralMismatch, id="other-specialty"),
        pytest.param(referral(person_id=PERSON + 1), ReferralMismatch, id="other-person"),
        pytest.param(referral(valid_until=MONDAY), ReferralExpired, id="expires-before-the-day"),
        pytest.param(referral(issued_on=TUESDAY + timedelta(days=1)), ReferralExpired,
                     id="issued-after-the-day"),
        pytest.param(referral(used=True), ReferralUsed, id="used"),
    ],
)  # fmt: skip
def test_referrals_that_do_not_fit(ref: Referral, error: type[Exception]) -> None:
    with pytest.raises(error):
        book_cardiologist(ref)


def test_a_referral_valid_through_the_day_is_fine() -> None:
    assert book_cardiologist(referral(valid_until=TUESDAY)).referral_id == 77


def test_a_referral_is_checked_where_the_program_does_not_ask_for_one() -> None:
    open_rules = ProgramRules(name="Премиум")
    assert book_cardiologist(None, open_rules).referral_id is None
    with pytest.raises(ReferralMismatch):
        book_cardiologist(referral(specialty="neurologist"), open_rules)


def test_the_quota_counts_given_missed_late_and_booked_consultations() -> None:
    history = [
        replace(booked(local(MONDAY, 9, 15), appointment_id=2), status=s)
        for s in (
            AppointmentStatus.GIVEN,
            AppointmentStatus.CLOSED_AS_GIVEN,
            AppointmentStatus.NOT_REACHED,
            AppointmentStatus.LATE_CANCELLED,
            AppointmentStatus.BOOKED,
            AppointmentStatus.WAITING,
            AppointmentStatus.CANCELLED,
            AppointmentStatus.RELEASED,
            AppointmentStatus.HELD,
        )
    ]
    assert quota_usage(history) == QuotaUsage(counted=4, pending=2)
    assert QuotaUsage(4, 2).left(None) is None
    assert QuotaUsage(4, 2).left(7) == 1
    assert QuotaUsage(4, 2).left(5) == 0


def test_no_booking_past_the_quota() -> None:
    rules = ProgramRules(name="Базовая", quota=2)
    history = [
        replace(booked(local(MONDAY, 10), appointment_id=2), status=AppointmentStatus.GIVEN),
        booked(local(MONDAY, 10, 15), appointment_id=3),
    ]
    hold_ = held(local(MONDAY, 9))
    with pytest.raises(QuotaExhausted) as err:
        confirm(hold_, T0, MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT, rules=rules,
                quota=2, history=[hold_, *history])  # fmt: skip
    assert (err.value.quota, err.value.counted, err.value.pending) == (2, 1, 1)
    # A timely cancellation gives the consultation back.
    history[1] = replace(history[1], status=AppointmentStatus.CANCELLED)
    appt = confirm(hold_, T0 + minutes(1), MOSCOW, operator_id=OPERATOR, way=ContactWay.CHAT,
                   rules=rules, quota=2, history=history)  # fmt: skip
    assert appt.status is AppointmentStatus.BOOKED


def test_program_rules_are_data() -> None:
    basic = rules_for(DEMO_PROGRAMS, "Телемедицина Базовая")
    assert basic.quota == 5 and basic.needs_referral("cardiologist")
    assert not basic.needs_referral("therapist")
    unknown = rules_for(DEMO_PROGRAMS, "Нет такой")
    assert unknown == ProgramRules(name="Нет такой")
    assert effective_quota(basic, None) == 5
    assert effective_quota(basic, 2) == 2
    assert effective_quota(unknown, None) is None


def test_referral_values_are_checked() -> None:
    with pytest.raises(ValueError, match="specialty"):
        referral(specialty="")
    with pytest.raises(ValueError, match="issued"):
        referral(valid_until=date(2020, 1, 1))
