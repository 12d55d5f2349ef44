"""Signed conclusions on SQLite and PostgreSQL: versions, never changed, the medical card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, IntegrityError

from console.store import conclusions, hubstore, registry
from console.store import staff as staff_repo
from console.store.models import AttachmentRow, ConclusionRow
from tests.conftest import NOW
from tests.store.test_registry import load_family

PHONE = "+79161234567"  # the father's, who represents the daughter


async def _setup(db) -> tuple[int, int]:
    """The family, a pediatrician, and a contact about the daughter from the father's phone."""
    await load_family(db)
    async with db.transaction() as s:
        child = await registry.find_by_policy(s, "P-3")
        doctor = await staff_repo.add_staff(
            s,
            login="ped1",
            password="x" * 12,
            role=staff_repo.Role.DOCTOR,
            now=NOW,
            full_name="Лебедева Ольга Николаевна",
            specialty="pediatrician",
            on_duty=True,
        )
        for cid in ("c-1", "c-2"):
            await hubstore.add_contact(
                s,
                contact_id=cid,
                channel="chat",
                kind="urgent",
                caller_phone=PHONE,
                person_id=child.person.id,
                arrived_at=NOW,
            )
    return child.person.id, doctor.id


async def _sign(db, contact_id: str, person_id: int, doctor_id: int, minutes: int, **text):
    async with db.transaction() as s:
        return await conclusions.sign(
            s,
            contact_id=contact_id,
            person_id=person_id,
            doctor_id=doctor_id,
            doctor_name="Лебедева Ольга Николаевна",
            doctor_specialty="pediatrician",
            signed_at=NOW + timedelta(minutes=minutes),
            **text,
        )


async def test_signing_again_adds_a_version_and_keeps_the_first(db) -> None:
    person_id, doctor_id = await _setup(db)
    first = await _sign(
        db, "c-1", person_id, doctor_id, 10, complaints="Кашель", recommendations="Пить чай"
    )
    second = await _sign(
        db,
        "c-1",
        person_id,
        doctor_id,
        12,
        complaints="Кашель три дня",
        recommendations="Обильное тёплое питьё",
        in_person_visit=True,
    )
    assert (first.version, second.version) == (1, 2)
    assert second.signed_at == NOW + timedelta(minutes=12)  # timezone-aware, UTC
    async with db.transaction() as s:
        latest = await conclusions.latest(s, "c-1")
        history = await conclusions.versions(s, "c-1")
        assert await conclusions.latest(s, "c-2") is None
        assert await conclusions.get(s, first.id) == first
    assert latest == second and latest.in_person_visit
    assert [c.complaints for c in history] == ["Кашель", "Кашель три дня"]
    assert history[0] == first  # unchanged by the second signing


async def test_a_signed_conclusion_cannot_be_updated(db) -> None:
    person_id, doctor_id = await _setup(db)
    signed = await _sign(db, "c-1", person_id, doctor_id, 10, recommendations="Покой")
    with pytest.raises(DBAPIError, match="never changes"):
        async with db.transaction() as s:
            await s.execute(
                update(ConclusionRow)
                .where(ConclusionRow.id == signed.id)
                .values(recommendations="Антибиотик")
            )
    async with db.transaction() as s:
        assert (await conclusions.get(s, signed.id)) == signed


async def test_one_version_number_once_per_contact(db) -> None:
    person_id, doctor_id = await _setup(db)
    await _sign(db, "c-1", person_id, doctor_id, 10)
    with pytest.raises(IntegrityError):
        async with db.transaction() as s:
            s.add(
                ConclusionRow(
                    contact_id="c-1",
                    person_id=person_id,
                    version=1,
                    doctor_id=doctor_id,
                    doctor_name="x",
                    signed_at=NOW,
                    complaints="",
                    history="",
                    recommendations="",
                    in_person_visit=False,
                    no_conclusion=False,
                )
            )


async def test_the_person_and_the_phone_see_the_latest_version_of_each_contact(db) -> None:
    person_id, doctor_id = await _setup(db)
    await _sign(db, "c-1", person_id, doctor_id, 10, recommendations="v1")
    await _sign(db, "c-1", person_id, doctor_id, 11, recommendations="v2")
    await _sign(db, "c-2", person_id, doctor_id, 30, no_conclusion=True)
    async with db.transaction() as s:
        mine = await conclusions.of_person(s, person_id)
        by_phone = await conclusions.of_phone(s, PHONE)
        assert await conclusions.of_phone(s, "+79990000000") == []
        assert await conclusions.caller_phone(s, mine[0].id) == PHONE
        assert await conclusions.caller_phone(s, 10_000) is None
    assert [(c.contact_id, c.version) for c in mine] == [("c-2", 1), ("c-1", 2)]
    assert by_phone == mine
    assert mine[0].no_conclusion and mine[1].recommendations == "v2"


async def test_card_files_are_what_the_patient_sent_about_the_person(db) -> None:
    person_id, _doctor_id = await _setup(db)
    async with db.transaction() as s:
        for att_id, name, owner in (
            ("a1", "анализ крови.pdf", f"patient:{PHONE}"),
            ("a2", "памятка.pdf", "staff:1"),
        ):
            await hubstore.add_attachment(
                s,
                AttachmentRow(
                    id=att_id,
                    owner=owner,
                    name=name,
                    mime="application/pdf",
                    size=10,
                    sha256="0" * 64,
                    at=NOW,
                ),
            )
        await hubstore.add_chat(
            s, contact_id="c-1", at=NOW, author="patient", text="", attachment_id="a1"
        )
        await hubstore.add_chat(
            s,
            contact_id="c-2",
            at=NOW + timedelta(minutes=1),
            author="staff",
            text="",
            attachment_id="a2",
        )
        files = await conclusions.card_files(s, person_id)
        assert await conclusions.card_files(s, person_id + 1000) == []
    assert [(f.attachment_id, f.name, f.contact_id) for f in files] == [
        ("a1", "анализ крови.pdf", "c-1")
    ]
