"""Booking in the hub: the medconsultant's commands, and the work that falls due.

The rules are :mod:`console.booking`'s, the rows :mod:`console.store.booking`'s;
this module wires them to the hub's connections, its queue engine, the SMS
backend and the audit log. :class:`BookingDesk` is made by the hub and
registers its handlers as the hub's ``_staff_<type>`` / ``_patient_<type>``
commands (``Hub._dispatch`` finds them by name).

Ordering and restarts. Nothing here is remembered only in memory: what is due
is read from the appointments every time (:func:`console.booking.due_work`),
every notification is claimed in the database before it is sent
(``claim_notification``: at most once, also across a restart or a second
hub), and the appointment's move into the queue is written in the same
transaction as the queue contact it creates (the hub's one write path,
``Hub._run``). So a hub that was down sends a missed reminder late, once, and
closes an appointment whose 15 minutes passed meanwhile as not reached.

:meth:`BookingDesk.run` is the hub's timer for it: :meth:`run_due` every
``poll_every`` seconds (sooner when the next deadline it knows of is
nearer), and at once after a booking. Tests with a fake clock call
:meth:`run_due` themselves. Two runs never overlap.

The connection of an appointment's contact is read from the engine at each
run (accepted by a medconsultant: connected; taken by the booked doctor: the
consultation started; left the doctor: given), so the hub's other commands
need no booking hooks beyond the documents gate on the transfer
(:meth:`before_transfer`).

Personal data (names, phones) never goes to the log; reads and changes of a
person's appointments are audited.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from console.booking import (
    DEFAULT_CONFIG,
    DEMO_PROGRAMS,
    AppointmentStatus,
    BookingError,
    ContactWay,
    DocumentsMissing,
    Notification,
    NotificationKind,
    Target,
    booking_sms_text,
    cancel,
    close_not_reached,
    confirm,
    connect,
    documents_in,
    due_work,
    effective_quota,
    enter_queue,
    failed_call,
    finish,
    free_days,
    free_slots,
    hold,
    next_due,
    next_free_slots,
    quota_usage,
    release,
    reminder_text,
    require_documents,
    rules_for,
    start_consultation,
)
from console.hub.service import HubError, _new_id, _Pending, _person_short_name
from console.identity import consent as consent_rules
from console.identity.identify import describe
from console.identity.model import PolicyStatus
from console.identity.phones import PhoneError, format_national, normalize_phone
from console.protocol import messages as m
from console.queue import (
    Channel,
    ContactAccepted,
    ContactClosed,
    ContactEnded,
    ContactReturned,
    ContactState,
    ContactTransferred,
    Kind,
    Outcome,
    QueueError,
)
from console.stats import day_bounds
from console.store import audit, conclusions, consents, hubstore, registry
from console.store import booking as store

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic import BaseModel
    from sqlalchemy.ext.asyncio import AsyncSession

    from console.booking import Appointment, BookingConfig, ProgramRules, Referral
    from console.hub.service import Hub, PatientConn, StaffConn
    from console.hub.sms import SmsBackend
    from console.identity.identify import Identified
    from console.identity.model import InsuredRecord
    from console.queue import Event

log = logging.getLogger(__name__)

S = AppointmentStatus
#: staff commands this module answers (``Hub._staff_<name>``)
STAFF_COMMANDS = (
    "list_slots",
    "list_free_days",
    "hold_slot",
    "confirm_booking",
    "release_hold",
    "cancel_appointment",
    "list_appointments",
    "documents_in",
    "failed_call",
    "list_my_day",
)
#: patient commands this module answers (``Hub._patient_<name>``)
PATIENT_COMMANDS = ("list_appointments",)
#: what an appointment's contact goes through that the appointment follows
_FOLLOWED = (ContactAccepted, ContactTransferred, ContactReturned, ContactEnded, ContactClosed)
#: how far back an appointment's contact is followed (a consultation lasts 15 minutes)
_FOLLOW_BACK = timedelta(hours=6)


async def _appointment(s: AsyncSession, appointment_id: int) -> Appointment:
    """The stored appointment, or the hub's "not_found" naming the field."""
    appt = await store.get_appointment(s, appointment_id)
    if appt is None:
        raise HubError("not_found", "no such appointment", "appointment_id")
    return appt


def refused(exc: BookingError) -> HubError:
    """A rule's refusal as the hub's error: its code and its fixed English message."""
    return HubError(exc.code, exc.message)


