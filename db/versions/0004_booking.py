"""booking: working hours, duty shifts, referrals, appointments

A slot is claimed once: ``uq_appointments_slot`` is a partial unique index on
(doctor, slot start) over the appointments whose status still claims it, so
the database refuses the second of two concurrent bookings. A referral serves
one appointment: ``uq_appointments_referral``, likewise.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration keeps the values of its day.
SLOT_WHERE = "status NOT IN ('released', 'cancelled', 'late_cancelled')"
REFERRAL_WHERE = "status NOT IN ('released', 'cancelled')"
STATUSES = (
    "status IN ('held', 'released', 'booked', 'cancelled', 'late_cancelled', 'waiting', "
    "'in_progress', 'given', 'not_reached', 'closed_as_given')"
)
WAYS = "way IS NULL OR way IN ('chat', 'audio', 'video', 'insured_phone', 'representative_phone')"


def upgrade() -> None:
    op.create_table(
        "working_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name=op.f("ck_working_hours_weekday")),
        sa.CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute < 1440",
            name=op.f("ck_working_hours_minutes"),
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["staff.id"],
            name=op.f("fk_working_hours_doctor_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
    )
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_working_hours_doctor_id"), ["doctor_id"], unique=False)

    op.create_table(
        "duty_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_duty_shifts_order")),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["staff.id"],
            name=op.f("fk_duty_shifts_doctor_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_shifts")),
    )
    with op.batch_alter_table("duty_shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_shifts_doctor_id"), ["doctor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duty_shifts_ends_at"), ["ends_at"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=64), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "valid_until IS NULL OR issued_on <= valid_until", name=op.f("ck_referrals_validity")
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["staff.id"], name=op.f("fk_referrals_doctor_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["insured_persons.id"],
            name=op.f("fk_referrals_person_id_insured_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_person_id"), ["person_id"], unique=False)

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=64), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slot_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_by", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("program", sa.String(length=100), nullable=False),
        sa.Column("way", sa.String(length=24), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("documents_needed", sa.Boolean(), nullable=False),
        sa.Column("documents_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("booking_sms_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contact_id", sa.String(length=64), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone_attempts", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_appointments_status")),
        sa.CheckConstraint(WAYS, name=op.f("ck_appointments_way")),
        sa.CheckConstraint("slot_start < slot_end", name=op.f("ck_appointments_slot")),
        sa.CheckConstraint("phone_attempts >= 0", name=op.f("ck_appointments_phone_attempts")),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_appointments_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["staff.id"], name=op.f("fk_appointments_doctor_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["held_by"], ["staff.id"], name=op.f("fk_appointments_held_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["insured_persons.id"],
            name=op.f("fk_appointments_person_id_insured_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_appointments_referral_id_referrals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointments_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appointments_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_appointments_status_start", ["status", "slot_start"], unique=False
        )
        batch_op.create_index(
            "uq_appointments_slot",
            ["doctor_id", "slot_start"],
            unique=True,
            sqlite_where=sa.text(SLOT_WHERE),
            postgresql_where=sa.text(SLOT_WHERE),
        )
        batch_op.create_index(
            "uq_appointments_referral",
            ["referral_id"],
            unique=True,
            sqlite_where=sa.text(REFERRAL_WHERE),
            postgresql_where=sa.text(REFERRAL_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("uq_appointments_referral")
        batch_op.drop_index("uq_appointments_slot")
        batch_op.drop_index("ix_appointments_status_start")
        batch_op.drop_index(batch_op.f("ix_appointments_person_id"))
        batch_op.drop_index(batch_op.f("ix_appointments_contact_id"))

    op.drop_table("appointments")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_person_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("duty_shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_shifts_ends_at"))
        batch_op.drop_index(batch_op.f("ix_duty_shifts_doctor_id"))

    op.drop_table("duty_shifts")
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_working_hours_doctor_id"))

    op.drop_table("working_hours")
