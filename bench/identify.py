"""Registry import speed and identification look-up latency, beside bare SQL.

    .venv/bin/python bench/identify.py [--rows 1000000] [--lookups 2000] [--pg URL]

For each backend (SQLite file; PostgreSQL where --pg or MEDCONSOLE_TEST_PG_URL
is given) it writes a sales CSV of N seeded insured people, imports it through
``medconsole insured import``'s code path (rows/s), then times look-ups by
phone, by policy and by name + birth date through the store's repository
(one unit of work each, as the hub does) beside the same SQL sent through the
bare driver (aiosqlite / asyncpg) on the same database. Prints p50/p99 and the
ratio ours/bare.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

import db as migrations
from console.admin import seed
from console.admin.registry import import_file
from console.identity.names import fold_name
from console.store import registry
from console.store.database import Database
from console.store.engine import normalize_url
from tests.admin.csvfiles import row_values, write_csv

TODAY = date(2026, 11, 22)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def compiled(stmt, params: dict, dialect) -> tuple[str, list]:
    """The SQL the repository sends, with positional parameters for the bare driver."""
    c = stmt.compile(dialect=dialect)
    full = c.construct_params(params)
    return str(c), [full[name] for name in c.positiontup]


async def time_ours(db: Database, fn, keys) -> list[float]:
    """A look-up as the hub makes it: a pooled connection, the repository call."""
    out = []
    for k in keys:
        t = time.perf_counter()
        await db.read(fn, k)
        out.append((time.perf_counter() - t) * 1000)
    return out


def phone_stmt(e164):
    return registry.BY_PHONE.stmt, {"e164": e164}


def policy_stmt(number):
    return registry.BY_POLICY.stmt, {"number": number}


def name_stmt(key):
    surname, name, patronymic, birth = key
    params = {"surname": fold_name(surname), "name": fold_name(name),
              "patronymic": fold_name(patronymic), "birth_date": birth}  # fmt: skip
    return registry.BY_FULL_NAME.stmt, params


async def bare_sqlite(path: str, stmts) -> list[float]:
    import aiosqlite

    out = []
    async with aiosqlite.connect(path) as conn:
        for sql, params in stmts:
            t = time.perf_counter()
            async with conn.execute(sql, params) as cur:
                await cur.fetchall()
            out.append((time.perf_counter() - t) * 1000)
    return out


async def bare_pg(url: str, schema: str, stmts) -> list[float]:
    import asyncpg

    u = make_url(normalize_url(url))
    conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                 password=u.password, database=u.database,
                                 server_settings={"search_path": schema})  # fmt: skip
    out = []
    try:
        for sql, params in stmts:
            t = time.perf_counter()
            await conn.fetch(sql, *params)
            out.append((time.perf_counter() - t) * 1000)
    finally:
        await conn.close()
    return out


def to_numbered(sql: str) -> str:
    """asyncpg takes $1, $2 ...; the compiled statement has the pyformat positional form."""
    n = 0

    def repl(_m):
        nonlocal n
        n += 1
        return f"${n}"

    import re

    return re.sub(r"%s", repl, sql)


def bare_rows(people):
    """The same people as plain tuples for the three tables, ids given."""
    now = datetime.now(UTC)
    persons, policies, phones = [], [], []
    for i, p in enumerate(people, start=1):
        persons.append((i, p.surname, p.name, p.patronymic, p.birth_date, p.sex.value,
                        fold_name(p.surname), fold_name(p.name), fold_name(p.patronymic),
                        now, now))  # fmt: skip
        pol = p.policy
        policies.append((pol.number, i, pol.program, pol.purchased_on, pol.valid_from,
                         pol.valid_to))  # fmt: skip
        if p.phone:
            phones.append((i, p.phone, False, now))
    return persons, policies, phones


PERSON_COLS = ["id", "surname", "name", "patronymic", "birth_date", "sex", "surname_key",
               "name_key", "patronymic_key", "created_at", "updated_at"]  # fmt: skip
POLICY_COLS = ["number", "person_id", "program", "purchased_on", "valid_from", "valid_to"]
PHONE_COLS = ["person_id", "e164", "verified", "added_at"]


async def bare_import(url: str, schema: str | None, people, batch: int = 5000) -> float:
    """Baseline: already-valid rows inserted through the bare driver, no checks, no upsert."""
    import aiosqlite
    import asyncpg

    persons, policies, phones = bare_rows(people)
    tables = (("insured_persons", PERSON_COLS, persons), ("policies", POLICY_COLS, policies),
              ("phones", PHONE_COLS, phones))  # fmt: skip
    t = time.perf_counter()
    if schema:
        u = make_url(normalize_url(url))
        conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                     password=u.password, database=u.database,
                                     server_settings={"search_path": schema})  # fmt: skip
        try:
            for i in range(0, len(persons), batch):
                async with conn.transaction():
                    for name, cols, rows in tables:
                        part = [r for r in rows if i < (r[0] if name != "policies" else r[1])
                                <= i + batch]  # fmt: skip
                        await conn.copy_records_to_table(name, records=part, columns=cols)
        finally:
            await conn.close()
    else:

        def iso(v):
            return (
                v.isoformat(sep=" ")
                if isinstance(v, datetime)
                else (v.isoformat() if isinstance(v, date) else v)
            )

        async with aiosqlite.connect(make_url(url).database) as conn:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            for i in range(0, len(persons), batch):
                for name, cols, rows in tables:
                    key = 0 if name != "policies" else 1
                    part = [tuple(iso(v) for v in r) for r in rows if i < r[key] <= i + batch]
                    marks = ", ".join("?" * len(cols))
                    await conn.executemany(
                        f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})", part
                    )
                await conn.commit()
    return time.perf_counter() - t


async def run_backend(label: str, url: str, csv_path: Path, people, n_lookups: int,
                      schema: str | None) -> list[str]:  # fmt: skip
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    db = Database(url, **kwargs)
    await migrations.upgrade(db.engine)
    t = time.perf_counter()
    report = await import_file(db, csv_path, now=datetime.now(UTC), actor="bench")
    dt = time.perf_counter() - t
    assert report.counts.inserted == len(people), report.counts
    lines = [f"{label}: import {len(people):,} rows in {dt:.1f} s = {len(people) / dt:,.0f} rows/s"]
    print(lines[-1], flush=True)

    rng = random.Random(1)
    sample = rng.sample(people, n_lookups)
    phones = [p.phone for p in sample if p.phone]
    numbers = [p.policy.number for p in sample]
    names = [(p.surname, p.name, p.patronymic, p.birth_date) for p in sample]

    async def by_phone(s, k):
        return await registry.find_by_phone(s, k)

    async def by_policy(s, k):
        return await registry.find_by_policy(s, k)

    async def by_name(s, k):
        return await registry.find_by_name(s, *k)

    dialect = postgresql.asyncpg.dialect() if schema else sqlite.dialect(paramstyle="qmark")
    cases = [("phone", by_phone, phones, phone_stmt), ("policy", by_policy, numbers, policy_stmt),
             ("name+birth", by_name, names, name_stmt)]  # fmt: skip
    for what, fn, keys, stmt_of in cases:
        await time_ours(db, fn, keys[:100])  # warm-up: statement caches, pages
        ours = await time_ours(db, fn, keys)
        stmts = [compiled(*stmt_of(k), dialect) for k in keys]
        if schema:
            stmts = [(to_numbered(sql), params) for sql, params in stmts]
            await bare_pg(url, schema, stmts[:100])
            bare = await bare_pg(url, schema, stmts)
        else:
            path = make_url(url).database
            await bare_sqlite(path, stmts[:100])
            bare = await bare_sqlite(path, stmts)
        lines.append(
            f"{label}: by {what:10} "
            f"ours p50 {pct(ours, 0.5):.2f} ms p99 {pct(ours, 0.99):.2f} ms | "
            f"bare p50 {pct(bare, 0.5):.2f} ms p99 {pct(bare, 0.99):.2f} ms | "
            f"ratio p50 {statistics.median(ours) / statistics.median(bare):.2f} "
            f"p99 {pct(ours, 0.99) / pct(bare, 0.99):.2f}"
        )
        print(lines[-1], flush=True)
    await db.close()

    # Baseline on an empty copy of the schema: the bare driver, rows already valid.
    if schema:
        import asyncpg

        u = make_url(normalize_url(url))
        conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                     password=u.password, database=u.database)  # fmt: skip
        await conn.execute(f"DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema}")
        await conn.close()
        bare_url, bare_schema = url, schema
    else:
        bare_url = url.replace("bench.sqlite3", "bare.sqlite3")
        bare_schema = None
    bare_db = Database(bare_url, **kwargs)
    await migrations.upgrade(bare_db.engine)
    await bare_db.close()
    bt = await bare_import(bare_url, bare_schema, people)
    lines.append(
        f"{label}: bare driver insert of the same rows {len(people) / bt:,.0f} rows/s; "
        f"import/bare time ratio {dt / bt:.2f}"
    )
    print(lines[-1], flush=True)
    return lines


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--lookups", type=int, default=2000)
    ap.add_argument("--pg", default=os.environ.get("MEDCONSOLE_TEST_PG_URL", ""))
    ap.add_argument("--skip-sqlite", action="store_true")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-identify-"))
    t = time.perf_counter()
    people = list(seed.generate(args.rows, seed=42, today=TODAY))
    csv_path = write_csv(work / "sales.csv", (row_values(p, phone_form="national") for p in people))
    print(
        f"wrote {len(people):,} rows to {csv_path} in {time.perf_counter() - t:.1f} s", flush=True
    )

    results = []
    if not args.skip_sqlite:
        url = f"sqlite+aiosqlite:///{work / 'bench.sqlite3'}"
        results += await run_backend("sqlite", url, csv_path, people, args.lookups, None)
    if args.pg:
        import asyncpg

        u = make_url(normalize_url(args.pg))
        conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                     password=u.password, database=u.database)  # fmt: skip
        await conn.execute("DROP SCHEMA IF EXISTS bench_identify CASCADE")
        await conn.execute("CREATE SCHEMA bench_identify")
        await conn.close()
        try:
            results += await run_backend("postgresql", args.pg, csv_path, people, args.lookups,
                                         "bench_identify")  # fmt: skip
        finally:
            conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username,
                                         password=u.password, database=u.database)  # fmt: skip
            await conn.execute("DROP SCHEMA IF EXISTS bench_identify CASCADE")
            await conn.close()
    print("\n".join(["", "summary:", *results]))


if __name__ == "__main__":
    asyncio.run(main())
