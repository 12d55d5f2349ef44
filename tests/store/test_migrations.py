"""Migrations build the schema from an empty database, and agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import db as migrations
from console.store.models import Base


async def test_upgrade_reaches_head_and_matches_models(db) -> None:
    assert await migrations.current_revision(db.engine) == migrations.head_revision()

    def diff(conn):
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_downgrade_to_empty_and_back(db) -> None:
    await migrations.downgrade(db.engine, "base")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await migrations.upgrade(db.engine)
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert {
        "insured_persons",
        "policies",
        "phones",
        "representatives",
        "consents",
        "staff",
        "audit_log",
        "sms_codes",
    } <= set(tables)
