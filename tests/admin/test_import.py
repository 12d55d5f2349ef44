"""The registry import: bad rows named by line, the rest imported, re-import a no-op."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from console.admin import seed
from console.admin.csvimport import ImportFileError, read_file
from console.admin.registry import import_rows
from console.store import registry
from console.store.models import InsuredPerson, PhoneNumber, Policy, Representative
from tests.admin.csvfiles import row_values, write_csv
from tests.conftest import NOW, TODAY

TABLES = ("insured_persons", "policies", "phones", "representatives")


async def snapshot(db) -> dict[str, list[tuple]]:
    out = {}
    async with db.transaction() as s:
        for t in TABLES:
            out[t] = [tuple(r) for r in await s.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
    return out


def thousand_rows_with_three_bad() -> tuple[list[list[str]], dict[int, str]]:
    rows = [row_values(r) for r in seed.generate(1000, seed=7, today=TODAY)]
    parents = {r[11] for r in rows}

    def not_a_parent(i: int) -> int:  # a broken parent row would also break its children's link
        while rows[i][0] in parents or not rows[i][10]:
            i += 1
        return i

    a, b, c = not_a_parent(10), not_a_parent(500), not_a_parent(980)
    rows[a][8] = "31.02.1990"  # no such day
    rows[b][9] = "X"  # sex
    rows[c][10] = "12345"  # not a phone
    # line numbers: the header is line 1, so rows[i] is on line i + 2
    return rows, {a + 2: "birth_date", b + 2: "sex", c + 2: "phone"}


async def test_three_bad_rows_among_a_thousand(db, tmp_path) -> None:
    rows, bad = thousand_rows_with_three_bad()
    path = write_csv(tmp_path / "sales.csv", rows)
    report = await import_rows(db, read_file(path), now=NOW, source="sales.csv", actor="test")
    assert report.rows == 1000
    assert report.counts.inserted == 997
    assert {e.line: e.field for e in report.errors} == bad
    async with db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(Policy)) == 997
        assert await s.scalar(select(func.count()).select_from(InsuredPerson)) == 997
        links = await s.scalar(select(func.count()).select_from(Representative))
        phones = await s.scalar(select(func.count()).select_from(PhoneNumber))
    # the seed gives children to some parents; each child row links to its parent
    children = sum(1 for r in rows if r[11])
    assert links >= children - 3
    assert phones == sum(1 for i, r in enumerate(rows) if r[10] and i + 2 not in bad)

    before = await snapshot(db)
    again = await import_rows(db, read_file(path), now=NOW, source="sales.csv", actor="test")
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 997)
    assert again.links.linked == 0
    assert await snapshot(db) == before


async def test_changed_row_updates_person_and_policy_in_place(db, tmp_path) -> None:
    rows = [row_values(r) for r in seed.generate(20, seed=3, today=TODAY)]
    path = write_csv(tmp_path / "a.csv", rows)
    await import_rows(db, read_file(path), now=NOW, source="a.csv", actor="test")
    rows[0][5] = "Новофамильная"
    rows[0][4] = "2030-01-01"
    write_csv(path, rows)
    report = await import_rows(db, read_file(path), now=NOW, source="a.csv", actor="test")
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 1, 19)
    async with db.transaction() as s:
        rec = await registry.find_by_policy(s, rows[0][0])
    assert rec.person.surname == "Новофамильная"
    assert rec.policies[0].valid_to == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("encoding", "delimiter", "dates", "sex", "phone_form"),
    [
        ("utf-8", ",", "iso", "cyrillic", "e164"),
        ("utf-8-sig", ";", "ru", "latin", "national"),
        ("cp1251", ";", "ru", "cyrillic", "national"),
    ],
    ids=["utf8-comma-iso", "utf8bom-semicolon-ru-dates", "cp1251-semicolon"],
)
async def test_office_file_forms(db, tmp_path, encoding, delimiter, dates, sex, phone_form) -> None:
    people = list(seed.generate(30, seed=11, today=TODAY))
    rows = [row_values(r, dates=dates, sex=sex, phone_form=phone_form) for r in people]
    path = write_csv(tmp_path / "f.csv", rows, delimiter=delimiter, encoding=encoding)
    report = await import_rows(db, read_file(path), now=NOW, source="f.csv", actor="test")
    assert report.errors == []
    assert report.counts.inserted == 30
    async with db.transaction() as s:
        rec = await registry.find_by_policy(s, people[0].policy.number)
    assert rec.person.surname == people[0].surname  # Cyrillic survived the encoding
    assert rec.person.birth_date == people[0].birth_date
    assert rec.person.sex == people[0].sex
    assert [p.e164 for p in rec.phones] == ([people[0].phone] if people[0].phone else [])


def test_wrong_headers_are_refused_before_any_row(tmp_path) -> None:
    path = write_csv(tmp_path / "h.csv", [], header=["policy", "surname"])
    with pytest.raises(ImportFileError, match="missing columns: policy_number"):
        list(read_file(path))


def test_row_with_wrong_field_count_is_named(tmp_path) -> None:
    good = row_values(next(seed.generate(1, seed=1, today=TODAY)))
    path = write_csv(tmp_path / "n.csv", [good, good[:5]])
    items = list(read_file(path))
    assert str(items[1]) == "line 3: row: has 5 fields, expected 12"


def test_errors_never_echo_the_value(tmp_path) -> None:
    r = row_values(next(seed.generate(1, seed=1, today=TODAY)))
    r[8] = "Иванов-не-дата"
    (err,) = read_file(write_csv(tmp_path / "e.csv", [r]))
    assert err.field == "birth_date"
    assert "Иванов" not in str(err)


async def test_representative_in_a_later_row_is_linked(db, tmp_path) -> None:
    people = list(seed.generate(60, seed=5, today=TODAY))
    children = [p for p in people if p.representative_policy]
    assert children, "the seed should give some parents children"
    rows = [row_values(r) for r in reversed(people)]  # children before parents
    path = write_csv(tmp_path / "r.csv", rows)
    report = await import_rows(db, read_file(path), now=NOW, source="r.csv", actor="test")
    assert report.links.linked == len(children)
    async with db.transaction() as s:
        child = await registry.find_by_policy(s, children[0].policy.number)
        parent = await registry.find_by_policy(s, children[0].representative_policy)
    assert child.represented_by == (parent.person.id,)
