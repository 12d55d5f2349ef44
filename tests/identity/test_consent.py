"""Consent states: send, confirm, revoke; which transitions are refused; the texts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.identity.consent import (
    CURRENT_TEXT_VERSIONS,
    ConsentError,
    confirm,
    consent_text,
    missing_consents,
    revoke,
    send,
    services_allowed,
)
from console.identity.model import Consent, ConsentKind, ConsentState

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=2)
T2 = T0 + timedelta(days=30)
PD = ConsentKind.PERSONAL_DATA
TM = ConsentKind.REMOTE_CONSULTATION
V1 = "pd-2026-01"


def sent(kind: ConsentKind = PD, version: str = V1) -> Consent:
    return send(Consent(kind=kind), T0, version)


def confirmed(kind: ConsentKind = PD, version: str = V1) -> Consent:
    return confirm(sent(kind, version), T1, version)


def revoked() -> Consent:
    return revoke(confirmed(), T2)


def test_send_from_not_sent_records_time_and_version() -> None:
    assert send(Consent(kind=PD), T0, V1) == Consent(
        kind=PD, state=ConsentState.SENT, text_version=V1, sent_at=T0
    )


def test_resend_replaces_time_and_version() -> None:
    again = send(sent(), T1, "pd-2026-02")
    assert (again.state, again.sent_at, again.text_version) == (
        ConsentState.SENT,
        T1,
        "pd-2026-02",
    )


def test_send_after_revoke_starts_a_new_round() -> None:
    again = send(revoked(), T2 + timedelta(days=1), V1)
    assert again == Consent(
        kind=PD, state=ConsentState.SENT, text_version=V1, sent_at=T2 + timedelta(days=1)
    )


def test_confirm_records_time_and_keeps_version() -> None:
    assert confirmed() == Consent(
        kind=PD, state=ConsentState.CONFIRMED, text_version=V1, sent_at=T0, confirmed_at=T1
    )


def test_revoke_keeps_what_was_confirmed() -> None:
    assert revoked() == Consent(
        kind=PD,
        state=ConsentState.REVOKED,
        text_version=V1,
        sent_at=T0,
        confirmed_at=T1,
        revoked_at=T2,
    )


@pytest.mark.parametrize(
    ("action", "message_part"),
    [
        pytest.param(lambda: send(confirmed(), T2, V1), "already confirmed", id="send-confirmed"),
        pytest.param(lambda: send(Consent(kind=PD), T0, ""), "text version", id="send-no-version"),
        pytest.param(
            lambda: confirm(Consent(kind=PD), T1, V1), "is not sent", id="confirm-not-sent"
        ),
        pytest.param(lambda: confirm(confirmed(), T2, V1), "is confirmed", id="confirm-twice"),
        pytest.param(lambda: confirm(revoked(), T2, V1), "is revoked", id="confirm-revoked"),
        pytest.param(
            lambda: confirm(sent(version=V1), T1, "pd-2025-07"),
            "not the one sent",
            id="confirm-other-version",
        ),
        pytest.param(
            lambda: confirm(sent(), T0 - timedelta(seconds=1), V1),
            "before it was sent",
            id="confirm-before-sent",
        ),
        pytest.param(lambda: revoke(Consent(kind=PD), T1), "is not sent", id="revoke-not-sent"),
        pytest.param(lambda: revoke(sent(), T1), "is sent", id="revoke-sent"),
        pytest.param(lambda: revoke(revoked(), T2), "is revoked", id="revoke-twice"),
    ],
)
def test_refused_transitions(action: object, message_part: str) -> None:
    assert callable(action)
    with pytest.raises(ConsentError, match=message_part):
        action()


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        send(Consent(kind=PD), datetime(2026, 11, 22, 9, 0), V1)


NOT_SENT_PD = Consent(kind=PD)
SENT_TM = sent(TM, "tm-2026-01")
OK_PD = confirmed(PD, V1)
OK_TM = confirmed(TM, "tm-2026-01")


@pytest.mark.parametrize(
    ("consents", "missing"),
    [
        pytest.param({}, [PD, TM], id="nothing-on-record"),
        pytest.param({PD: NOT_SENT_PD, TM: SENT_TM}, [PD, TM], id="not-sent-and-sent"),
        pytest.param({PD: OK_PD}, [TM], id="tm-absent"),
        pytest.param({TM: OK_TM}, [PD], id="pd-absent"),
        pytest.param({TM: OK_TM, PD: OK_PD}, [], id="both-confirmed"),
        pytest.param({PD: revoke(OK_PD, T2), TM: OK_TM}, [PD], id="pd-revoked"),
    ],
)
def test_missing_consents_and_services_allowed(
    consents: dict[ConsentKind, Consent], missing: list[ConsentKind]
) -> None:
    assert missing_consents(consents) == missing
    assert services_allowed(consents) is (missing == [])


@pytest.mark.parametrize(
    ("kind", "version", "words"),
    [
        pytest.param(PD, "pd-2026-01", "персональных данных", id="personal-data"),
        pytest.param(TM, "tm-2026-01", "телемедицинских технологий", id="remote-consultation"),
    ],
)
def test_consent_texts(kind: ConsentKind, version: str, words: str) -> None:
    assert CURRENT_TEXT_VERSIONS[kind] == version
    text = consent_text(kind)
    assert words in text
    assert text.count("\n\n") == 1  # two paragraphs
    assert consent_text(kind, version) == text


def test_every_kind_has_a_current_text() -> None:
    assert set(CURRENT_TEXT_VERSIONS) == set(ConsentKind)


def test_unknown_text_version_is_refused() -> None:
    with pytest.raises(ConsentError, match="pd-1999-01"):
        consent_text(PD, "pd-1999-01")
