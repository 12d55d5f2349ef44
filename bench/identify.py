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

from sqlalchemy.dialects import postgresql, sqlite  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import db as migrations  # noqa: E402
from console.admin import seed  # noqa: E402
from console.admin.csvimport import read_file  # noqa: E402
from console.admin.registry import import_rows  # noqa: E402
from console.identity.names import fold_name  # noqa: E402
from console.store import registry  # noqa: E402
from console.store.database import Database  # noqa: E402
from console.store.engine import normalize_url  # noqa: E402
from tests.admin.csvfiles import row_values, write_csv  # noqa: E402

TODAY = date(2026, 11, 22)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def compiled(stmt, dialect) -> tuple[str, list]:
    """The SQL the repository sends, with positional parameters for the bare driver."""
    c = stmt.compile(dialect=dialect)
    params = [c.params[name] for name in c.positiontup]
    return str(c), params


async def time_ours(db: Database, fn, keys) -> list[float]:
    out = []
    for k in keys:
        t = time.perf_counter()
        async with db.transaction() as s:
            await fn(s, k)
        out.append((time.perf_counter() - t) * 1000)
    return out


def phone_stmt(e164):
    return registry._records_query(registry.phone_ids_query(e164))


def policy_stmt(number):
    from sqlalchemy import literal, select

    ids = select(registry.POL.c.person_id.label("id"), literal(0).label("rel")).where(
        registry.POL.c.number == number
    )
    return registry._records_query(ids.cte("ids"))


def name_stmt(key):
    from sqlalchemy import and_, literal, select

    surname, name, patronymic, birth = key
    P = registry.P
    ids = select(P.c.id.label("id"), literal(0).label("rel")).where(
        and_(
            P.c.surname_key == fold_name(surname),
            P.c.birth_date == birth,
            P.c.name_key == fold_name(name),
            P.c.patronymic_key == fold_name(patronymic),
        )
    )
    return registry._records_query(ids.cte("ids"))


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


async def run_backend(label: str, url: str, csv_path: Path, people, n_lookups: int,
                      schema: str | None) -> list[str]:  # fmt: skip
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    db = Database(url, **kwargs)
    await migrations.upgrade(db.engine)
    t = time.perf_counter()
    report = await import_rows(db, read_file(csv_path), now=datetime.now(UTC), source="bench",
                               actor="bench")  # fmt: skip
    dt = time.perf_counter() - t
    assert report.counts.inserted == len(people), report.counts
    lines = [f"{label}: import {len(people):,} rows in {dt:.1f} s = {len(people) / dt:,.0f} rows/s"]

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
        stmts = [compiled(stmt_of(k), dialect) for k in keys]
        if schema:
            stmts = [(to_numbered(sql), params) for sql, params in stmts]
            await bare_pg(url, schema, stmts[:100])
            bare = await bare_pg(url, schema, stmts)
        else:
            path = make_url(url).database
            await bare_sqlite(path, stmts[:100])
            bare = await bare_sqlite(path, stmts)
        lines.append(
            f"{label}: by {what:10} ours p50 {pct(ours, .5):.2f} ms p99 {pct(ours, .99):.2f} ms | "
            f"bare p50 {pct(bare, .5):.2f} ms p99 {pct(bare, .99):.2f} ms | "
            f"ratio p50 {statistics.median(ours) / statistics.median(bare):.2f} "
            f"p99 {pct(ours, .99) / pct(bare, .99):.2f}"
        )
        print(lines[-1], flush=True)
    await db.close()
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
    print(f"wrote {len(people):,} rows to {csv_path} in {time.perf_counter() - t:.1f} s", flush=True)

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
