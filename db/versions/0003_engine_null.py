"""closed contacts' engine records as SQL NULL

They were written as JSON ``null`` (a JSON column stores Python None so),
which ``IS NULL`` does not find: a restart after any contact had closed read
those rows as engine records and could not start. The store writes SQL NULL
since; this clears the old ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE contacts SET engine = NULL WHERE closed_at IS NOT NULL")


def downgrade() -> None:
    pass  # SQL NULL reads as "no engine record" before 0003 too
