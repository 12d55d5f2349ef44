"""What the hub keeps, on SQLite and PostgreSQL: the person a contact is about, in bulk."""

from __future__ import annotations

from console.store import hubstore, registry
from tests.conftest import NOW
from tests.store.test_registry import load_family


async def test_person_names_of_contacts(db) -> None:
    await load_family(db)
    async with db.transaction() as s:
        child = await registry.find_by_policy(s, "P-3")
        for cid, person_id in (("c-1", child.person.id), ("c-2", None)):
            await hubstore.add_contact(
                s,
                contact_id=cid,
                channel="chat",
                kind="urgent",
                caller_phone="+79161234567",
                person_id=person_id,
                arrived_at=NOW,
            )
    async with db.transaction() as s:
        names = await hubstore.person_names_of_contacts(s, ["c-1", "c-2", "c-unknown"])
        assert await hubstore.person_names_of_contacts(s, []) == {}
    assert names == {"c-1": ("Фёдорова", "Алёна", "Петровна"), "c-2": None}
