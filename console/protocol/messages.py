"""Every message on the wire, as pydantic models shared by the hub and its clients.

One WebSocket per client: ``/ws/staff`` for the console, ``/ws/patient`` for the
patient's page. Each frame is one JSON object with ``v`` (the protocol version,
:data:`VERSION`) and ``type``; a client may add ``ref`` to a command, and the
hub's reply (``ack`` or ``error``) carries the same ``ref``.

A frame that does not parse gets an ``error`` naming the field; the connection
stays up. Media never crosses the hub: it relays ``signal`` frames (offer,
answer, ICE) between the patient and whoever holds the contact, per *leg* (a new
leg opens at every transfer). The patient's browser always makes the offer and
gathers its ICE candidates before sending it (aiortc does not trickle).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

VERSION: Literal[1] = 1

MAX_TEXT = 4000  # characters in one chat message
MAX_SDP = 64_000
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Ref = Annotated[str, Field(max_length=64)]

Channel = Literal["audio", "video", "chat"]
ContactKind = Literal["urgent", "appointment", "follow_up", "callback"]
StaffStateName = Literal[
    "offline", "available", "ringing", "busy", "wrap_up", "break", "not_responding"
]
ConsentKindName = Literal["personal_data", "remote_consultation"]
ConsentStateName = Literal["not_sent", "sent", "confirmed", "revoked"]
Route = Literal["pediatrician", "therapist"]
SignalKind = Literal["offer", "answer", "ice"]
Outcome = Literal[
    "completed", "abandoned", "not_reached", "closed_as_given", "cancelled", "technical_failure"
]


class Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = VERSION
    ref: Ref | None = None


# ---------------------------------------------------------------- shared values


class Attachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Id
    name: str
    mime: str
    size: int
    url: str


class ChatMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    contact_id: Id
    at: datetime
    author: Literal["patient", "staff", "system"]
    author_name: str = ""
    text: str = ""
    attachment: Attachment | None = None


class Signal(BaseModel):
    """One WebRTC signaling step of a leg: an SDP offer/answer or an ICE candidate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    leg: Id
    kind: SignalKind
    sdp: Annotated[str, Field(max_length=MAX_SDP)] | None = None
    candidate: dict[str, Any] | None = None


class PersonCard(BaseModel):
    """What the console shows of an identified person (personal data: audited)."""

    model_config = ConfigDict(frozen=True)

    person_id: int
    surname: str
    name: str
    patronymic: str
    birth_date: date
    age: int
    route: Route
    warnings: list[str] = []
    policy_number: str | None = None
    policy_status: Literal["valid", "expired", "not_yet_valid"] | None = None
    relation: Literal["self", "represented"] = "self"
    phones: list[str] = []  # national format


