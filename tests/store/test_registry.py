"""The registry's lookups and writes, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from console.identity.model import (
    Consent,
    ConsentKind,
    ConsentState,
    InsuredImport,
    Policy,
    Sex,
)
from console.identity.sms import SmsCode
from console.store import audit, bulk, consents, registry
from tests.conftest import NOW, TODAY


def person(
    number: str,
    surname: str,
    name: str,
    birth: date,
    phone: str | None = None,
    rep: str | None = None,
    patronymic: str = "Иванович",
    sex: Sex = Sex.MALE,
) -> InsuredImport:
    return InsuredImport(
        policy=Policy(
            number=number,
            program="Базовая",
            purchased_on=TODAY - timedelta(days=30),
            valid_from=TODAY - timedelta(days=30),
            valid_to=TODAY + timedelta(days=335),
        ),
        surname=surname,
        name=name,
        patronymic=patronymic,
        birth_date=birth,
        sex=sex,
        phone=phone,
        representative_policy=rep,
    )


FAMILY = [
    person("P-1", "Фёдоров", "Пётр", date(1985, 3, 1), phone="+79161234567"),
    person("P-2", "Фёдоров", "Артём", date(2017, 5, 5), phone="+79161234567", rep="P-1"),
    person("P-3", "Фёдорова", "Алёна", date(2020, 7, 7), rep="P-1", sex=Sex.FEMALE,
           patronymic="Петровна"),
    person("P-4", "Смирнов", "Иван", date(1990, 1, 1), phone="+79031112233"),
]  # fmt: skip


async def load_family(db) -> None:
    async with db.transaction() as s:
        counts = await bulk.upsert_batch(s, FAMILY, NOW)
        links = await bulk.link_representatives(
            s,
            [(r.policy.number, r.representative_policy) for r in FAMILY if r.representative_policy],
        )
    assert counts.inserted == 4
    assert links.linked == 2


async def test_phone_finds_owners_and_the_people_they_represent(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        owners, represented = await registry.find_by_phone(s, "+79161234567")
    # the phone is the father's and the son's; the daughter has none but is represented
    assert sorted(r.person.name for r in owners) == ["Артём", "Пётр"]
    assert [r.person.name for r in represented] == ["Алёна"]
    father = next(r for r in owners if r.person.name == "Пётр")
    assert len(father.represents) == 2
    assert father.policies[0].number == "P-1"
    assert father.phones[0].e164 == "+79161234567"


async def test_unknown_phone_finds_nobody(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        assert await registry.find_by_phone(s, "+79990000000") == ([], [])


async def test_policy_lookup_ignores_spaces_and_case(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        rec = await registry.find_by_policy(s, " p-4 ")
        assert rec is not None and rec.person.surname == "Смирнов"
        assert await registry.find_by_policy(s, "P-404") is None


@pytest.mark.parametrize(
    ("surname", "name", "patronymic"),
    [
        ("Фёдорова", "Алёна", "Петровна"),
        ("ФЕДОРОВА", "алена", "петровна"),
        ("  федорова ", "Алена", None),
    ],
    ids=["exact", "case-and-yo", "no-patronymic"],
)
async def test_name_and_birth_date_lookup(db, surname, name, patronymic) -> None:
    await load_family(db)
    async with db.transaction() as s:
        found = await registry.find_by_name(s, surname, name, patronymic, date(2020, 7, 7))
        assert [r.policies[0].number for r in found] == ["P-3"]
        assert await registry.find_by_name(s, surname, name, patronymic, date(2020, 7, 8)) == []


async def test_registering_a_phone_is_idempotent_and_keeps_verification(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        rec = await registry.find_by_policy(s, "P-3")
        await registry.add_phone(s, rec.person.id, "+79260000001", verified=True, now=NOW)
        await registry.add_phone(s, rec.person.id, "+79260000001", verified=False, now=NOW)
        owners, _ = await registry.find_by_phone(s, "+79260000001")
    assert [(r.person.id, r.phones[0].verified) for r in owners] == [(rec.person.id, True)]


async def test_a_new_phone_is_added_once_and_says_so(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        child = await registry.find_by_policy(s, "P-3")  # has no phone of her own
        father = await registry.find_by_policy(s, "P-1")
        assert await registry.add_new_phone(
            s, child.person.id, "+79161234567", verified=True, now=NOW
        )
        assert not await registry.add_new_phone(
            s, child.person.id, "+79161234567", verified=False, now=NOW
        )
        # the father's own phone: already his
        assert not await registry.add_new_phone(
            s, father.person.id, "+79161234567", verified=True, now=NOW
        )
    async with db.transaction() as s:
        owners, _ = await registry.find_by_phone(s, "+79161234567")
    phones = {r.person.name: [(p.e164, p.verified) for p in r.phones] for r in owners}
    assert phones["Алёна"] == [("+79161234567", True)]
    assert phones["Пётр"] == [("+79161234567", False)]  # untouched


async def test_consent_round_trip(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        pid = (await registry.find_by_policy(s, "P-1")).person.id
        before = await consents.get_consents(s, pid)
        assert {c.state for c in before.values()} == {ConsentState.NOT_SENT}
        sent = Consent(ConsentKind.PERSONAL_DATA, ConsentState.SENT, "pd-1", sent_at=NOW)
        await consents.save_consent(s, pid, sent)
        await consents.save_consent(
            s, pid, replace(sent, state=ConsentState.CONFIRMED, confirmed_at=NOW)
        )
    async with db.transaction() as s:
        after = await consents.get_consents(s, pid)
    assert after[ConsentKind.PERSONAL_DATA].state is ConsentState.CONFIRMED
    assert after[ConsentKind.PERSONAL_DATA].confirmed_at == NOW
    assert after[ConsentKind.REMOTE_CONSULTATION].state is ConsentState.NOT_SENT


async def test_sms_codes_keep_the_newest_and_its_attempts(db) -> None:
    code = SmsCode("+79161234567", "ab" * 32, NOW, NOW + timedelta(minutes=5))
    async with db.transaction() as s:
        await consents.add_sms_code(s, replace(code, issued_at=NOW - timedelta(minutes=2)))
        row_id = await consents.add_sms_code(s, code)
        await consents.update_sms_code(s, row_id, replace(code, attempts=2))
    async with db.transaction() as s:
        got_id, got = await consents.last_sms_code(s, "+79161234567")
        assert await consents.last_sms_code(s, "+79000000000") is None
    assert got_id == row_id
    assert (got.attempts, got.issued_at, got.used) == (2, NOW, False)


async def test_audit_log_appends_one_row_per_person(db) -> None:
    async with db.transaction() as s:
        await audit.record(s, at=NOW, actor="op1", action="registry.find", person_ids=[1, 2])
        await audit.record(s, at=NOW, actor="op1", action="consent.send", contact_id="c-1")
    async with db.transaction() as s:
        rows = await audit.entries(s)
    assert [(r.action, r.person_id, r.contact_id) for r in rows] == [
        ("registry.find", 1, None),
        ("registry.find", 2, None),
        ("consent.send", None, "c-1"),
    ]
    assert rows[0].at == NOW
