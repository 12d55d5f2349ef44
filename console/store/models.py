"""The database schema, as SQLAlchemy 2.0 typed models.

Alembic migrations in ``db/versions`` are the source of truth for the live
schema; a test checks that these models and the migrated database agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC instants on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class InsuredPerson(Base):
    __tablename__ = "insured_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    # folded (casefold, Ё->Е) copies for identification by name
    surname_key: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))
    patronymic_key: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("sex IN ('M', 'F')", name="sex"),
        Index("ix_insured_persons_surname_birth", "surname_key", "birth_date"),
    )


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )
    program: Mapped[str] = mapped_column(String(100))
    purchased_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    consultation_quota: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("valid_from <= valid_to", name="validity"),)


class PhoneNumber(Base):
    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )
    e164: Mapped[str] = mapped_column(String(16), index=True)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("person_id", "e164", name="uq_phones_person_e164"),)


class Representative(Base):
    """``representative_id`` may act for ``represented_id`` (a parent for a child)."""

    __tablename__ = "representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )
    represented_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        UniqueConstraint("representative_id", "represented_id", name="uq_representatives_pair"),
        CheckConstraint("representative_id <> represented_id", name="not_self"),
    )


class ConsentRecord(Base):
    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    text_version: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("person_id", "kind", name="uq_consents_person_kind"),
        CheckConstraint("kind IN ('personal_data', 'remote_consultation')", name="kind"),
        CheckConstraint("state IN ('not_sent', 'sent', 'confirmed', 'revoked')", name="state"),
    )


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    specialty: Mapped[str | None] = mapped_column(String(64))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("role IN ('operator', 'doctor', 'supervisor', 'admin')", name="role"),
    )


class AuditEntry(Base):
    """Append-only record of who touched whose personal data, when and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SmsCodeRecord(Base):
    __tablename__ = "sms_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportRun(Base):
    """One run of the registry import, for the admin's history (no personal data)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(Text)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_failed: Mapped[int] = mapped_column(Integer, default=0)


class ContactRow(Base):
    """A contact from arrival to close; ``engine`` holds the routing engine's record
    while the contact is open (null once closed), so a restart restores the queues."""

    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    caller_phone: Mapped[str | None] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    leg: Mapped[str | None] = mapped_column(String(64))
    arrived_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ChatMessageRow(Base):
    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(16))  # patient, staff, system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[str | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )

    __table_args__ = (CheckConstraint("author IN ('patient', 'staff', 'system')", name="author"),)


class AttachmentRow(Base):
    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))  # "staff:<id>" or "patient:<E.164>"
    name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class SessionRow(Base):
    """A login session; only the token's SHA-256 is stored."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # staff, patient
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    phone: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (CheckConstraint("kind IN ('staff', 'patient')", name="kind"),)


class StaffPresence(Base):
    """The routing engine's record of a staff member (state, since, idle since...)."""

    __tablename__ = "staff_presence"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    engine: Mapped[dict[str, Any]] = mapped_column(JSON)


class EngineMeta(Base):
    __tablename__ = "engine_meta"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class ContactEvent(Base):
    """Append-only log of the routing engine's events: the source of the metrics."""

    __tablename__ = "contact_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[str | None] = mapped_column(String(64), index=True)
    staff_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


# ------------------------------------------------------------------ booking (0004)

#: Appointment statuses that no longer claim their slot (``console.booking.FREEING``).
APPOINTMENT_FREEING = ("released", "cancelled", "late_cancelled")
#: Statuses whose appointment no longer uses its referral (released holds, timely cancellations).
REFERRAL_FREEING = ("released", "cancelled")
APPOINTMENT_STATUSES = (
    "held",
    "released",
    "booked",
    "cancelled",
    "late_cancelled",
    "waiting",
    "in_progress",
    "given",
    "not_reached",
    "closed_as_given",
)
CONTACT_WAYS = ("chat", "audio", "video", "insured_phone", "representative_phone")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class WorkingHoursRow(Base):
    """One stretch of a doctor's weekly hours: weekday 0 (Monday) to 6, local minutes
    of the day from ``start_minute`` to ``end_minute``, in the call center's time zone."""

    __tablename__ = "working_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute < 1440",
            name="minutes",
        ),
    )