class ConsentView(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ConsentKindName
    state: ConsentStateName
    text_version: str | None = None


class ContactView(BaseModel):
    """A contact as its holder (or an offer) shows it."""

    model_config = ConfigDict(frozen=True)

    id: Id
    channel: Channel
    kind: ContactKind
    state: str
    queue: str
    arrived_at: datetime
    caller_phone: str | None = None  # national format
    person: PersonCard | None = None
    consents: list[ConsentView] = []
    reason: str = ""
    leg: Id | None = None
    chat: list[ChatMessage] = []
    on_hold: bool = False  # the holder put the patient on hold (see ``Hold``)
    consultation: ConsultationView | None = None  # the doctor holding it: card, limit, conclusion


# -- the doctor's consultation (DOMAIN "After the contact")

MAX_CONCLUSION_TEXT = 8000  # characters in one field of a conclusion


class ConclusionView(BaseModel):
    """A signed conclusion: one version, never changed (saving again signs a new version).

    ``no_conclusion``: the doctor did not get enough information to conclude (004).
    ``url``: its PDF on the hub (for the patient who owns the contact, and staff).
    """

    model_config = ConfigDict(frozen=True)

    id: int
    contact_id: Id
    version: int
    complaints: str = ""
    history: str = ""
    recommendations: str = ""
    in_person_visit: bool = False
    no_conclusion: bool = False
    doctor_name: str
    doctor_specialty: str | None = None
    signed_at: datetime
    url: str


class CardDocument(BaseModel):
    """A document in the insured's medical card: a file they sent, or an earlier conclusion."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["file", "conclusion"]
    name: str
    mime: str
    at: datetime
    url: str
    contact_id: Id


class ConsultationView(BaseModel):
    """What the doctor holding a contact sees beyond the contact itself (personal data:
    the hub audits every time it builds one)."""

    model_config = ConfigDict(frozen=True)

    started_at: datetime | None = None  # when the doctor took the contact
    limit_s: int  # the consultation's limit: 30 minutes urgent, 15 by appointment (003)
    representative: str | None = None  # full name of who called for the insured
    representative_phone: str | None = None  # national format
    transferred_by: str | None = None  # the medconsultant's name
    documents: list[CardDocument] = []  # the medical card, newest first
    conclusion: ConclusionView | None = None  # the latest signed version


# -- booking (console.booking): shared values

ContactWayName = Literal["chat", "audio", "video", "insured_phone", "representative_phone"]
AppointmentStatusName = Literal[
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
]


class DoctorView(BaseModel):
    """A doctor who takes appointments (has working hours)."""

    model_config = ConfigDict(frozen=True)

    id: int
    full_name: str
    specialty: str


class SlotView(BaseModel):
    """A free 15-minute slot of a doctor's schedule (UTC instants)."""

    model_config = ConfigDict(frozen=True)

    doctor_id: int
    specialty: str
    start: datetime
    end: datetime


class FreeDay(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    free: int  # free slots that day


class ReferralView(BaseModel):
    """A referral (000): to a specialty, or to a named doctor (``doctor_id``)."""

    model_config = ConfigDict(frozen=True)

    id: int
    specialty: str
    doctor_id: int | None = None
    doctor_name: str = ""
    issued_on: date
    valid_until: date | None = None
    used: bool = False


class AppointmentView(BaseModel):
    """An appointment as the medconsultant sees it (personal data: the hub audits)."""

    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    doctor_id: int
    doctor_name: str = ""
    specialty: str
    start: datetime
    end: datetime
    status: AppointmentStatusName
    way: ContactWayName | None = None
    phone: str | None = None  # national format
    documents_needed: bool = False
    documents_ready: bool = True
    referral_id: int | None = None
    program: str = ""
    booked_at: datetime | None = None
    hold_expires_at: datetime | None = None
    contact_id: Id | None = None  # the queue contact at its time (its conclusion's contact)
    conclusion_id: int | None = None  # its contact's signed conclusion (in lists), if any
    person_name: str = ""  # "Фамилия И. О." (the doctor's day only)
    phone_attempts: int = 0  # the doctor's failed phone calls so far
    phone_attempts_limit: int = 0  # the one that closes it as given (0: not said)


class PatientAppointment(BaseModel):
    """An appointment as the insured's page shows it."""

    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    doctor_name: str = ""
    specialty: str
    start: datetime
    end: datetime
    status: AppointmentStatusName
    way: ContactWayName | None = None
    documents_needed: bool = False
    contact_id: Id | None = None  # a ``conclusion_ready`` of this contact is its conclusion


class QueueEntry(BaseModel):
    """A waiting contact as the queue view lists it (a name only once identified).

    ``person_name`` is short, "Фамилия И. О.": enough to recognise a caller,
    less personal data on every console.
    """

    model_config = ConfigDict(frozen=True)

    id: Id
    channel: Channel
    kind: ContactKind
    queue: str
    enqueued_at: datetime
    priority: int
    seq: int = 0  # arrival order, the last tie-breaker of the routing order
    offered: bool = False
    person_name: str | None = None


class QueueSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    queue: str
    waiting: int
    longest_wait_s: float
    free_staff: int


class StaffInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Id
    login: str
    full_name: str
    role: Literal["operator", "doctor", "supervisor", "admin"]
    specialty: str | None = None
    on_duty: bool = False


# ---------------------------------------------------------------- staff -> hub


class StaffHello(Msg):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=16, max_length=200)]


class SetState(Msg):
    type: Literal["set_state"]
    state: Literal["available", "break", "offline"]
    reason: Annotated[str, Field(max_length=200)] = ""


class Accept(Msg):
    type: Literal["accept"]
    contact_id: Id


class Reject(Msg):
    type: Literal["reject"]
    contact_id: Id


class Transfer(Msg):
    type: Literal["transfer"]
    contact_id: Id
    to: Annotated[str, Field(max_length=80)]  # "duty:pediatrician", "duty:therapist", "doctor:<id>"


