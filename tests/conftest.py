"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

PostgreSQL tests run where ``MEDCONSOLE_TEST_PG_URL`` is set, each in a schema
of its own that is dropped afterwards. With ``MEDCONSOLE_REQUIRE_PG=1`` (CI) a
missing or unreachable PostgreSQL is an error, never a skip.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

PG_URL = os.environ.get("MEDCONSOLE_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("MEDCONSOLE_REQUIRE_PG") == "1"

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


REQUIRE_NETNS = os.environ.get("MEDCONSOLE_REQUIRE_NETNS") == "1"


def loopback_only() -> bool:
    """True inside a network namespace whose only interface is ``lo``."""
    import socket

    # sysfs shows the namespace it was mounted in; the kernel call shows ours
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Media tests never run where a peer could pick a non-loopback address."""
    if item.get_closest_marker("netns") and not loopback_only():
        message = "needs a loopback-only network namespace (scripts/test.sh runs it in one)"
        if REQUIRE_NETNS:
            pytest.fail(message)
        pytest.skip(message)


def pg_url_or_skip() -> str:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("MEDCONSOLE_REQUIRE_PG=1 but MEDCONSOLE_TEST_PG_URL is not set")
        pytest.skip("MEDCONSOLE_TEST_PG_URL not set")
    return PG_URL


async def _pg_schema_database(url: str) -> tuple[object, str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    from console.store.database import Database
    from console.store.engine import normalize_url

    schema = "t_" + uuid.uuid4().hex[:12]
    u = make_url(normalize_url(url))
    conn = await asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database=u.database
    )
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await conn.close()
    database = Database(url, connect_args={"server_settings": {"search_path": schema}})
    return database, schema


async def _drop_schema(url: str, schema: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    from console.store.engine import normalize_url

    u = make_url(normalize_url(url))
    conn = await asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database=u.database
    )
    try:
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
async def db(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[object]:
    """A migrated, empty database: a SQLite file, or a fresh PostgreSQL schema."""
    import db as migrations
    from console.store.database import Database

    schema = None
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        url = pg_url_or_skip()
        database, schema = await _pg_schema_database(url)
    try:
        await migrations.upgrade(database.engine)
        yield database
    finally:
        await database.close()
        if schema:
            await _drop_schema(PG_URL, schema)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
