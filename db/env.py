"""Alembic's environment: migrations run on the connection ``db.upgrade`` passes."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from console.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_url(url: str) -> None:
    from console.store.engine import create_engine

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # plain `alembic` command line, e.g. `alembic revision --autogenerate`
    asyncio.run(_run_with_url(context.config.get_main_option("sqlalchemy.url") or ""))