class EndContact(Msg):
    """The holder ends: a doctor hands the patient back, a medconsultant goes to wrap-up."""

    type: Literal["end"]
    contact_id: Id


class WrapUpDone(Msg):
    type: Literal["wrapup_done"]
    contact_id: Id
    outcome: Outcome = "completed"
    comment: Annotated[str, Field(max_length=2000)] = ""


class StaffChat(Msg):
    type: Literal["chat"]
    contact_id: Id
    text: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    attachment_id: Id | None = None


class StaffSignal(Msg):
    type: Literal["signal"]
    contact_id: Id
    signal: Signal


class Identify(Msg):
    """Look the caller up; by the contact's own phone when no key is given."""

    type: Literal["identify"]
    contact_id: Id
    phone: Annotated[str, Field(max_length=40)] | None = None
    policy_number: Annotated[str, Field(max_length=40)] | None = None
    full_name: Annotated[str, Field(max_length=300)] | None = None
    birth_date: date | None = None


class SelectPerson(Msg):
    """The medconsultant settles whom the contact is about."""

    type: Literal["select_person"]
    contact_id: Id
    person_id: int


class SendConsent(Msg):
    type: Literal["send_consent"]
    contact_id: Id
    kind: ConsentKindName


class SetReason(Msg):
    type: Literal["set_reason"]
    contact_id: Id
    reason: Annotated[str, Field(max_length=4000)]


class RaiseCall(Msg):
    """Raise a chat to an audio or video call; the patient accepts or declines."""

    type: Literal["raise_call"]
    contact_id: Id
    media: Literal["audio", "video"] = "video"


class Hold(Msg):
    """Put the connected patient on hold (``on``) or take them off it; the holder only."""

    type: Literal["hold"]
    contact_id: Id
    on: bool


class RegisterPhone(Msg):
    """Add the contact's caller phone to an insured person's phones.

    For a caller whose record has no phone (or another one), after the
    medconsultant identified them by policy number or by name and birth date on
    this contact (003: additional identification).
    """

    type: Literal["register_phone"]
    contact_id: Id
    person_id: int


class SaveConclusion(Msg):
    """The doctor holding the contact signs its conclusion (with their name and the time).

    There is no field for a diagnosis, a prescription, a sick leave or a certificate,
    and any other field is refused: a doctor who has not seen the patient in person
    for this illness cannot give them (Federal Law 323-FZ, art. 36.2; DOMAIN "After
    the contact"). A conclusion needs complaints and recommendations; with
    ``no_conclusion`` (not enough information, 004) every text may stay empty.
    Saving again signs a new version; a signed one never changes.
    """

    type: Literal["save_conclusion"]
    contact_id: Id
    complaints: Annotated[str, Field(max_length=MAX_CONCLUSION_TEXT)] = ""
    history: Annotated[str, Field(max_length=MAX_CONCLUSION_TEXT)] = ""
    recommendations: Annotated[str, Field(max_length=MAX_CONCLUSION_TEXT)] = ""
    in_person_visit: bool = False
    no_conclusion: bool = False


class ListSlots(Msg):
    """Free slots of ``specialty`` and/or ``doctor_id`` (every doctor with working hours
    if neither): the ``limit`` earliest from now on, or those of ``day`` (the call
    center's date) when given. Answered by :class:`SlotsMsg`."""

    type: Literal["list_slots"]
    specialty: Annotated[str, Field(max_length=64)] | None = None
    doctor_id: int | None = None
    day: date | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 10


class ListFreeDays(Msg):
    """How many free slots each day of a month has (the calendar): :class:`FreeDaysMsg`."""

    type: Literal["list_free_days"]
    specialty: Annotated[str, Field(max_length=64)] | None = None
    doctor_id: int | None = None
    year: Annotated[int, Field(ge=2000, le=2200)]
    month: Annotated[int, Field(ge=1, le=12)]


class HoldSlot(Msg):
    """Hold the doctor's slot at ``start`` for ``person_id`` for 10 minutes (001): a
    medconsultant's, once both consents are confirmed. :class:`SlotHeld`, or an
    error ``slot_taken`` when somebody was faster (list the slots again). One hold
    per medconsultant: a new one lets the earlier go."""

    type: Literal["hold_slot"]
    person_id: int
    doctor_id: int
    start: datetime
    contact_id: Id | None = None  # the contact it is booked on (audit, the caller's phone)


