"""hub: contacts, chat, attachments, sessions, engine state, events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:30:38.755348
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_table(
        "contact_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("contact_id", sa.String(length=64), nullable=True),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_events")),
    )
    with op.batch_alter_table("contact_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_events_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contact_events_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "engine_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engine_meta")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("caller_phone", sa.String(length=16), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("leg", sa.String(length=64), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("engine", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["insured_persons.id"],
            name=op.f("fk_contacts_person_id_insured_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_person_id"), ["person_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('staff', 'patient')", name=op.f("ck_sessions_kind")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_sessions_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_table(
        "staff_presence",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_presence_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_presence")),
    )
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "author IN ('patient', 'staff', 'system')", name=op.f("ck_chat_messages_author")
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_chat_messages_attachment_id_attachments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_chat_messages_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_chat_messages_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_messages")),
    )
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_messages_contact_id"), ["contact_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_messages_contact_id"))

    op.drop_table("chat_messages")
    op.drop_table("staff_presence")
    op.drop_table("sessions")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_person_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_closed_at"))

    op.drop_table("contacts")
    op.drop_table("engine_meta")
    with op.batch_alter_table("contact_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_events_contact_id"))
        batch_op.drop_index(batch_op.f("ix_contact_events_at"))

    op.drop_table("contact_events")
    op.drop_table("attachments")
