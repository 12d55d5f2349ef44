"""A real hub on loopback: SQLite (or PostgreSQL), a seeded registry and staff."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from console.admin import seed
from console.admin.registry import import_rows
from console.cli import seed_staff
from console.hub.app import build
from console.hub.service import Hub, HubConfig
from console.settings import Settings
from console.store.database import Database
from tests.conftest import TODAY

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from console.clock import FakeClock

N_INSURED = 60


@dataclass
class HubUnderTest:
    base: str
    hub: Hub
    settings: Settings
    outbox: Path
    session: aiohttp.ClientSession
    people: list


async def seed_db(url: str, n: int = N_INSURED) -> list:
    import db as migrations

    database = Database(url)
    await migrations.upgrade(database.engine)
    people = list(seed.generate(n, seed=3, today=TODAY))
    await import_rows(database, people, now=datetime.now(UTC), source="test", actor="test")
    await seed_staff(database, datetime.now(UTC))
    await database.close()
    return people


@pytest.fixture
def hub_clock() -> FakeClock | None:
    """Override with a FakeClock to drive the hub's deadlines by hand."""
    return None


@pytest.fixture
def hub_config() -> HubConfig | None:
    return None


@pytest.fixture
async def hub_backend(request, tmp_path) -> AsyncIterator[str]:
    """The hub's database URL: SQLite by default; ``"pg"`` (indirect param) makes a
    PostgreSQL database of its own, dropped afterwards."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    from console.store.engine import normalize_url
    from tests.conftest import pg_url_or_skip

    base = make_url(normalize_url(pg_url_or_skip()))
    name = "hub_" + uuid.uuid4().hex[:12]
    args = {"host": base.host, "port": base.port, "user": base.username,
            "password": base.password, "database": base.database}  # fmt: skip
    conn = await asyncpg.connect(**args)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(**args)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


@pytest.fixture
async def hub_server(tmp_path, hub_clock, hub_config, hub_backend) -> AsyncIterator[HubUnderTest]:
    url = hub_backend
    people = await seed_db(url)
    settings = Settings(
        data_dir=tmp_path, database_url=url, sms_outbox=tmp_path / "sms.jsonl", max_upload_mb=1
    )
    app, hub = await build(settings, clock=hub_clock, config=hub_config)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    await asyncio.wait_for(hub.stats_loaded.wait(), 30)  # the day's numbers, loaded aside
    async with aiohttp.ClientSession() as session:
        yield HubUnderTest(
            str(server.make_url("")).rstrip("/"),
            hub,
            settings,
            settings.outbox_path(),
            session,
            people,
        )
    await server.close()
