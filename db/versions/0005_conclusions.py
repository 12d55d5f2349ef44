"""conclusions: the doctor's signed conclusion of a consultation, one row per version

A signed conclusion never changes: a trigger refuses every UPDATE of a row (on
SQLite and on PostgreSQL alike); saving again adds the next version.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE = "a signed conclusion never changes: save a new version"


def upgrade() -> None:
    op.create_table(
        "conclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("doctor_name", sa.String(length=200), nullable=False),
        sa.Column("doctor_specialty", sa.String(length=64), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("complaints", sa.Text(), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=False),
        sa.Column("in_person_visit", sa.Boolean(), nullable=False),
        sa.Column("no_conclusion", sa.Boolean(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_conclusions_version")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_conclusions_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["staff.id"], name=op.f("fk_conclusions_doctor_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["insured_persons.id"],
            name=op.f("fk_conclusions_person_id_insured_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conclusions")),
        sa.UniqueConstraint("contact_id", "version", name="uq_conclusions_contact_version"),
    )
    with op.batch_alter_table("conclusions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conclusions_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conclusions_person_id"), ["person_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION conclusions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{IMMUTABLE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER conclusions_immutable BEFORE UPDATE ON conclusions "
            "FOR EACH ROW EXECUTE FUNCTION conclusions_immutable()"
        )
    else:
        op.execute(
            "CREATE TRIGGER conclusions_immutable BEFORE UPDATE ON conclusions "
            f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS conclusions_immutable ON conclusions")
        op.execute("DROP FUNCTION IF EXISTS conclusions_immutable()")
    else:
        op.execute("DROP TRIGGER IF EXISTS conclusions_immutable")
    with op.batch_alter_table("conclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conclusions_person_id"))
        batch_op.drop_index(batch_op.f("ix_conclusions_contact_id"))
    op.drop_table("conclusions")
