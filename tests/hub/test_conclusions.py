"""The doctor's conclusion through a real hub: the doctor's card, signing, the PDF, audit.

A 9-year-old reached through a parent's phone is transferred to the duty
pediatrician, who sees the card (reason, representative, medical card, limit),
signs a conclusion (never a diagnosis: the protocol has no field for one), and
ends; the patient is sent the PDF's link and can download it, nobody else can.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from console.identity.routing import age_on
from console.store import audit
from tests.conftest import TODAY
from tests.hub.clients import WsClient, parse, patient_login, staff_login
from tests.hub.test_flow import adult_with_phone, staff

RECOMMENDATIONS = "Обильное тёплое питьё; при температуре выше 38,5 — жаропонижающее по возрасту"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def patient(h, phone: str) -> tuple[WsClient, dict]:
    """A signed-in patient's socket, with its session token (``.token``) for downloads."""
    c = WsClient(h.base, h.session, "/ws/patient")
    c.token = await patient_login(h.session, h.base, phone, h.outbox)  # type: ignore[attr-defined]
    welcome = await c.connect(c.token)  # type: ignore[attr-defined]
    assert welcome["type"] == "welcome", welcome
    return c, welcome


def nine_year_old(people) -> Any:
    """A child of 9 whose registered phone is a parent's (seed 3 has one)."""
    return next(
        p
        for p in people
        if p.phone
        and p.representative_policy
        and age_on(p.birth_date, TODAY) == 9
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )


async def _upload(h, token: str, data: bytes, name: str) -> str:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("file", data, filename=name, content_type="application/octet-stream")
    async with h.session.post(
        f"{h.base}/api/upload", data=form, headers={"Authorization": f"Bearer {token}"}
    ) as r:
        body = await r.json()
        assert r.status == 200, body
        return body["id"]


async def _get(h, url: str, bearer: str | None = None, **params: str) -> tuple[int, bytes, str]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    async with h.session.get(f"{h.base}{url}", headers=headers, params=params) as r:
        return r.status, await r.read(), r.content_type


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def transferred_child(h) -> tuple[WsClient, WsClient, WsClient, str, str, Any]:
    """op1 takes the child's contact (chat), with a file and the reason, and transfers it
    to the duty pediatrician, who takes it: (op, ped, patient, contact id, token, person)."""
    child = nine_year_old(h.people)
    op = await staff(h, "op1")
    ped = await staff(h, "pediatrician1")
    pat, welcome = await patient(h, child.phone)
    me = next(p for p in welcome["persons"] if p["policy_number"] == child.policy.number)
    await pat.call({"type": "start", "channel": "chat", "person_id": me["person_id"]})
    cid = (await op.expect("offer"))["contact"]["id"]
    await op.call({"type": "accept", "contact_id": cid})
    # another medconsultant, idle longer than op1 will be: the hand-back is still op1's
    op.other = await staff(h, "op2")  # type: ignore[attr-defined]
    token = pat.token
    file_id = await _upload(h, token, PNG, "горло.png")
    await pat.call({"type": "chat", "text": "Температура 38,5", "attachment_id": file_id})
    for kind in ("personal_data", "remote_consultation"):
        await op.call({"type": "send_consent", "contact_id": cid, "kind": kind})
        req = await pat.expect("consent_request", kind=kind)
        await pat.call(
            {"type": "confirm_consent", "kind": kind, "text_version": req["text_version"]}
        )
    await op.call({"type": "set_reason", "contact_id": cid, "reason": "Температура второй день"})
    assert (await op.call({"type": "transfer", "contact_id": cid, "to": "duty:pediatrician"}))[
        "type"
    ] == "ack"
    await op.call({"type": "wrapup_done", "contact_id": cid})
    await op.call({"type": "set_state", "state": "available"})
    assert (await ped.expect("offer"))["contact"]["id"] == cid
    await ped.call({"type": "accept", "contact_id": cid})
    return op, ped, pat, cid, token, child


