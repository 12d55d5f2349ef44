"""The admin's command line, run as ``main(argv)`` the way the console script runs it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from console.admin import seed
from console.cli import main
from tests.admin.csvfiles import row_values, write_csv
from tests.conftest import TODAY


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seeded(capsys, db_url) -> str:
    code, out, _ = run(capsys, "db", "seed", "--insured", "300", "--seed", "4",
                       "--today", TODAY.isoformat(), "--db", db_url)  # fmt: skip
    assert code == 0, out
    assert "300 added" in out
    return db_url


def test_db_upgrade_reports_revision(capsys, db_url) -> None:
    import db as migrations

    code, out, _ = run(capsys, "db", "upgrade", "--db", db_url)
    assert code == 0
    assert out.strip() == f"database at revision {migrations.head_revision()}"


def test_find_by_phone_json_contract(capsys, seeded) -> None:
    people = list(seed.generate(300, seed=4, today=TODAY))
    parent = next(p for p in people if any(c.representative_policy == p.policy.number
                                           for c in people))  # fmt: skip
    kids = [c for c in people if c.representative_policy == parent.policy.number]
    national = "8 (" + parent.phone[2:5] + ") " + parent.phone[5:8] + "-" + parent.phone[8:10] \
        + "-" + parent.phone[10:]  # fmt: skip
    code, out, _ = run(capsys, "insured", "find", "--phone", national, "--on", TODAY.isoformat(),
                       "--json", "--db", seeded)  # fmt: skip
    assert code == 0
    found = json.loads(out)
    numbers = {m["policy_number"] for m in found}
    assert numbers == {parent.policy.number} | {k.policy.number for k in kids}
    for m in found:
        for key in ("policy_number", "surname", "name", "patronymic", "birth_date", "age",
                    "route", "warnings", "policy_status"):  # fmt: skip
            assert key in m
        assert m["route"] == ("pediatrician" if m["age"] < 18 else "therapist")
        assert m["policy_status"] in ("valid", "expired", "not_yet_valid")
    assert next(m for m in found if m["policy_number"] == parent.policy.number)["age"] >= 18


def test_find_by_policy_and_by_name(capsys, seeded) -> None:
    p = next(iter(seed.generate(300, seed=4, today=TODAY)))
    code, out, _ = run(capsys, "insured", "find", "--policy", p.policy.number.lower(), "--json",
                       "--db", seeded)  # fmt: skip
    assert code == 0
    assert [m["surname"] for m in json.loads(out)] == [p.surname]
    full = f"{p.surname.upper()} {p.name.replace('ё', 'е')} {p.patronymic}"
    code, out, _ = run(capsys, "insured", "find", "--name", full, "--birth-date",
                       p.birth_date.strftime("%d.%m.%Y"), "--json", "--db", seeded)  # fmt: skip
    assert code == 0
    assert p.policy.number in {m["policy_number"] for m in json.loads(out)}


def test_find_rejects_what_is_not_a_phone(capsys, seeded) -> None:
    code, _, err = run(capsys, "insured", "find", "--phone", "hello", "--db", seeded)
    assert code == 2
    assert "phone" in err.lower()


def test_staff_add_reads_password_from_stdin(capsys, monkeypatch, db_url) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    code, out, _ = run(capsys, "staff", "add", "--login", "ped2", "--role", "doctor",
                       "--specialty", "pediatrician", "--duty", "--db", db_url)  # fmt: skip
    assert code == 0, out
    code, out, _ = run(capsys, "staff", "list", "--db", db_url)
    assert "ped2" in out and "pediatrician" in out and "duty" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    code, _, err = run(capsys, "staff", "add", "--login", "op9", "--role", "operator",
                       "--db", db_url)  # fmt: skip
    assert code == 2
    assert "at least 8" in err


def test_no_personal_data_in_logs_of_import_and_find(capsys, caplog, tmp_path, db_url) -> None:
    people = list(seed.generate(50, seed=9, today=TODAY))
    rows = [row_values(r) for r in people]
    rows[3][8] = "not a date"
    path = write_csv(tmp_path / "pd.csv", rows)
    caplog.set_level(logging.DEBUG)
    assert main(["insured", "import", str(path), "--db", db_url, "--log-level", "DEBUG"]) == 1
    p = people[0]
    for argv in (["--policy", p.policy.number], ["--phone", p.phone or "+79160000000"],
                 ["--name", f"{p.surname} {p.name} {p.patronymic}", "--birth-date",
                  p.birth_date.isoformat()]):  # fmt: skip
        assert main(["insured", "find", *argv, "--db", db_url, "--log-level", "DEBUG"]) == 0
    capsys.readouterr()
    messages = [r.getMessage() for r in caplog.records]
    assert any("import finished" in m for m in messages)  # the logs are really captured
    secrets = set()
    for r in people:
        secrets |= {r.surname, r.name, r.policy.number, r.birth_date.isoformat()}
        if r.phone:
            secrets |= {r.phone, r.phone[2:]}
        if r.patronymic:
            secrets.add(r.patronymic)
    leaks = [(s, m) for m in messages for s in secrets if s in m]
    assert leaks == []