class ConfirmBooking(Msg):
    """Turn the live hold into a booking: how the insured is reached (003), whether
    documents are needed first (003), the referral where the program asks (000).
    ``phone``: for the phone ways, the number to call (else the insured's or the
    representative's first); it also gets the SMS. :class:`AppointmentMsg`."""

    type: Literal["confirm_booking"]
    appointment_id: int
    way: ContactWayName
    phone: Annotated[str, Field(max_length=40)] | None = None
    documents_needed: bool = False
    referral_id: int | None = None


class ReleaseHold(Msg):
    type: Literal["release_hold"]
    appointment_id: int


class CancelAppointment(Msg):
    """Cancel at the insured's request (002, 003): :class:`AppointmentMsg`."""

    type: Literal["cancel_appointment"]
    appointment_id: int


class ListAppointments(Msg):
    """An insured's appointments, future and past, and referrals: :class:`AppointmentsMsg`."""

    type: Literal["list_appointments"]
    person_id: int
    contact_id: Id | None = None  # the contact it is looked at on (audit)


class DocumentsIn(Msg):
    """The documents a booked consultation needs are in the medical card (003)."""

    type: Literal["documents_in"]
    appointment_id: int


class FailedCall(Msg):
    """The doctor holding an appointment's contact could not reach the insured by phone
    once more; the third closes it as given (002). :class:`AppointmentMsg`."""

    type: Literal["failed_call"]
    contact_id: Id


class ListMyDay(Msg):
    """A doctor's appointments of the call center's today: :class:`MyDayMsg`. Audited."""

    type: Literal["list_my_day"]


class Ping(Msg):
    type: Literal["ping"]


# -- the supervisor's (refused for other roles with "forbidden")


class WatchWallboard(Msg):
    """Start (or stop) the wallboard: a :class:`WallboardMsg` at once, then at most
    one a second while anything changes (and one every 15 s when nothing does: the
    last 15 minutes slide on), until ``on`` is false or the socket closes. A new
    connection watches nothing until it asks."""

    type: Literal["watch_wallboard"]
    on: bool = True


class GetReport(Msg):
    """The day's report in the call center's intervals (answered by :class:`ReportMsg`)."""

    type: Literal["get_report"]
    day: date


class MoveContact(Msg):
    """Give a waiting contact to a named staff member (offered to them next). Audited."""

    type: Literal["move_contact"]
    contact_id: Id
    staff_id: Id


class ForceOffline(Msg):
    """Set a staff member who left without logging out to offline. Audited."""

    type: Literal["force_offline"]
    staff_id: Id


