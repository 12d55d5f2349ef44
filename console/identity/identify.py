"""Identification flows, as pure decisions: the store fetches records, these decide.

- Who a phone reaches: its owners and the people they represent (a parent and
  their children), with age, route, policy and warnings for each.
- Additional identification when the caller's number is not the registered one
  (policy number + full name + date of birth; 003, footnote 3), which names the
  fields that failed and never the stored values.
- Registering a phone for a record that has none, only after that check passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from console.identity.model import InsuredRecord, Phone, Policy, PolicyStatus, Route
from console.identity.names import fold_name, names_match
from console.identity.phones import normalize_phone
from console.identity.policies import current_policy, policy_status
from console.identity.routing import route_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

__all__ = [
    "NO_POLICY_WARNING",
    "RELATION_REPRESENTED",
    "RELATION_SELF",
    "AdditionalCheck",
    "IdentificationError",
    "Identified",
    "describe",
    "matches_for_phone",
    "needs_additional_identification",
    "register_phone",
    "verify_additional",
]

RELATION_SELF: Final = "self"
RELATION_REPRESENTED: Final = "represented"
_RELATIONS = frozenset({RELATION_SELF, RELATION_REPRESENTED})

NO_POLICY_WARNING: Final = "No policy on record: services cannot be given."
POLICY_EXPIRED_WARNING: Final = "Policy expired on {valid_to}: services cannot be given."
POLICY_NOT_YET_VALID_WARNING: Final = (
    "Policy not yet valid (valid from {valid_from}): services cannot be given yet."
)

FIELDS: Final = ("policy_number", "surname", "name", "patronymic", "birth_date")


class IdentificationError(Exception):
    """An identification step the rules do not allow; ``str(exc)`` says why."""


@dataclass(frozen=True)
class Identified:
    """One person a contact may be about, as the medconsultant sees them on ``day``.

    ``relation`` is ``"self"`` when the phone is theirs, ``"represented"`` when
    the phone's owner represents them. ``policy`` is the one that matters that
    day (see :func:`~console.identity.policies.current_policy`); ``warnings``
    cover the age rule and a missing or invalid policy.
    """

    record: InsuredRecord
    age: int
    route: Route
    warnings: tuple[str, ...]
    policy: Policy | None
    policy_status: PolicyStatus | None
    relation: str

    @property
    def services_possible(self) -> bool:
        """Whether the policy allows services that day (consents are checked apart)."""
        return self.policy_status == PolicyStatus.VALID

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: strings, numbers, lists and ``None`` only."""
        person = self.record.person
        policy = self.policy
        return {
            "person_id": person.id,
            "policy_number": policy.number if policy else None,
            "policy_program": policy.program if policy else None,
            "policy_valid_from": policy.valid_from.isoformat() if policy else None,
            "policy_valid_to": policy.valid_to.isoformat() if policy else None,
            "policy_status": self.policy_status.value if self.policy_status else None,
            "surname": person.surname,
            "name": person.name,
            "patronymic": person.patronymic,
            "birth_date": person.birth_date.isoformat(),
            "sex": person.sex.value,
            "age": self.age,
            "route": self.route.value,
            "warnings": list(self.warnings),
            "relation": self.relation,
            "phones": [p.e164 for p in self.record.phones],
        }


@dataclass(frozen=True)
class AdditionalCheck:
    """The outcome of :func:`verify_additional`: ``failed`` names fields, never values.

    ``person_id`` is the record the check was made against, so that a passed
    check cannot register a phone on someone else; ``None`` means "not bound".
    """

    ok: bool
    failed: tuple[str, ...]
    person_id: int | None = None