@pytest.mark.parametrize(
    "hub_backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True
)
async def test_the_pediatrician_signs_the_patient_downloads_the_pdf(hub_server) -> None:
    h = hub_server
    op, ped, pat, cid, token, child = await transferred_child(h)

    # the doctor's card: the reason, the representative, the medical card, the limit
    view = (await ped.expect("contact"))["contact"]
    parse({"type": "contact", "contact": view})
    assert view["reason"] == "Температура второй день"
    assert view["person"]["age"] == 9 and view["person"]["policy_number"] == child.policy.number
    card = view["consultation"]
    assert card["limit_s"] == 30 * 60  # urgent
    assert card["started_at"] and card["transferred_by"] == "Смирнова Анна Викторовна"
    assert card["representative"] and card["representative_phone"].startswith("8 (")
    assert [(d["kind"], d["name"]) for d in card["documents"]] == [("file", "горло.png")]
    assert card.get("conclusion") is None
    assert [c["text"] for c in view["chat"]] == ["Температура 38,5"]

    # no diagnosis, prescription, sick leave or certificate: there is no field for them
    for field in ("diagnosis", "prescription", "sick_leave", "certificate"):
        refused = await ped.call(
            {"type": "save_conclusion", "contact_id": cid, "recommendations": "x", field: "J06.9"}
        )
        assert (refused["type"], refused["code"], refused["field"]) == (
            "error",
            "bad_message",
            field,
        )
    missing = await ped.call({"type": "save_conclusion", "contact_id": cid, "complaints": "x"})
    assert (missing["code"], missing["field"]) == ("bad_message", "recommendations")
    too_long = await ped.call(
        {"type": "save_conclusion", "contact_id": cid, "recommendations": "я" * 8001}
    )
    assert too_long["field"] == "recommendations"
    not_theirs = await op.call(
        {"type": "save_conclusion", "contact_id": cid, "complaints": "x", "recommendations": "y"}
    )
    assert not_theirs["code"] == "forbidden"

    signed = await ped.call(
        {
            "type": "save_conclusion",
            "contact_id": cid,
            "complaints": "Температура 38,5 второй день, насморк",
            "history": "Болеет с позавчера",
            "recommendations": RECOMMENDATIONS,
            "in_person_visit": False,
        }
    )
    assert signed["type"] == "ack", signed
    after = (await ped.expect("contact"))["contact"]["consultation"]["conclusion"]
    assert after["version"] == 1 and after["doctor_name"] == "Лебедева Ольга Николаевна"
    assert after["recommendations"] == RECOMMENDATIONS and after["signed_at"]
    ready = await pat.expect("conclusion_ready")
    assert ready["contact_id"] == cid and ready["url"] == after["url"]

    # the patient downloads it (header or ?token=, as the page's link does); Cyrillic text
    status, body, mime = await _get(h, ready["url"], token)
    assert (status, mime) == (200, "application/pdf")
    text = pdf_text(body)
    assert "Рекомендации" in text and "жаропонижающее по возрасту" in text
    assert f"{child.surname} {child.name}" in text and "9 лет" in text
    assert "Лебедева Ольга Николаевна, врач-педиатр" in text
    assert "не устанавливает диагноз" in text and "36.2" in text
    assert (await _get(h, ready["url"], None, token=token))[0] == 200
    assert (await _get(h, ready["url"]))[0] == 401
    # another phone's patient cannot; staff can; a number that is no conclusion is not found
    other, _ = await patient(h, adult_with_phone(h.people).phone)
    assert (await _get(h, ready["url"], other.token))[0] == 404
    assert (await _get(h, "/api/conclusions/99999.pdf", token))[0] == 404
    assert (await _get(h, ready["url"], await staff_login(h.session, h.base, "op2")))[0] == 200

    # saving again signs version 2; version 1 stays as it was
    again = await ped.call(
        {
            "type": "save_conclusion",
            "contact_id": cid,
            "complaints": "Температура 38,5 второй день, насморк",
            "recommendations": RECOMMENDATIONS + ". Очный осмотр педиатра",
            "in_person_visit": True,
        }
    )
    assert again["type"] == "ack"
    second = (await ped.expect("contact"))["contact"]["consultation"]["conclusion"]
    assert second["version"] == 2 and second["url"] != after["url"]
    assert "Очный осмотр" not in pdf_text((await _get(h, after["url"], token))[1])
    assert "Необходим очный приём" in pdf_text((await _get(h, second["url"], token))[1])

    # ending hands the child back to the medconsultant who transferred it
    assert (await ped.call({"type": "end", "contact_id": cid}))["type"] == "ack"
    assert (await ped.expect("contact_gone"))["reason"] == "handed_back"
    back = await op.expect("offer")
    assert back["contact"]["id"] == cid
    assert not [x for x in op.other.seen if x["type"] == "offer"]  # idle longer, not first
    late = await ped.call(
        {"type": "save_conclusion", "contact_id": cid, "complaints": "x", "recommendations": "y"}
    )
    assert late["type"] == "error"  # no longer theirs

    # a patient who signs in again is given the phone's conclusions
    await pat.close()
    again_pat = WsClient(h.base, h.session, "/ws/patient")
    assert (await again_pat.connect(token))["type"] == "welcome"
    listed = await again_pat.expect("conclusion_ready")
    assert listed["url"] == second["url"] and listed["signed_at"]

    async with h.hub.db.transaction() as s:
        actions = [(e.action, e.actor) for e in await audit.entries(s)]
    assert ("conclusion.sign", "pediatrician1") in actions
    assert ("medical_card.read", "pediatrician1") in actions
    assert ("conclusion.read", "op2") in actions
    assert any(a == "conclusion.read" and who.startswith("patient:") for a, who in actions)
    for c in (op, op.other, ped, again_pat, other):
        await c.close()


async def test_no_conclusion_after_the_patient_left(hub_server) -> None:
    h = hub_server
    op, ped, pat, cid, token, _child = await transferred_child(h)
    await ped.expect("contact")
    # the child's parent hangs up: the doctor still records that there is no conclusion
    assert (await pat.call({"type": "hang_up"}))["type"] == "ack"
    ended = (await ped.expect("contact"))["contact"]
    assert ended["state"] == "wrap_up" and ended["consultation"]["limit_s"] == 1800
    done = await ped.call({"type": "save_conclusion", "contact_id": cid, "no_conclusion": True})
    assert done["type"] == "ack", done
    signed = (await ped.expect("contact"))["contact"]["consultation"]["conclusion"]
    assert signed["no_conclusion"] and signed["recommendations"] == ""
    text = pdf_text((await _get(h, signed["url"], token))[1])
    assert "Заключение не дано: недостаточно информации" in text
    for c in (op, op.other, ped, pat):
        await c.close()


async def test_an_appointment_has_fifteen_minutes(hub_server) -> None:
    assert hub_server.hub._consultation_limit("appointment").total_seconds() == 15 * 60
    assert hub_server.hub._consultation_limit("urgent").total_seconds() == 30 * 60
