"""Plain values for the insured registry, shared by the rules and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class Route(StrEnum):
    """Which duty doctor an urgent contact goes to."""

    PEDIATRICIAN = "pediatrician"
    THERAPIST = "therapist"


class PolicyStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


class ConsentKind(StrEnum):
    PERSONAL_DATA = "personal_data"  # processing of personal data (003)
    REMOTE_CONSULTATION = "remote_consultation"  # informed voluntary consent (004)


class ConsentState(StrEnum):
    NOT_SENT = "not_sent"
    SENT = "sent"
    CONFIRMED = "confirmed"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Policy:
    number: str
    program: str
    purchased_on: date
    valid_from: date
    valid_to: date
    consultation_quota: int | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    surname: str
    name: str
    patronymic: str
    birth_date: date
    sex: Sex

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    verified: bool = False


@dataclass(frozen=True, slots=True)
class InsuredRecord:
    """One insured person as the registry knows them."""

    person: Person
    policies: tuple[Policy, ...] = ()
    phones: tuple[Phone, ...] = ()
    # ids of the people this person may act for, and of those who may act for them
    represents: tuple[int, ...] = ()
    represented_by: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Consent:
    kind: ConsentKind
    state: ConsentState = ConsentState.NOT_SENT
    text_version: str | None = None
    sent_at: datetime | None = None
    confirmed_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RouteDecision:
    age: int
    route: Route
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class InsuredImport:
    """One validated row of the insurer's sales export, ready for the registry."""

    policy: Policy
    surname: str
    name: str
    patronymic: str
    birth_date: date
    sex: Sex
    phone: str | None = None  # E.164
    representative_policy: str | None = None