def describe(record: InsuredRecord, day: date, relation: str = RELATION_SELF) -> Identified:
    """Age, route, policy and warnings for ``record`` on ``day`` (the call center's date).

    Raises :class:`ValueError` for an unknown ``relation`` or a ``day`` before
    the date of birth.
    """
    if relation not in _RELATIONS:
        raise ValueError(f"relation must be 'self' or 'represented', not {relation!r}")
    decision = route_for(record.person.birth_date, day)
    warnings = list(decision.warnings)
    policy = current_policy(record.policies, day)
    status = None if policy is None else policy_status(policy, day)
    if policy is None:
        warnings.append(NO_POLICY_WARNING)
    elif status == PolicyStatus.EXPIRED:
        warnings.append(POLICY_EXPIRED_WARNING.format(valid_to=policy.valid_to.isoformat()))
    elif status == PolicyStatus.NOT_YET_VALID:
        warnings.append(
            POLICY_NOT_YET_VALID_WARNING.format(valid_from=policy.valid_from.isoformat())
        )
    return Identified(
        record=record,
        age=decision.age,
        route=decision.route,
        warnings=tuple(warnings),
        policy=policy,
        policy_status=status,
        relation=relation,
    )


def _sorted_unique(records: Iterable[InsuredRecord], skip: set[int]) -> list[InsuredRecord]:
    """Records not in ``skip`` (which grows), once each, by surname, name, birth date."""
    out: list[InsuredRecord] = []
    for r in records:
        if r.person.id not in skip:
            skip.add(r.person.id)
            out.append(r)
    out.sort(
        key=lambda r: (
            fold_name(r.person.surname),
            fold_name(r.person.name),
            r.person.birth_date,
            r.person.id,
        )
    )
    return out


def matches_for_phone(
    owners: Sequence[InsuredRecord], represented: Sequence[InsuredRecord], day: date
) -> list[Identified]:
    """Everyone a call from one phone may be about, described on ``day``.

    ``owners`` are the people whose phone it is; ``represented`` the people they
    act for (a parent's children). Owners come first, then the represented, each
    group sorted by surname, name and date of birth; a person appears once, and
    as ``"self"`` if they own the phone too.
    """
    seen: set[int] = set()
    own = _sorted_unique(owners, seen)
    others = _sorted_unique(represented, seen)
    return [describe(r, day, RELATION_SELF) for r in own] + [
        describe(r, day, RELATION_REPRESENTED) for r in others
    ]


def _policy_key(number: str) -> str:
    return "".join(number.split()).casefold()


def verify_additional(
    record: InsuredRecord,
    policy_number: str,
    surname: str,
    name: str,
    patronymic: str,
    birth_date: date,
) -> AdditionalCheck:
    """Check what a caller dictated against ``record`` (003, footnote 3).

    The policy number may be any of the record's policies, compared without
    spaces and case; names compare with :func:`~console.identity.names.names_match`
    (case, Ё/Е and spacing aside); an empty patronymic matches a record that has
    none. ``failed`` lists the fields that did not match, in a fixed order.
    """
    person = record.person
    typed = _policy_key(policy_number)
    policy_ok = bool(typed) and any(_policy_key(p.number) == typed for p in record.policies)
    ok_by_field = {
        "policy_number": policy_ok,
        "surname": names_match(surname, person.surname),
        "name": names_match(name, person.name),
        "patronymic": names_match(patronymic, person.patronymic),
        "birth_date": birth_date == person.birth_date,
    }
    failed = tuple(f for f in FIELDS if not ok_by_field[f])
    return AdditionalCheck(ok=not failed, failed=failed, person_id=person.id)


def needs_additional_identification(caller_e164: str, record: InsuredRecord) -> bool:
    """Whether a caller must pass additional identification for ``record``.

    True when the calling number (E.164; empty when withheld) is not one of the
    record's phones. Phones of representatives are not known here: a call from a
    parent's phone about a child is settled by :func:`matches_for_phone`.
    """
    return not caller_e164 or all(p.e164 != caller_e164 for p in record.phones)


def register_phone(record: InsuredRecord, raw_phone: str, check: AdditionalCheck) -> Phone:
    """The phone to register for ``record``, normalized and verified.

    Refuses with :class:`IdentificationError` unless ``check`` passed (and, when
    it names a person, was made for this record). Raises
    :class:`~console.identity.phones.PhoneError` if ``raw_phone`` is not a phone.
    """
    if not check.ok:
        failed = ", ".join(check.failed) or "not done"
        raise IdentificationError(
            f"The phone cannot be registered: additional identification did not pass ({failed})."
        )
    if check.person_id is not None and check.person_id != record.person.id:
        raise IdentificationError(
            "The phone cannot be registered: the identification was made for another person."
        )
    return Phone(e164=normalize_phone(raw_phone), verified=True)
