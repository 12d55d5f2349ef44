from __future__ import annotations

import pytest

from console.store import staff
from tests.conftest import NOW


async def test_staff_account_life(db) -> None:
    async with db.transaction() as s:
        m = await staff.add_staff(
            s, login="ped1", password="correct horse", role=staff.Role.DOCTOR,
            specialty="pediatrician", on_duty=True, now=NOW,
        )  # fmt: skip
    assert (m.role, m.specialty, m.on_duty) == (staff.Role.DOCTOR, "pediatrician", True)
    async with db.transaction() as s:
        assert (await staff.authenticate(s, "ped1", "correct horse")).id == m.id
        assert await staff.authenticate(s, "ped1", "wrong horse") is None
        assert await staff.authenticate(s, "nobody", "correct horse") is None
        row = await s.get(staff.Staff, m.id)
        assert row.password_hash.startswith("$argon2id$")
        assert "correct horse" not in row.password_hash


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": staff.Role.DOCTOR}, "specialty"),
        ({"role": staff.Role.OPERATOR, "on_duty": True}, "only doctors"),
        ({"role": staff.Role.OPERATOR, "password": "short"}, "at least 8"),
        ({"role": staff.Role.OPERATOR, "login": "  "}, "empty"),
    ],
    ids=["doctor-without-specialty", "operator-on-duty", "short-password", "blank-login"],
)
async def test_bad_accounts_are_refused(db, kwargs, message) -> None:
    args = {"login": "x1", "password": "long enough", "now": NOW} | kwargs
    async with db.transaction() as s:
        with pytest.raises(staff.StaffError, match=message):
            await staff.add_staff(s, **args)


async def test_login_is_unique(db) -> None:
    async with db.transaction() as s:
        await staff.add_staff(s, login="op1", password="password1", role=staff.Role.OPERATOR,
                              now=NOW)  # fmt: skip
    with pytest.raises(staff.StaffError, match="taken"):
        async with db.transaction() as s:
            await staff.add_staff(s, login="op1", password="password2",
                                  role=staff.Role.OPERATOR, now=NOW)  # fmt: skip


async def test_database_errors_do_not_carry_personal_data(db) -> None:
    """A failed statement's message (which may reach a log) hides its parameters."""
    from sqlalchemy.exc import IntegrityError

    from console.store.models import PhoneNumber

    with pytest.raises(IntegrityError) as err:
        async with db.transaction() as s:
            s.add(PhoneNumber(person_id=424242, e164="+79161234567", verified=False, added_at=NOW))
            await s.flush()
    assert "+79161234567" not in str(err.value)
    assert "hidden due to hide_parameters" in str(err.value)