StaffCommand = Annotated[
    StaffHello
    | SetState
    | Accept
    | Reject
    | Transfer
    | EndContact
    | WrapUpDone
    | StaffChat
    | StaffSignal
    | Identify
    | SelectPerson
    | SendConsent
    | SetReason
    | RaiseCall
    | Hold
    | RegisterPhone
    | SaveConclusion
    | WatchWallboard
    | GetReport
    | MoveContact
    | ForceOffline
    | ListSlots
    | ListFreeDays
    | HoldSlot
    | ConfirmBooking
    | ReleaseHold
    | CancelAppointment
    | ListAppointments
    | DocumentsIn
    | FailedCall
    | ListMyDay
    | Ping,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- hub -> staff


class Welcome(Msg):
    type: Literal["welcome"] = "welcome"
    staff: StaffInfo
    state: StaffStateName
    state_until: datetime | None = None  # the end of a timed state (as ``StaffStateMsg.until``)
    contacts: list[ContactView] = []  # what this person holds (after a reconnect too)


class Ack(Msg):
    type: Literal["ack"] = "ack"


class Error(Msg):
    type: Literal["error"] = "error"
    code: str  # "bad_message", "unauthorized", "forbidden", "not_found", "conflict", ...
    message: str
    field: str | None = None


class OfferMsg(Msg):
    type: Literal["offer"] = "offer"
    contact: ContactView
    expires_at: datetime


class OfferWithdrawn(Msg):
    type: Literal["offer_withdrawn"] = "offer_withdrawn"
    contact_id: Id
    reason: str


class ContactUpdate(Msg):
    """The contact this person holds, whole (after accept, identify, consent, chat...)."""

    type: Literal["contact"] = "contact"
    contact: ContactView


class ContactGone(Msg):
    type: Literal["contact_gone"] = "contact_gone"
    contact_id: Id
    reason: str  # "transferred", "patient_left", "closed", "moved"


class QueueSnapshot(Msg):
    """The whole queue view (the first ``queue_view_limit`` entries in routing order):
    a connection's first; :class:`QueueDelta` frames follow it."""

    type: Literal["queue"] = "queue"
    entries: list[QueueEntry]
    summaries: list[QueueSummary]


class QueueDelta(Msg):
    """What changed in a connection's queue view since the last view it was sent.

    ``upsert``: entries that joined the view or whose fields changed (a name, "offered",
    a new priority); ``remove``: ids that left it. The order is the entries' own
    (:func:`console.protocol.queueview.routing_key`), so a delta needs no positions.
    ``summaries`` count every waiting contact, as in the snapshot.
    """

    type: Literal["queue_delta"] = "queue_delta"
    upsert: list[QueueEntry] = []
    remove: list[Id] = []
    summaries: list[QueueSummary]


class StaffStateMsg(Msg):
    """The staff member's state; ``until`` ends a timed one (wrap-up), else None."""

    type: Literal["state"] = "state"
    state: StaffStateName
    reason: str = ""
    since: datetime
    until: datetime | None = None


class IdentifyResult(Msg):
    type: Literal["identify_result"] = "identify_result"
    contact_id: Id
    matches: list[PersonCard]
    needs_additional: bool = False


class ChatMsg(Msg):
    type: Literal["chat"] = "chat"
    message: ChatMessage


class SignalMsg(Msg):
    type: Literal["signal"] = "signal"
    contact_id: Id
    signal: Signal


class CallAnswered(Msg):
    """The patient's answer to a raised call; on accept a new leg follows."""

    type: Literal["call_answered"] = "call_answered"
    contact_id: Id
    accept: bool


class Pong(Msg):
    type: Literal["pong"] = "pong"


class Figures(BaseModel):
    """One queue group's numbers over a window, as :mod:`console.stats.figures` defines
    them (the hub fills these from :class:`console.stats.QueueFigures`). Ratios and
    averages are ``None`` when there is nothing to divide by."""

    model_config = ConfigDict(frozen=True)

    offered: int = 0
    answered: int = 0
    answered_within_target: int = 0
    abandoned: int = 0
    abandoned_after_target: int = 0
    timed_out: int = 0
    short_abandoned: int = 0
    transferred: int = 0
    cancelled: int = 0
    waiting: int = 0
    handled: int = 0
    service_level: float | None = None  # within target / (answered + abandoned after target)
    abandoned_share: float | None = None  # abandoned / offered
    asa_s: float | None = None  # average speed of answer, seconds
    aht_s: float | None = None  # average handle time (talk + wrap-up), seconds


class QueueBoard(BaseModel):
    """A queue group on the wallboard: now, today, and the last 15 minutes."""

    model_config = ConfigDict(frozen=True)

    queue: str  # "operators", "duty:therapist", "duty:pediatrician", "appointments"
    waiting: int
    longest_wait_s: float | None = None  # None: nobody waits (left out on the wire)
    free_staff: int
    today: Figures
    recent: Figures


class StaffBoardRow(BaseModel):
    """A staff member on the supervisor's board (no personal data of patients)."""

    model_config = ConfigDict(frozen=True)

    staff: StaffInfo
    state: StaffStateName
    reason: str = ""
    since: datetime  # when the current state began
    online: bool  # a console is connected
    contact_id: Id | None = None
    channel: Channel | None = None
    handled_today: int = 0


class WallboardMsg(Msg):
    type: Literal["wallboard"] = "wallboard"
    at: datetime
    target_s: float  # the service level's target answer time
    goal: float  # the service level the center aims at (0.8)
    queues: list[QueueBoard]
    staff: list[StaffBoardRow]


class ReportRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime  # local time of the call center
    end: datetime
    queue: str
    figures: Figures


class ReportMsg(Msg):
    type: Literal["report"] = "report"
    day: date
    rows: list[ReportRow]
    csv: str  # the same rows as console.stats.report_csv writes them


# -- booking replies


class SlotsMsg(Msg):
    """Free slots, earliest first; ``doctors``: every doctor who takes appointments
    (the dialog's choices). ``now`` and ``timezone``: the hub's clock and the call
    center's zone (slots are shown in its wall-clock time)."""

    type: Literal["slots"] = "slots"
    now: datetime
    timezone: str
    day: date | None = None
    slots: list[SlotView]
    doctors: list[DoctorView] = []


class FreeDaysMsg(Msg):
    type: Literal["free_days"] = "free_days"
    year: int
    month: int
    days: list[FreeDay]


class SlotHeld(Msg):
    """The hold, until ``appointment.hold_expires_at`` (``now``: the hub's clock then),
    with what confirming it needs to know."""

    type: Literal["slot_held"] = "slot_held"
    appointment: AppointmentView
    now: datetime
    referral_required: bool = False
    referrals: list[ReferralView] = []  # the person's, that fit this slot and are not used
    insured_phones: list[str] = []  # national format
    representative_phones: list[str] = []
    quota_left: int | None = None  # None: the program has no quota


class AppointmentMsg(Msg):
    type: Literal["appointment"] = "appointment"
    appointment: AppointmentView


class AppointmentsMsg(Msg):
    type: Literal["appointments"] = "appointments"
    person_id: int
    now: datetime
    timezone: str
    appointments: list[AppointmentView]  # by start; holds left out
    referrals: list[ReferralView] = []
    quota_left: int | None = None


class MyDayMsg(Msg):
    """The doctor's appointments of ``day`` (the call center's), by start; holds and
    timely cancellations left out."""

    type: Literal["my_day"] = "my_day"
    day: date
    now: datetime
    timezone: str
    appointments: list[AppointmentView]


HubToStaff = Annotated[
    Welcome
    | Ack
    | Error
    | OfferMsg
    | OfferWithdrawn
    | ContactUpdate
    | ContactGone
    | QueueSnapshot
    | QueueDelta
    | StaffStateMsg
    | IdentifyResult
    | ChatMsg
    | SignalMsg
    | CallAnswered
    | WallboardMsg
    | ReportMsg
    | SlotsMsg
    | FreeDaysMsg
    | SlotHeld
    | AppointmentMsg
    | AppointmentsMsg
    | MyDayMsg
    | Pong,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- patient -> hub


class PatientHello(Msg):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=16, max_length=200)]