class _Person:
    """Whom a booking is for: the registry's record, as of today, and their representatives."""

    def __init__(
        self, record: InsuredRecord, known: Identified, representatives: list[InsuredRecord]
    ) -> None:
        self.record = record
        self.known = known
        self.representatives = representatives

    @property
    def own_phones(self) -> list[str]:
        return [p.e164 for p in self.record.phones]

    @property
    def representative_phones(self) -> list[str]:
        return [p.e164 for r in self.representatives for p in r.phones]

    def period_start(self, tz: Any) -> datetime | None:
        """The start of the policy's period (the quota counts from there)."""
        policy = self.known.policy
        if policy is None:
            return None
        return datetime.combine(policy.valid_from, time(0), tzinfo=tz).astimezone(UTC)


class BookingDesk:
    """The hub's booking commands and due work; see the module docstring."""

    def __init__(
        self,
        hub: Hub,
        *,
        config: BookingConfig = DEFAULT_CONFIG,
        programs: Mapping[str, ProgramRules] = DEMO_PROGRAMS,
        poll_every: float = 2.0,
    ) -> None:
        self.hub = hub
        self.config = config
        self.programs = programs
        self.poll_every = poll_every
        #: where the booking SMS and the reminders go (the hub app sets it)
        self.sms: SmsBackend | None = None
        self._due_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._next: datetime | None = None
        self._contacts: set[str] = set()  # the queue contacts of appointments (followed)
        for name in STAFF_COMMANDS:
            setattr(hub, f"_staff_{name}", getattr(self, f"staff_{name}"))
        for name in PATIENT_COMMANDS:
            setattr(hub, f"_patient_{name}", getattr(self, f"patient_{name}"))

    # ------------------------------------------------------------------ helpers

    @property
    def tz(self) -> Any:
        return self.hub.tz

    def _now(self) -> datetime:
        return self.hub.clock.now()

    def _doctor_name(self, doctor_id: int | None) -> str:
        info = self.hub._staff_info.get(str(doctor_id)) if doctor_id is not None else None
        return info.full_name if info is not None else ""

    @staticmethod
    def _require_operator(conn: StaffConn) -> None:
        if conn.info.role != "operator":
            raise HubError("forbidden", "only a medconsultant books appointments")

    @staticmethod
    def _require_care(conn: StaffConn) -> None:
        if conn.info.role not in ("operator", "doctor"):
            raise HubError("forbidden", "only a medconsultant or a doctor may see appointments")

    def view(
        self, a: Appointment, *, conclusion_id: int | None = None, person_name: str = ""
    ) -> m.AppointmentView:
        assert a.id is not None
        return m.AppointmentView(
            id=a.id,
            person_id=a.person_id,
            doctor_id=a.doctor_id,
            doctor_name=self._doctor_name(a.doctor_id),
            specialty=a.specialty,
            start=a.start,
            end=a.end,
            status=a.status.value,
            way=a.way.value if a.way is not None else None,
            phone=format_national(a.phone) if a.phone else None,
            documents_needed=a.documents_needed,
            documents_ready=a.documents_ready,
            referral_id=a.referral_id,
            program=a.program,
            booked_at=a.booked_at,
            hold_expires_at=a.hold_expires_at,
            contact_id=a.contact_id,
            conclusion_id=conclusion_id,
            person_name=person_name,
            phone_attempts=a.phone_attempts,
            phone_attempts_limit=self.config.phone_attempts,
        )

    async def _conclusions(self, s: AsyncSession, appts: list[Appointment]) -> dict[str, int]:
        """The signed conclusions of the appointments' contacts: contact id -> its id."""
        found: dict[str, int] = {}
        for person_id in dict.fromkeys(a.person_id for a in appts if a.contact_id):
            for c in await conclusions.of_person(s, person_id):
                found[c.contact_id] = c.id
        return found

    def patient_view(self, a: Appointment) -> m.PatientAppointment:
        assert a.id is not None
        return m.PatientAppointment(
            id=a.id,
            person_id=a.person_id,
            doctor_name=self._doctor_name(a.doctor_id),
            specialty=a.specialty,
            start=a.start,
            end=a.end,
            status=a.status.value,
            way=a.way.value if a.way is not None else None,
            documents_needed=a.documents_needed,
            contact_id=a.contact_id,
        )

    def _referral_view(self, r: Referral) -> m.ReferralView:
        assert r.id is not None
        return m.ReferralView(
            id=r.id,
            specialty=r.specialty,
            doctor_id=r.doctor_id,
            doctor_name=self._doctor_name(r.doctor_id),
            issued_on=r.issued_on,
            valid_until=r.valid_until,
            used=r.used,
        )

    async def _person(self, s: AsyncSession, person_id: int) -> _Person:
        recs = await registry.load_records(s, [person_id])
        if not recs:
            raise HubError("not_found", "no such insured person", "person_id")
        rec = recs[0]
        reps = []
        if rec.represented_by:
            reps = await registry.load_records(s, list(rec.represented_by))
        return _Person(rec, describe(rec, self.hub._today()), reps)

    def _rules(self, person: _Person) -> tuple[ProgramRules, int | None]:
        policy = person.known.policy
        rules = rules_for(self.programs, policy.program if policy else "")
        return rules, effective_quota(rules, policy.consultation_quota if policy else None)

    async def _quota_left(
        self, s: AsyncSession, person: _Person, exclude: int | None
    ) -> int | None:
        _rules, quota = self._rules(person)
        if quota is None:
            return None
        history = await store.appointments_of_person(
            s, person.record.person.id, since=person.period_start(self.tz)
        )
        return quota_usage(history, exclude_id=exclude).left(quota)

    def _schedules_filter(
        self, specialty: str | None, doctor_id: int | None
    ) -> tuple[str | None, list[int] | None]:
        return (specialty or None), ([doctor_id] if doctor_id is not None else None)

    # ------------------------------------------------------------------ staff: looking

    async def staff_list_slots(self, conn: StaffConn, cmd: m.ListSlots) -> BaseModel:
        """The earliest free slots from now, or a day's (see :class:`m.ListSlots`)."""
        now = self._now()
        specialty, doctor_ids = self._schedules_filter(cmd.specialty, cmd.doctor_id)
        async with self.hub.db.transaction() as s:
            every = await store.schedules(s)
            chosen = [
                sc
                for sc in every
                if (specialty is None or sc.specialty == specialty)
                and (doctor_ids is None or sc.doctor_id in doctor_ids)
            ]
            ids = [sc.doctor_id for sc in chosen]
            if cmd.day is not None:
                start, end = day_bounds(cmd.day, self.tz)
                busy = await store.busy_slots(s, start=start, end=end, now=now, doctor_ids=ids)
                slots = free_slots(
                    chosen, busy, now, self.tz, first_day=cmd.day, config=self.config
                )[: cmd.limit]
            else:
                horizon = now + timedelta(days=self.config.horizon_days + 1)
                busy = await store.busy_slots(s, start=now, end=horizon, now=now, doctor_ids=ids)
                slots = next_free_slots(
                    chosen, busy, now, self.tz, limit=cmd.limit, config=self.config
                )
        return m.SlotsMsg(
            ref=cmd.ref,
            now=now,
            timezone=str(self.tz),
            day=cmd.day,
            slots=[
                m.SlotView(doctor_id=x.doctor_id, specialty=x.specialty, start=x.start, end=x.end)
                for x in slots
            ],
            doctors=[
                m.DoctorView(
                    id=sc.doctor_id,
                    full_name=self._doctor_name(sc.doctor_id),
                    specialty=sc.specialty,
                )
                for sc in every
            ],
        )

    async def staff_list_free_days(self, conn: StaffConn, cmd: m.ListFreeDays) -> BaseModel:
        """The calendar's month: free slots per day of the chosen doctors."""
        now = self._now()
        specialty, doctor_ids = self._schedules_filter(cmd.specialty, cmd.doctor_id)
        first = date(cmd.year, cmd.month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        async with self.hub.db.transaction() as s:
            chosen = await store.schedules(s, specialty=specialty, doctor_ids=doctor_ids)
            start, _ = day_bounds(first, self.tz)
            _, end = day_bounds(last, self.tz)
            busy = await store.busy_slots(
                s, start=start, end=end, now=now, doctor_ids=[sc.doctor_id for sc in chosen]
            )
        counts = free_days(
            chosen, busy, now, self.tz, first_day=first, last_day=last, config=self.config
        )
        return m.FreeDaysMsg(
            ref=cmd.ref,
            year=cmd.year,
            month=cmd.month,
            days=[m.FreeDay(day=d, free=n) for d, n in sorted(counts.items())],
        )

    async def staff_list_appointments(self, conn: StaffConn, cmd: m.ListAppointments) -> BaseModel:
        """An insured's appointments, future and past (holds left out). Audited."""
        self._require_care(conn)
        now = self._now()
        async with self.hub.db.transaction() as s:
            person = await self._person(s, cmd.person_id)
            appts = await store.appointments_of_person(s, cmd.person_id)
            refs = await store.referrals_of(s, cmd.person_id)
            left = await self._quota_left(s, person, None)
            signed = await self._conclusions(s, appts)
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.appointments",
                person_ids=[cmd.person_id],
                contact_id=cmd.contact_id,
                detail={"appointments": len(appts)},
            )
        return m.AppointmentsMsg(
            ref=cmd.ref,
            person_id=cmd.person_id,
            now=now,
            timezone=str(self.tz),
            appointments=[
                self.view(a, conclusion_id=signed.get(a.contact_id or ""))
                for a in appts
                if a.status not in (S.RELEASED, S.HELD)
            ],
            referrals=[self._referral_view(r) for r in refs],
            quota_left=left,
        )

    async def staff_list_my_day(self, conn: StaffConn, cmd: m.ListMyDay) -> BaseModel:
        """The doctor's own appointments of the call center's today, with whom each is
        for (a short name) and how to reach them. Audited."""
        if conn.info.role != "doctor":
            raise HubError("forbidden", "only a doctor has a day of appointments")
        now = self._now()
        day = now.astimezone(self.tz).date()
        start, end = day_bounds(day, self.tz)
        async with self.hub.db.transaction() as s:
            appts = [
                a
                for a in await store.appointments_between(s, start, end, doctor_ids=[conn.staff_id])
                if a.status not in (S.RELEASED, S.HELD)
            ]
            ids = list(dict.fromkeys(a.person_id for a in appts))
            names = {
                r.person.id: _person_short_name(r.person)
                for r in (await registry.load_records(s, ids) if ids else [])
            }
            signed = await self._conclusions(s, appts)
            if appts:
                await audit.record(
                    s,
                    at=now,
                    actor=conn.info.login,
                    action="booking.my_day",
                    person_ids=ids,
                    detail={"appointments": len(appts), "day": day.isoformat()},
                )
        return m.MyDayMsg(
            ref=cmd.ref,
            day=day,
            now=now,
            timezone=str(self.tz),
            appointments=[
                self.view(
                    a,
                    conclusion_id=signed.get(a.contact_id or ""),
                    person_name=names.get(a.person_id, ""),
                )
                for a in appts
            ],
        )

    # ------------------------------------------------------------------ staff: booking

    async def staff_hold_slot(self, conn: StaffConn, cmd: m.HoldSlot) -> BaseModel:
        """Hold a slot for 10 minutes (001); the database lets one of two racers have it."""
        self._require_operator(conn)
        if cmd.contact_id is not None:
            self.hub._require_holder(conn, cmd.contact_id)
        if cmd.start.tzinfo is None:
            raise HubError("bad_message", "a slot's start needs its time zone", "start")
        now = self._now()
        async with self.hub.db.transaction() as s:
            person = await self._person(s, cmd.person_id)
            missing = consent_rules.missing_consents(await consents.get_consents(s, cmd.person_id))
            if missing:
                names = ", ".join(k.value for k in missing)
                raise HubError("conflict", f"consents not confirmed yet: {names}")
            if person.known.policy_status is not PolicyStatus.VALID:
                raise HubError(
                    "conflict", "the policy is not valid today: services cannot be given"
                )
            schedule = await store.schedule_of(s, cmd.doctor_id)
            if schedule is None:
                raise HubError("not_found", "no doctor with working hours", "doctor_id")
            start = cmd.start.astimezone(UTC)
            busy = await store.busy_slots(
                s,
                start=start,
                end=start + self.config.slot_length,
                now=now,
                doctor_ids=[cmd.doctor_id],
            )
            try:
                held = hold(
                    schedule,
                    start,
                    now,
                    self.tz,
                    person_id=cmd.person_id,
                    operator_id=conn.staff_id,
                    busy=busy,
                    config=self.config,
                )
                held = await store.hold_slot(s, held, now)
            except BookingError as exc:  # SlotTaken: the transaction rolls back
                raise refused(exc) from None
            rules, _quota = self._rules(person)
            day = start.astimezone(self.tz).date()
            referrals = [
                r
                for r in await store.referrals_of(s, cmd.person_id)
                if r.specialty == schedule.specialty
                and r.doctor_id in (None, cmd.doctor_id)
                and not r.used
                and r.issued_on <= day
                and (r.valid_until is None or day <= r.valid_until)
            ]
            left = await self._quota_left(s, person, held.id)
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.hold",
                person_ids=[cmd.person_id],
                contact_id=cmd.contact_id,
                detail={"appointment": held.id, "doctor": cmd.doctor_id},
            )
        log.info("staff %s holds appointment %s", conn.staff_id, held.id)
        return m.SlotHeld(
            ref=cmd.ref,
            appointment=self.view(held),
            now=now,
            referral_required=rules.needs_referral(schedule.specialty),
            referrals=[self._referral_view(r) for r in referrals],
            insured_phones=[format_national(p) for p in person.own_phones],
            representative_phones=[format_national(p) for p in person.representative_phones],
            quota_left=left,
        )

    def _phone_for(self, cmd: m.ConfirmBooking, person: _Person) -> str | None:
        """The number to call or text: the one given, else the way's own, else any."""
        if cmd.phone:
            try:
                return normalize_phone(cmd.phone)
            except PhoneError as exc:
                raise HubError("bad_message", str(exc), "phone") from exc
        own, reps = person.own_phones, person.representative_phones
        by_representative = cmd.way == ContactWay.REPRESENTATIVE_PHONE.value
        order = reps + own if by_representative else own + reps
        return order[0] if order else None

    async def staff_confirm_booking(self, conn: StaffConn, cmd: m.ConfirmBooking) -> BaseModel:
        """Book the held slot; the booking SMS goes out before the reply."""
        self._require_operator(conn)
        now = self._now()
        async with self.hub.db.transaction() as s:
            held = await _appointment(s, cmd.appointment_id)
            person = await self._person(s, held.person_id)
            rules, quota = self._rules(person)
            referral = None
            if cmd.referral_id is not None:
                referral = await store.get_referral(s, cmd.referral_id)
                if referral is None:
                    raise HubError("not_found", "no such referral", "referral_id")
            history = await store.appointments_of_person(
                s, held.person_id, since=person.period_start(self.tz)
            )
            try:
                booked = confirm(
                    held,
                    now,
                    self.tz,
                    operator_id=conn.staff_id,
                    way=ContactWay(cmd.way),
                    phone=self._phone_for(cmd, person),
                    documents_needed=cmd.documents_needed,
                    rules=rules,
                    referral=referral,
                    quota=quota,
                    history=history,
                )
                booked = await store.save_appointment(s, held, booked)
            except BookingError as exc:
                raise refused(exc) from None
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.confirm",
                person_ids=[held.person_id],
                detail={"appointment": held.id, "way": cmd.way, "referral": cmd.referral_id},
            )
        log.info("staff %s booked appointment %s", conn.staff_id, booked.id)
        await self._deliver(Notification(NotificationKind.BOOKING_SMS, booked, now))
        await self._tell_patients(booked)
        self._wake.set()
        return m.AppointmentMsg(ref=cmd.ref, appointment=self.view(booked))

    async def staff_release_hold(self, conn: StaffConn, cmd: m.ReleaseHold) -> None:
        """Let one's own hold go (another slot chosen, the dialog closed)."""
        self._require_operator(conn)
        now = self._now()
        async with self.hub.db.transaction() as s:
            held = await _appointment(s, cmd.appointment_id)
            if held.status is S.RELEASED:
                return  # ran out meanwhile: nothing to let go
            if held.held_by != conn.staff_id:
                raise HubError("forbidden", "another medconsultant is booking this slot")
            try:
                await store.save_appointment(s, held, release(held, now))
            except BookingError as exc:
                raise refused(exc) from None

    async def staff_cancel_appointment(
        self, conn: StaffConn, cmd: m.CancelAppointment
    ) -> BaseModel:
        """Cancel at the insured's request: in time frees the slot; late counts (002)."""
        self._require_operator(conn)
        now = self._now()
        async with self.hub.db.transaction() as s:
            appt = await _appointment(s, cmd.appointment_id)
            try:
                done = cancel(appt, now, rules_for(self.programs, appt.program))
                done = await store.save_appointment(s, appt, done)
            except BookingError as exc:
                raise refused(exc) from None
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.cancel",
                person_ids=[appt.person_id],
                detail={"appointment": appt.id, "status": done.status.value},
            )
        log.info("staff %s cancelled appointment %s (%s)", conn.staff_id, appt.id, done.status)
        await self._tell_patients(done)
        cid = appt.contact_id
        if cid is not None and appt.status is S.WAITING:
            with contextlib.suppress(QueueError):
                if self.hub.engine.get_contact(cid).in_queue:
                    await self.hub._run(lambda: self.hub.engine.cancel(cid))
        return m.AppointmentMsg(ref=cmd.ref, appointment=self.view(done))

    async def staff_documents_in(self, conn: StaffConn, cmd: m.DocumentsIn) -> BaseModel:
        """The documents are in the medical card: the consultation may start (003)."""
        self._require_care(conn)
        now = self._now()
        async with self.hub.db.transaction() as s:
            appt = await _appointment(s, cmd.appointment_id)
            try:
                done = await store.save_appointment(s, appt, documents_in(appt, now))
            except BookingError as exc:
                raise refused(exc) from None
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.documents_in",
                person_ids=[appt.person_id],
                detail={"appointment": appt.id},
            )
        return m.AppointmentMsg(ref=cmd.ref, appointment=self.view(done))

    async def staff_failed_call(self, conn: StaffConn, cmd: m.FailedCall) -> BaseModel:
        """One more failed phone attempt by the booked doctor; the third closes it as given."""
        c = self.hub._require_holder(conn, cmd.contact_id)
        if conn.info.role != "doctor":
            raise HubError("forbidden", "only the doctor records a failed call")
        now = self._now()
        async with self.hub.db.transaction() as s:
            appt = await store.appointment_of_contact(s, c.id)
            if appt is None:
                raise HubError("not_found", "this contact is not an appointment's", "contact_id")
            try:
                if appt.status is S.WAITING and appt.connected_at is None:
                    appt = await store.save_appointment(s, appt, connect(appt, now))
                done = await store.save_appointment(s, appt, failed_call(appt, now, self.config))
            except BookingError as exc:
                raise refused(exc) from None
            await audit.record(
                s,
                at=now,
                actor=conn.info.login,
                action="booking.failed_call",
                person_ids=[appt.person_id],
                contact_id=c.id,
                detail={"appointment": appt.id, "attempts": done.phone_attempts},
            )
        if done.status is S.CLOSED_AS_GIVEN:
            sid = str(conn.staff_id)
            await self.hub._run(lambda: self.hub.engine.end(c.id, sid, Outcome.CLOSED_AS_GIVEN))
        return m.AppointmentMsg(ref=cmd.ref, appointment=self.view(done))

    async def before_transfer(self, contact_id: str) -> None:
        """The documents gate (003): an appointment's contact goes to a doctor only once
        the documents it needs are in the medical card."""
        async with self.hub.db.transaction() as s:
            appt = await store.appointment_of_contact(s, contact_id)
        if appt is None or appt.status is not S.WAITING:
            return
        try:
            require_documents(appt)
        except DocumentsMissing as exc:
            raise refused(exc) from None

    # ------------------------------------------------------------------ patient

    async def patient_list_appointments(
        self, conn: PatientConn, cmd: m.ListMyAppointments
    ) -> BaseModel:
        """The appointments of the phone's owner and of the people they represent."""
        found = await self._of_phone(conn.phone)
        return m.PatientAppointmentsMsg(
            ref=cmd.ref, appointments=[self.patient_view(a) for a in found], timezone=str(self.tz)
        )

    async def _of_phone(self, phone: str) -> list[Appointment]:
        async with self.hub.db.transaction() as s:
            owners, represented = await registry.find_by_phone(s, phone)
            found: list[Appointment] = []
            for rec in (*owners, *represented):
                found += await store.appointments_of_person(s, rec.person.id)
        shown = [a for a in found if a.status not in (S.RELEASED, S.HELD)]
        shown.sort(key=lambda a: (a.start, a.id or 0))
        return shown

    async def patient_welcomed(self, conn: PatientConn) -> None:
        """After a patient's welcome: their appointments, when they have any (the page
        lists them; it asks again with ``list_appointments``)."""
        try:
            found = await self._of_phone(conn.phone)
            if found:
                await conn.peer.send(
                    m.PatientAppointmentsMsg(
                        appointments=[self.patient_view(a) for a in found], timezone=str(self.tz)
                    )
                )
        except Exception:  # the welcome stands without them
            log.exception("listing a patient's appointments failed")

    async def _tell_patients(self, a: Appointment) -> None:
        """The insured's page, if online, gets their appointments again (booked, cancelled)."""
        async with self.hub.db.transaction() as s:
            phones = await self._reach(s, a)
        for phone in phones:
            conn = self.hub.patients.get(phone)
            if conn is not None:
                await self.patient_welcomed(conn)

    # ------------------------------------------------------------------ due work

    async def run(self) -> None:
        """The hub's booking timer (a task of the hub's, cancelled by ``Hub.stop``)."""
        while not self.hub._closing:
            try:
                await self.run_due()
            except Exception:
                log.exception("booking due work failed")
            delay = self.poll_every
            if self._next is not None:
                left = (self._next - self._now()).total_seconds()
                delay = min(delay, max(0.05, left))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    async def run_due(self) -> None:
        """Do what is due now: release expired holds, follow the appointments' contacts,
        close the not reached, queue the due, send the SMS and reminders (once)."""
        async with self._due_lock:
            now = self._now()
            async with self.hub.db.transaction() as s:
                released = await store.release_expired_holds(s, now)
                followed = [
                    a
                    for a in await store.appointments_between(
                        s, now - _FOLLOW_BACK, now + timedelta(minutes=1)
                    )
                    if a.contact_id is not None and a.status in (S.WAITING, S.IN_PROGRESS)
                ]
            if released:
                log.info("%d holds ran out and were released", len(released))
            for a in followed:
                await self._follow(a, now)
            async with self.hub.db.transaction() as s:
                due = await store.due_appointments(s, now, self.config)
            work = due_work(due, now, self.config)
            closed: set[int] = set()
            for a in work.not_reached:
                if await self._not_reached(a, now):
                    closed.add(a.id or 0)
            for a in work.to_queue:
                await self._to_queue(a, now)
            for n in work.notifications:
                if n.appointment.id in closed and n.kind is NotificationKind.REMINDER:
                    continue  # it is over: a reminder would only confuse
                await self._deliver(n)
            self._next = next_due(due, self.config)

    async def _save(self, before: Appointment, after: Appointment) -> bool:
        try:
            async with self.hub.db.transaction() as s:
                await store.save_appointment(s, before, after)
        except BookingError as exc:
            log.info("appointment %s changed meanwhile (%s)", before.id, exc.code)
            return False
        return True

    async def after(self, events: list[Event]) -> None:
        """After every hub command: follow what it did to appointments' contacts at once
        (accepted, transferred, taken by the doctor, handed back, ended). Called by
        ``Hub._run`` once the command is committed and announced."""
        ids = [
            e.contact_id
            for e in events
            if isinstance(e, _FOLLOWED) and e.contact_id in self._contacts
        ]
        if not ids:
            return
        now = self._now()
        for cid in dict.fromkeys(ids):
            try:
                async with self.hub.db.transaction() as s:
                    a = await store.appointment_of_contact(s, cid)
                if a is not None and a.status in (S.WAITING, S.IN_PROGRESS):
                    await self._follow(a, now)
            except Exception:
                log.exception("following the appointment of contact %s failed", cid)

    async def _follow(self, a: Appointment, now: datetime) -> None:
        """Bring an appointment in line with its queue contact (see the module docstring)."""
        assert a.contact_id is not None
        self._contacts.add(a.contact_id)
        try:
            c = self.hub.engine.get_contact(a.contact_id)
        except QueueError:
            c = None
        if c is None:  # closed: it was connected if anyone ever took it (it had a leg)
            async with self.hub.db.transaction() as s:
                row = await hubstore.get_contact(s, a.contact_id)
            reached = row is not None and row.leg is not None
        else:
            reached = c.holder is not None or c.transferred_by is not None
        doctor = str(a.doctor_id)
        with_doctor = c is not None and c.holder == doctor and c.state is ContactState.WITH_DOCTOR
        when = (c.connected_at if c is not None else None) or now
        after = a
        try:
            if a.status is S.WAITING:
                if with_doctor:
                    try:
                        after = start_consultation(a, when)
                    except DocumentsMissing:
                        after = connect(a, when)
                elif reached and a.connected_at is None:
                    after = connect(a, when)
            elif a.status is S.IN_PROGRESS and not with_doctor:
                after = finish(a, now)  # the doctor handed back, ended, or it closed
        except BookingError:
            return
        if after is not a:
            await self._save(a, after)

    async def _not_reached(self, a: Appointment, now: datetime) -> bool:
        """Close as not reached (003); its waiting contact closes too."""
        try:
            closed = close_not_reached(a, now, self.config)
        except BookingError:
            return False
        cid = a.contact_id
        waiting = False
        if cid is not None:
            with contextlib.suppress(QueueError):
                waiting = self.hub.engine.get_contact(cid).in_queue
        if not waiting or cid is None:
            return await self._save(a, closed)

        async def write(s: Any) -> None:
            await store.save_appointment(s, a, closed)

        try:
            await self.hub._run(lambda: self.hub.engine.not_reached(cid), _Pending(writes=[write]))
        except (HubError, BookingError):
            return False
        log.info("appointment %s not reached; contact %s closed", a.id, cid)
        return True

    async def _reach(self, s: AsyncSession, a: Appointment) -> list[str]:
        """The phones the insured may be online with: the appointment's, theirs, their
        representatives'."""
        phones = [a.phone] if a.phone else []
        with contextlib.suppress(HubError):
            person = await self._person(s, a.person_id)
            phones += person.own_phones + person.representative_phones
        return list(dict.fromkeys(phones))

    async def _to_queue(self, a: Appointment, now: datetime) -> None:
        """At its time the contact waits for a medconsultant with appointment priority (003)."""
        async with self.hub.db.transaction() as s:
            phones = await self._reach(s, a)
            recs = await registry.load_records(s, [a.person_id])
        contact_id = _new_id("c")
        self._contacts.add(contact_id)
        queued = enter_queue(a, now, contact_id)
        channel = Channel(a.way.channel) if a.way is not None else Channel.CHAT
        caller = phones[0] if phones else None

        async def write(s: Any) -> None:
            await hubstore.add_contact(
                s,
                contact_id=contact_id,
                channel=channel.value,
                kind=Kind.APPOINTMENT.value,
                caller_phone=caller,
                person_id=a.person_id,
                arrived_at=now,
            )
            await store.save_appointment(s, a, queued)

        if recs:
            self.hub._names[contact_id] = _person_short_name(recs[0].person)
        try:
            await self.hub._run(
                lambda: self.hub.engine.arrive(contact_id, channel, Kind.APPOINTMENT),
                _Pending(writes=[write]),
            )
        except Exception:
            self.hub._names.pop(contact_id, None)
            self._contacts.discard(contact_id)
            log.exception("appointment %s could not enter the queue", a.id)
            return
        self._contacts.add(contact_id)
        log.info("appointment %s entered the queue as contact %s", a.id, contact_id)
        # the insured on their page waits on this contact (or finds it when they sign in)
        for phone in phones:
            conn = self.hub.patients.get(phone)
            if conn is not None and conn.contact_id is None:
                self.hub._bind(conn, contact_id)
                await conn.peer.send(self.hub._status_of(contact_id))
                break

    async def _deliver(self, n: Notification) -> None:
        """Send one notification at most once: claimed first, then sent (see the module)."""
        a = n.appointment
        if a.id is None:
            return
        now = self._now()
        async with self.hub.db.transaction() as s:
            if not await store.claim_notification(s, a.id, n.kind, now):
                return
            phones = await self._reach(s, a) if n.kind is NotificationKind.REMINDER else []
        online = [c for p in phones if (c := self.hub.patients.get(p)) is not None]
        targets = n.targets(online=bool(online))
        if n.kind is NotificationKind.REMINDER:
            text = reminder_text(a, self.tz)
        else:
            text = booking_sms_text(a, self.tz)
        if Target.PAGE in targets:
            msg = m.ReminderMsg(appointment=self.patient_view(a), text=text)
            for conn in online:
                await conn.peer.send(msg)
        if Target.SMS in targets and a.phone:
            if self.sms is None:
                log.warning("no SMS backend: the %s of appointment %s was not sent", n.kind, a.id)
            else:
                await self.sms.send(a.phone, text, now)
        late = (now - n.due_at).total_seconds()
        log.info(
            "%s of appointment %s sent (%s)%s",
            n.kind.value,
            a.id,
            ", ".join(sorted(t.value for t in targets)) or "nowhere",
            f", {late:.0f} s late" if late > 60 else "",
        )
