"""The two consents an insured person gives before services, and their states.

Personal-data processing (003) and informed voluntary consent to remote
consultation (004). Each goes NOT_SENT -> SENT -> CONFIRMED -> REVOKED, may be
sent again from SENT or REVOKED, and remembers the exact text version that was
sent and confirmed. Services are allowed only while both are confirmed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from console.identity._time import require_aware
from console.identity.model import Consent, ConsentKind, ConsentState

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

__all__ = [
    "CURRENT_TEXT_VERSIONS",
    "ConsentError",
    "confirm",
    "consent_text",
    "missing_consents",
    "revoke",
    "send",
    "services_allowed",
]


class ConsentError(ValueError):
    """A consent transition that the rules do not allow; ``str(exc)`` says why."""


CURRENT_TEXT_VERSIONS: dict[ConsentKind, str] = {
    ConsentKind.PERSONAL_DATA: "pd-2026-01",
    ConsentKind.REMOTE_CONSULTATION: "tm-2026-01",
}

_TEXTS: dict[tuple[ConsentKind, str], str] = {
    (ConsentKind.PERSONAL_DATA, "pd-2026-01"): (
        "Я, действуя свободно, своей волей и в своём интересе (или в интересе "
        "представляемого мною лица), даю согласие Страховщику и медицинской организации, "
        "оказывающей телемедицинские услуги по Программе страхования, на обработку моих "
        "персональных данных: фамилии, имени, отчества, даты рождения, пола, номера "
        "телефона, номера и срока действия полиса, а также сведений о состоянии здоровья, "
        "сообщённых мною при обращении, в целях идентификации, записи на консультации, "
        "оказания медицинских и информационно-консультационных услуг и уведомления о них.\n"
        "\n"
        "Обработка включает сбор, запись, хранение, уточнение, использование, передачу "
        "врачам, участвующим в оказании услуг, обезличивание и уничтожение, с "
        "использованием средств автоматизации и без них. Согласие действует в течение "
        "срока действия полиса и пяти лет после его окончания и может быть отозвано мною "
        "в любой момент через Платформу; отзыв не влияет на законность обработки, "
        "проведённой до него, но делает дальнейшее оказание услуг невозможным."
    ),
    (ConsentKind.REMOTE_CONSULTATION, "tm-2026-01"): (
        "Я даю информированное добровольное согласие на получение медицинской "
        "консультации с применением телемедицинских технологий (видео-, аудиосвязь и "
        "текстовые сообщения). Мне разъяснено, что врач, не проводивший очного приёма по "
        "текущему заболеванию, не может установить диагноз, открыть листок "
        "нетрудоспособности, выписать рецепт на лекарственный препарат или выдать справку, "
        "а консультация может завершиться без заключения, если сведений для него "
        "недостаточно.\n"
        "\n"
        "Я понимаю, что качество консультации зависит от связи и исправности моего "
        "оборудования, что при угрожающем жизни состоянии следует вызвать скорую помощь по "
        "номеру 103 или 112, а не ждать консультации, и что сохранённое заключение будет "
        "доступно мне в медицинской карте на Платформе. Текст настоящего согласия остаётся "
        "доступным мне в личном кабинете."
    ),
}


def consent_text(kind: ConsentKind, version: str | None = None) -> str:
    """The Russian text of a consent the insured is shown, in ``version`` (default: current).

    Earlier versions stay available, so that the text a person confirmed can be
    shown to them again. Raises :class:`ConsentError` for an unknown version.
    """
    v = CURRENT_TEXT_VERSIONS[kind] if version is None else version
    try:
        return _TEXTS[(kind, v)]
    except KeyError:
        raise ConsentError(f"There is no {kind.value} consent text of version {v!r}.") from None


def send(c: Consent, now: datetime, text_version: str) -> Consent:
    """Send (or send again) the consent in ``text_version``: the state becomes SENT.

    Allowed from NOT_SENT, SENT (a resend, which replaces the version and the
    time) and REVOKED. Sending an already confirmed consent raises
    :class:`ConsentError`. A new round starts clean: the old confirmation and
    revocation times are cleared (the audit log keeps the history).
    """
    require_aware(now)
    if not text_version:
        raise ConsentError("A consent must be sent with its text version.")
    if c.state == ConsentState.CONFIRMED:
        raise ConsentError("The consent is already confirmed; there is nothing to send.")
    return replace(
        c,
        state=ConsentState.SENT,
        text_version=text_version,
        sent_at=now,
        confirmed_at=None,
        revoked_at=None,
    )


def confirm(c: Consent, now: datetime, text_version: str) -> Consent:
    """Record the insured's confirmation of the consent text they were sent.

    Only a SENT consent can be confirmed, and only in the version that was sent:
    the insured confirms the exact text they were shown. Raises
    :class:`ConsentError` otherwise.
    """
    require_aware(now)
    if c.state != ConsentState.SENT:
        raise ConsentError(
            f"Only a sent consent can be confirmed; this one is {c.state.value.replace('_', ' ')}."
        )
    if text_version != c.text_version:
        raise ConsentError(
            f"The confirmed text version {text_version!r} is not the one sent "
            f"({c.text_version!r}); the consent must be sent again."
        )
    if c.sent_at is not None and now < c.sent_at:
        raise ConsentError("A consent cannot be confirmed before it was sent.")
    return replace(c, state=ConsentState.CONFIRMED, confirmed_at=now)


def revoke(c: Consent, now: datetime) -> Consent:
    """Record that the insured revoked a confirmed consent; services stop.

    Only a CONFIRMED consent can be revoked (raises :class:`ConsentError`
    otherwise). The confirmed version and time stay on the record.
    """
    require_aware(now)
    if c.state != ConsentState.CONFIRMED:
        raise ConsentError(
            f"Only a confirmed consent can be revoked; this one is "
            f"{c.state.value.replace('_', ' ')}."
        )
    return replace(c, state=ConsentState.REVOKED, revoked_at=now)


def missing_consents(consents: Mapping[ConsentKind, Consent]) -> list[ConsentKind]:
    """The kinds not confirmed yet, in :class:`ConsentKind` order; an absent kind counts."""
    return [
        kind
        for kind in ConsentKind
        if (c := consents.get(kind)) is None or c.state != ConsentState.CONFIRMED
    ]


def services_allowed(consents: Mapping[ConsentKind, Consent]) -> bool:
    """Whether services may be given: every kind of consent is confirmed."""
    return not missing_consents(consents)