class Start(Msg):
    """Ask for a medconsultant: the channel, and whom the contact is for."""

    type: Literal["start"]
    channel: Channel
    person_id: int | None = None


class ConfirmConsent(Msg):
    type: Literal["confirm_consent"]
    kind: ConsentKindName
    text_version: Annotated[str, Field(max_length=32)]


class PatientChat(Msg):
    type: Literal["chat"]
    text: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    attachment_id: Id | None = None


class PatientSignal(Msg):
    type: Literal["signal"]
    signal: Signal


class CallAnswer(Msg):
    """The patient's answer to a video call raised from chat."""

    type: Literal["call_answer"]
    accept: bool


class HangUp(Msg):
    type: Literal["hang_up"]


class ListMyAppointments(Msg):
    """The appointments of everyone this phone reaches: :class:`PatientAppointmentsMsg`."""

    type: Literal["list_appointments"]


PatientCommand = Annotated[
    PatientHello
    | Start
    | ConfirmConsent
    | PatientChat
    | PatientSignal
    | CallAnswer
    | HangUp
    | ListMyAppointments
    | Ping,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- hub -> patient


class PatientWelcome(Msg):
    type: Literal["welcome"] = "welcome"
    phone: str  # national format
    persons: list[PersonCard]  # the phone's owner and the people they represent
    contact_id: Id | None = None  # a contact still open (after a reconnect)
    chat: list[ChatMessage] = []


class QueueStatus(Msg):
    type: Literal["queue_status"] = "queue_status"
    contact_id: Id
    position: int  # 1 = next
    waiting_s: float
    state: str  # "waiting", "connected", "with_doctor", "returned", "closed"


class ConsentRequest(Msg):
    type: Literal["consent_request"] = "consent_request"
    kind: ConsentKindName
    text_version: str
    text: str


class LegOpen(Msg):
    """Someone took the contact: open a peer connection and send an offer on ``leg``."""

    type: Literal["leg"] = "leg"
    contact_id: Id
    leg: Id
    media: Literal["audio", "video", "none"]
    staff_role: Literal["operator", "doctor"]
    staff_name: str


class CallRequest(Msg):
    """The staff member raises the chat to a video call."""

    type: Literal["call_request"] = "call_request"
    contact_id: Id
    media: Literal["audio", "video"]


class HoldMsg(Msg):
    """The staff member put the call on hold (``on``) or took it off hold."""

    type: Literal["hold"] = "hold"
    contact_id: Id
    on: bool


class Ended(Msg):
    type: Literal["ended"] = "ended"
    contact_id: Id
    outcome: str


class ConclusionReady(Msg):
    """A signed conclusion's PDF (when the doctor signs, and the phone's earlier ones after
    each welcome, oldest first)."""

    type: Literal["conclusion_ready"] = "conclusion_ready"
    contact_id: Id
    url: str
    signed_at: datetime | None = None


class ReminderMsg(Msg):
    """10 minutes before a consultation (003): also sent late, once, after a hub restart."""

    type: Literal["reminder"] = "reminder"
    appointment: PatientAppointment
    text: str


class PatientAppointmentsMsg(Msg):
    type: Literal["appointments"] = "appointments"
    appointments: list[PatientAppointment]  # future and past, by start
    timezone: str = ""  # the call center's (the SMS's times are its wall-clock times)


HubToPatient = Annotated[
    PatientWelcome
    | Ack
    | Error
    | QueueStatus
    | ConsentRequest
    | LegOpen
    | SignalMsg
    | ChatMsg
    | CallRequest
    | HoldMsg
    | Ended
    | ConclusionReady
    | ReminderMsg
    | PatientAppointmentsMsg
    | Pong,
    Field(discriminator="type"),
]


# ---------------------------------------------------------------- HTTP bodies


class SmsCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: Annotated[str, Field(max_length=40)]


class PatientLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: Annotated[str, Field(max_length=40)]
    code: Annotated[str, Field(max_length=12)]


class StaffLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenReply(BaseModel):
    token: str
    expires_at: datetime


# ---------------------------------------------------------------- parsing

_staff_in: TypeAdapter[StaffCommand] = TypeAdapter(StaffCommand)
_staff_out: TypeAdapter[HubToStaff] = TypeAdapter(HubToStaff)
_patient_in: TypeAdapter[PatientCommand] = TypeAdapter(PatientCommand)
_patient_out: TypeAdapter[HubToPatient] = TypeAdapter(HubToPatient)

MAX_FRAME = 256 * 1024  # from a client: more is hostile
MAX_HUB_FRAME = 32 * 1024 * 1024  # from the hub: a contact's whole chat history may be long


class ProtocolError(ValueError):
    """A frame that is not a valid message; ``field`` names the first bad field."""

    def __init__(self, message: str, field: str | None = None, ref: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.ref = ref

    def to_error(self) -> Error:
        return Error(code="bad_message", message=self.message, field=self.field, ref=self.ref)


def _parse(adapter: TypeAdapter[Any], raw: str | bytes, limit: int = MAX_FRAME) -> Any:
    if len(raw) > limit:
        raise ProtocolError(f"frame larger than {limit} bytes")
    try:
        return adapter.validate_json(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False, include_input=False)[0]
        loc = [str(p) for p in err["loc"]]
        # drop the discriminator tag pydantic puts first ("chat", "signal", ...)
        if len(loc) > 1 and err["type"] not in ("union_tag_invalid", "union_tag_not_found"):
            loc = loc[1:]
        field = ".".join(loc) or None
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field = "type"
        ref = _ref_of(raw)
        raise ProtocolError(f"{field or 'message'}: {err['msg']}", field, ref) from None


def _ref_of(raw: str | bytes) -> str | None:
    """The ``ref`` of a frame that failed to parse, so the error can carry it."""
    import json

    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    ref = obj.get("ref") if isinstance(obj, dict) else None
    return ref if isinstance(ref, str) and len(ref) <= 64 else None


def parse_staff(raw: str | bytes) -> StaffCommand:
    return _parse(_staff_in, raw)


def parse_from_hub_staff(raw: str | bytes) -> HubToStaff:
    return _parse(_staff_out, raw, MAX_HUB_FRAME)


def parse_patient(raw: str | bytes) -> PatientCommand:
    return _parse(_patient_in, raw)


def parse_from_hub_patient(raw: str | bytes) -> HubToPatient:
    return _parse(_patient_out, raw, MAX_HUB_FRAME)


def dump(msg: BaseModel) -> str:
    return msg.model_dump_json(exclude_none=True)