class DutyShiftRow(Base):
    """A doctor on duty for a specialty from ``starts_at`` to ``ends_at`` (half-open)."""

    __tablename__ = "duty_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    specialty: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (CheckConstraint("starts_at < ends_at", name="order"),)


class ReferralRow(Base):
    """A referral to a specialty, or to a named doctor (``doctor_id``)."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )
    specialty: Mapped[str] = mapped_column(String(64))
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR issued_on <= valid_until", name="validity"),
    )


class AppointmentRow(Base):
    """A claim on a doctor's slot, from the hold to its outcome (``console.booking``).

    Two claims of one slot cannot both live: ``uq_appointments_slot`` is unique
    on (doctor, slot start) among rows whose status still claims the slot; an
    expired hold keeps claiming until the store marks it released. One
    referral serves one appointment: ``uq_appointments_referral``.
    """

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    specialty: Mapped[str] = mapped_column(String(64))
    slot_start: Mapped[datetime]
    slot_end: Mapped[datetime]
    person_id: Mapped[int] = mapped_column(
        ForeignKey("insured_persons.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    held_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    held_at: Mapped[datetime]
    hold_expires_at: Mapped[datetime | None]
    booked_at: Mapped[datetime | None]
    program: Mapped[str] = mapped_column(String(100), default="")
    way: Mapped[str | None] = mapped_column(String(24))
    phone: Mapped[str | None] = mapped_column(String(16))
    documents_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    documents_at: Mapped[datetime | None]
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    booking_sms_at: Mapped[datetime | None]
    reminder_at: Mapped[datetime | None]
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    queued_at: Mapped[datetime | None]
    connected_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    phone_attempts: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(_in("status", APPOINTMENT_STATUSES), name="status"),
        CheckConstraint("way IS NULL OR " + _in("way", CONTACT_WAYS), name="way"),
        CheckConstraint("slot_start < slot_end", name="slot"),
        CheckConstraint("phone_attempts >= 0", name="phone_attempts"),
        Index("ix_appointments_status_start", "status", "slot_start"),
    )


Index(
    "uq_appointments_slot",
    AppointmentRow.doctor_id,
    AppointmentRow.slot_start,
    unique=True,
    sqlite_where=AppointmentRow.status.not_in(APPOINTMENT_FREEING),
    postgresql_where=AppointmentRow.status.not_in(APPOINTMENT_FREEING),
)
Index(
    "uq_appointments_referral",
    AppointmentRow.referral_id,
    unique=True,
    sqlite_where=AppointmentRow.status.not_in(REFERRAL_FREEING),
    postgresql_where=AppointmentRow.status.not_in(REFERRAL_FREEING),
)


# ------------------------------------------------------------------ conclusions (0005)


class ConclusionRow(Base):
    """A doctor's signed conclusion of a consultation: one row per version, never updated.

    Signing is the doctor's name and specialty as they were then and the instant
    (``signed_at``); saving again adds the next ``version``. The database refuses
    an UPDATE of a row (the trigger of migration 0005), so a signed text cannot be
    changed behind the patient's back. No column for a diagnosis, a prescription,
    a sick leave or a certificate: telemedicine gives none (DOMAIN "After the contact").
    """

    __tablename__ = "conclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_persons.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    doctor_name: Mapped[str] = mapped_column(String(200))
    doctor_specialty: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    started_at: Mapped[datetime | None]  # when the doctor took the contact
    complaints: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    in_person_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    no_conclusion: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("contact_id", "version", name="uq_conclusions_contact_version"),
        CheckConstraint("version >= 1", name="version"),
    )
