"""Identification flows: who a phone reaches, additional identification, registering a phone."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from console.identity.identify import (
    NO_POLICY_WARNING,
    AdditionalCheck,
    IdentificationError,
    Identified,
    describe,
    matches_for_phone,
    needs_additional_identification,
    register_phone,
    verify_additional,
)
from console.identity.model import (
    InsuredRecord,
    Person,
    Phone,
    Policy,
    PolicyStatus,
    Route,
    Sex,
)
from console.identity.phones import PhoneError
from console.identity.routing import UNDER_ONE_WARNING

TODAY = date(2026, 11, 22)
PARENT_PHONE = "+79161234567"
OTHER_PHONE = "+79035550011"


def policy(number: str, valid_from: date, valid_to: date) -> Policy:
    return Policy(number, "Телемедицина", valid_from, valid_from, valid_to)


YEAR_POLICY = (date(2026, 1, 1), date(2026, 12, 31))


def record(
    pid: int,
    surname: str,
    name: str,
    patronymic: str,
    birth: date,
    *,
    sex: Sex = Sex.FEMALE,
    policies: tuple[Policy, ...] | None = None,
    phones: tuple[str, ...] = (),
    represents: tuple[int, ...] = (),
    represented_by: tuple[int, ...] = (),
) -> InsuredRecord:
    if policies is None:
        policies = (policy(f"ТМ-{pid:06d}", *YEAR_POLICY),)
    return InsuredRecord(
        person=Person(pid, surname, name, patronymic, birth, sex),
        policies=policies,
        phones=tuple(Phone(p, verified=True) for p in phones),
        represents=represents,
        represented_by=represented_by,
    )


MOTHER = record(
    1, "Семёнова", "Анна", "Петровна", date(1988, 4, 12),
    phones=(PARENT_PHONE,), represents=(2, 3),
)  # fmt: skip
SON = record(2, "Семёнов", "Иван", "Сергеевич", date(2015, 9, 1), sex=Sex.MALE, represented_by=(1,))
DAUGHTER = record(3, "Семёнова", "Мария", "Сергеевна", date(2026, 3, 5), represented_by=(1,))


# -- describe -------------------------------------------------------------------------------


def test_describe_adult_with_valid_policy() -> None:
    found = describe(MOTHER, TODAY)
    assert (found.age, found.route, found.warnings, found.relation) == (
        38,
        Route.THERAPIST,
        (),
        "self",
    )
    assert (found.policy, found.policy_status) == (MOTHER.policies[0], PolicyStatus.VALID)
    assert found.services_possible


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "status", "warning"),
    [
        pytest.param(date(2025, 11, 23), TODAY, PolicyStatus.VALID, None, id="ends-today"),
        pytest.param(
            date(2025, 11, 22), date(2026, 11, 21), PolicyStatus.EXPIRED,
            "Policy expired on 2026-11-21: services cannot be given.", id="ended-yesterday",
        ),
        pytest.param(
            date(2026, 11, 23), date(2027, 11, 22), PolicyStatus.NOT_YET_VALID,
            "Policy not yet valid (valid from 2026-11-23): services cannot be given yet.",
            id="starts-tomorrow",
        ),
    ],
)  # fmt: skip
def test_describe_warns_about_an_invalid_policy(
    valid_from: date, valid_to: date, status: PolicyStatus, warning: str | None
) -> None:
    person = record(9, "Орлов", "Пётр", "", date(1970, 1, 1), sex=Sex.MALE,
                    policies=(policy("X-1", valid_from, valid_to),))  # fmt: skip
    found = describe(person, TODAY)
    assert found.policy_status is status
    assert found.warnings == (() if warning is None else (warning,))
    assert found.services_possible is (status is PolicyStatus.VALID)


def test_describe_without_policy() -> None:
    found = describe(record(9, "Орлов", "Пётр", "", date(1970, 1, 1), policies=()), TODAY)
    assert (found.policy, found.policy_status, found.warnings) == (
        None,
        None,
        (NO_POLICY_WARNING,),
    )
    assert found.to_dict()["policy_number"] is None
    assert found.to_dict()["warnings"] == [NO_POLICY_WARNING]


def test_describe_under_one_with_expired_policy_gives_both_warnings() -> None:
    baby = record(4, "Кравец", "Ева", "", date(2026, 5, 1),
                  policies=(policy("B-1", date(2025, 1, 1), date(2025, 12, 31)),))  # fmt: skip
    found = describe(baby, TODAY, relation="represented")
    assert found.route is Route.PEDIATRICIAN
    assert found.warnings == (
        UNDER_ONE_WARNING,
        "Policy expired on 2025-12-31: services cannot be given.",
    )


def test_describe_refuses_an_unknown_relation() -> None:
    with pytest.raises(ValueError, match="relation"):
        describe(MOTHER, TODAY, relation="friend")


def test_to_dict_is_json_ready_and_complete() -> None:
    data = describe(SON, TODAY, relation="represented").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "person_id": 2,
        "policy_number": "ТМ-000002",
        "policy_program": "Телемедицина",
        "policy_valid_from": "2026-01-01",
        "policy_valid_to": "2026-12-31",
        "policy_status": "valid",
        "surname": "Семёнов",
        "name": "Иван",
        "patronymic": "Сергеевич",
        "birth_date": "2015-09-01",
        "sex": "M",
        "age": 11,
        "route": "pediatrician",
        "warnings": [],
        "relation": "represented",
        "phones": [],
    }


# -- matches_for_phone ----------------------------------------------------------------------


def summary(found: list[Identified]) -> list[tuple[int, str, str, int]]:
    return [(f.record.person.id, f.relation, f.route.value, f.age) for f in found]


def test_parent_with_two_children_on_one_phone() -> None:
    found = matches_for_phone([MOTHER], [DAUGHTER, SON], TODAY)
    assert summary(found) == [
        (1, "self", "therapist", 38),
        (2, "represented", "pediatrician", 11),  # Семёнов before Семёнова
        (3, "represented", "pediatrician", 0),
    ]
    assert found[2].warnings == (UNDER_ONE_WARNING,)


def test_owners_first_then_represented_each_sorted() -> None:
    father = record(5, "Абрамов", "Сергей", "Ильич", date(1985, 1, 1), sex=Sex.MALE,
                    phones=(PARENT_PHONE,), represents=(2, 3))  # fmt: skip
    twin_a = record(6, "Семенова", "Мария", "", date(2019, 1, 1))  # "е" sorts with "ё"
    found = matches_for_phone([MOTHER, father], [DAUGHTER, twin_a, SON], TODAY)
    assert [f.record.person.id for f in found] == [5, 1, 2, 6, 3]
    assert [f.relation for f in found] == ["self"] * 2 + ["represented"] * 3


def test_same_name_sorted_by_birth_date() -> None:
    older = record(7, "Ли", "Ким", "", date(2012, 1, 1))
    younger = record(8, "Ли", "Ким", "", date(2014, 1, 1))
    found = matches_for_phone([], [younger, older], TODAY)
    assert [f.record.person.id for f in found] == [7, 8]


def test_person_owning_the_phone_and_represented_appears_once_as_self() -> None:
    grown_son = record(2, "Семёнов", "Иван", "Сергеевич", date(2000, 9, 1), sex=Sex.MALE,
                       phones=(PARENT_PHONE,), represented_by=(1,))  # fmt: skip
    found = matches_for_phone([MOTHER, grown_son], [grown_son, DAUGHTER], TODAY)
    assert [(f.record.person.id, f.relation) for f in found] == [
        (2, "self"),
        (1, "self"),
        (3, "represented"),
    ]


def test_duplicates_within_a_group_are_dropped() -> None:
    found = matches_for_phone([MOTHER, MOTHER], [SON, SON], TODAY)
    assert [f.record.person.id for f in found] == [1, 2]


def test_no_one_on_the_phone() -> None:
    assert matches_for_phone([], [], TODAY) == []


# -- additional identification --------------------------------------------------------------

TWO_POLICIES = record(
    10, "Ёлкина", "Алёна", "Фёдоровна", date(1979, 2, 3),
    policies=(policy("ТМ 2025 000777", date(2025, 1, 1), date(2025, 12, 31)),
              policy("ТМ-2026-000888", *YEAR_POLICY)),
)  # fmt: skip
GOOD = {
    "policy_number": "ТМ-2026-000888",
    "surname": "Ёлкина",
    "name": "Алёна",
    "patronymic": "Фёдоровна",
    "birth_date": date(1979, 2, 3),
}


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        pytest.param({}, (), id="all-match"),
        pytest.param(
            {"surname": " ЕЛКИНА ", "name": "алена", "patronymic": "федоровна"}, (),
            id="case-yo-spaces-tolerated",
        ),
        pytest.param({"policy_number": "тм-2026-000888"}, (), id="policy-lowercase"),
        pytest.param({"policy_number": " ТМ-2026- 000888 "}, (), id="policy-spaces"),
        pytest.param({"policy_number": "тм2025000777"}, (), id="older-policy-without-spaces"),
        pytest.param({"policy_number": "ТМ-2026-000889"}, ("policy_number",), id="wrong-policy"),
        pytest.param({"policy_number": ""}, ("policy_number",), id="empty-policy"),
        pytest.param({"surname": "Ёлкин"}, ("surname",), id="wrong-surname"),
        pytest.param({"patronymic": ""}, ("patronymic",), id="missing-patronymic"),
        pytest.param({"birth_date": date(1979, 3, 2)}, ("birth_date",), id="day-month-swapped"),
        pytest.param(
            {"name": "Анна", "birth_date": date(1980, 2, 3), "policy_number": "X"},
            ("policy_number", "name", "birth_date"),
            id="three-fields-fixed-order",
        ),
    ],
)  # fmt: skip
def test_verify_additional(changes: dict[str, object], failed: tuple[str, ...]) -> None:
    given = {**GOOD, **changes}
    check = verify_additional(TWO_POLICIES, **given)  # type: ignore[arg-type]
    assert check == AdditionalCheck(ok=failed == (), failed=failed, person_id=10)


def test_verify_additional_is_callable_positionally() -> None:
    check = verify_additional(
        TWO_POLICIES, "ТМ-2026-000888", "Елкина", "Алена", "Федоровна", date(1979, 2, 3)
    )
    assert check.ok


def test_mismatch_names_fields_never_stored_values() -> None:
    check = verify_additional(
        TWO_POLICIES, "НЕТ-1", "Иванова", "Ольга", "Ивановна", date(1990, 1, 1)
    )
    assert check.failed == ("policy_number", "surname", "name", "patronymic", "birth_date")
    shown = repr(check) + " ".join(check.failed)
    for stored in ("ТМ-2026-000888", "Ёлкина", "Алёна", "Фёдоровна", "1979"):
        assert stored not in shown


def test_person_without_patronymic_matches_empty_patronymic() -> None:
    person = record(11, "Smith", "John", "", date(1990, 1, 1), sex=Sex.MALE)
    assert verify_additional(person, "ТМ-000011", "smith", "JOHN", " ", date(1990, 1, 1)).ok


def test_person_without_policies_fails_on_policy_number() -> None:
    person = record(12, "Орлов", "Пётр", "", date(1970, 1, 1), policies=())
    check = verify_additional(person, "ТМ-000012", "Орлов", "Петр", "", date(1970, 1, 1))
    assert check.failed == ("policy_number",)


@pytest.mark.parametrize(
    ("caller", "needs"),
    [
        pytest.param(PARENT_PHONE, False, id="registered-number"),
        pytest.param(OTHER_PHONE, True, id="other-number"),
        pytest.param("", True, id="withheld-number"),
    ],
)
def test_needs_additional_identification(caller: str, needs: bool) -> None:
    assert needs_additional_identification(caller, MOTHER) is needs


def test_child_without_phone_needs_additional_identification_by_phone_alone() -> None:
    assert needs_additional_identification(PARENT_PHONE, SON) is True


# -- registering a phone --------------------------------------------------------------------

NO_PHONE = record(13, "Орлов", "Пётр", "Ильич", date(1970, 1, 1), sex=Sex.MALE)


def passed_check() -> AdditionalCheck:
    return verify_additional(NO_PHONE, "ТМ-000013", "Орлов", "Петр", "Ильич", date(1970, 1, 1))


def test_register_phone_after_a_passed_check() -> None:
    assert passed_check().ok
    assert register_phone(NO_PHONE, "8 (903) 555-00-11", passed_check()) == Phone(
        OTHER_PHONE, verified=True
    )


@pytest.mark.parametrize(
    ("check", "message_part"),
    [
        pytest.param(
            AdditionalCheck(ok=False, failed=("surname", "birth_date")),
            re.escape("did not pass (surname, birth_date)"),
            id="failed-check",
        ),
        pytest.param(AdditionalCheck(ok=False, failed=()), "not done", id="no-check"),
        pytest.param(
            AdditionalCheck(ok=True, failed=(), person_id=1), "another person", id="other-person"
        ),
    ],
)
def test_register_phone_refused_without_a_passed_check(
    check: AdditionalCheck, message_part: str
) -> None:
    with pytest.raises(IdentificationError, match=message_part):
        register_phone(NO_PHONE, "8 (903) 555-00-11", check)


def test_register_phone_refuses_a_bad_phone_even_after_a_passed_check() -> None:
    with pytest.raises(PhoneError):
        register_phone(NO_PHONE, "903 555", passed_check())


def test_unbound_passed_check_is_accepted() -> None:
    check = AdditionalCheck(ok=True, failed=())
    assert register_phone(NO_PHONE, "+7 903 555 00 11", check).e164 == OTHER_PHONE
