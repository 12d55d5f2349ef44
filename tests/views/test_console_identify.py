"""Identification in the console when the phone is not the person's: search, badge, register.

A caller rings from a phone registered to somebody else (a relative's, a new
number): the medconsultant finds the person by policy number or by name and
birth date, sees the policy's badge, takes the additional identification and
registers the phone, all on the real hub.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt

from console.identity.phones import format_national
from tests.client.conftest import owner_phones, reachable
from tests.conftest import TODAY
from tests.views.test_console_flow import accept_offer
from tests.views.ui import click, press, type_text, until

if TYPE_CHECKING:
    from datetime import date


def full_name(p) -> str:
    return " ".join(x for x in (p.surname, p.name, p.patronymic) if x)


async def test_a_phone_of_somebody_else_search_by_policy_and_register_it(
    qtbot, hub_server, open_console, patient
) -> None:
    people = hub_server.people
    phone = owner_phones(people, 1)[0]
    reached = reachable(people, phone)
    caller = next(
        p
        for p in people
        if p not in reached
        and p.phone != phone
        and p.policy.valid_from <= TODAY <= p.policy.valid_to
    )
    op = await open_console("op1")
    w = op.window
    ident = w.identity
    pat = await patient(phone)
    await pat.start("chat")
    await accept_offer(qtbot, op)
    await until(lambda: ident.model.rowCount() >= 1, what="the phone's own people")
    assert caller.policy.number not in [p.policy_number for p in ident.model.people]

    # Ctrl+F puts the cursor in the policy search; Enter searches
    await press(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert ident.policy.hasFocus()
    await type_text(ident.policy, caller.policy.number, enter=True)
    await until(
        lambda: [p.policy_number for p in ident.model.people] == [caller.policy.number],
        what="the policy's holder",
    )
    # found by policy, not by this phone: take the additional identification first
    assert ident.additional.isVisible() and not ident.register_button.isEnabled()
    ident.matches.selectRow(0)
    await click(ident.select_button)
    await until(
        lambda: w.contact.person.policy_number == caller.policy.number, what="the person chosen"
    )
    assert full_name(caller) in ident.card.text()
    assert ident.badge.text() == "valid"
    # the phone is not theirs: the additional identification, then registering it
    assert ident.additional.isVisible() and ident.register_button.isEnabled()
    await click(ident.register_button)
    await until(
        lambda: format_national(phone) in w.contact.person.phones, what="the phone registered"
    )
    await until(lambda: not ident.additional.isVisible(), what="the form to go away")


async def test_search_by_name_and_birth_date_and_an_expired_policy_blocks_the_transfer(
    qtbot, hub_server, open_console, patient
) -> None:
    people = hub_server.people
    phone = owner_phones(people, 1)[0]
    expired = next(
        p for p in people if p.policy.valid_to < TODAY and p not in reachable(people, phone)
    )
    op = await open_console("op1")
    w = op.window
    ident = w.identity
    pat = await patient(phone)
    await pat.start("chat")
    await accept_offer(qtbot, op)
    await until(lambda: ident.model.rowCount() >= 1, what="the phone's own people")

    born: date = expired.birth_date
    ident.birth.setDate(QDate(born.year, born.month, born.day))
    await type_text(ident.name, full_name(expired).upper(), enter=True)  # any case will do
    await until(
        lambda: expired.policy.number in [p.policy_number for p in ident.model.people],
        what="the person found by name and birth date",
    )
    row = [p.policy_number for p in ident.model.people].index(expired.policy.number)
    ident.matches.selectRow(row)
    await click(ident.select_button)
    await until(
        lambda: (
            w.contact.person is not None and w.contact.person.policy_number == expired.policy.number
        ),
        what="the person chosen",
    )
    assert ident.badge.text() == "EXPIRED" and ident.badge.isVisible()
    assert not w.transfer.button.isEnabled()
    assert "policy" in w.transfer.blocked.text().lower()
