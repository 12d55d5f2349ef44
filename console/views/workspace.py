"""The contact workspace: identification, consent, reason, transfer, wrap-up.

Each panel shows one side of the contact the console holds and asks the
:class:`~console.views.controller.ConsoleController` to act; none talks to the
hub or the store itself. ``set_contact`` gives a panel the hub's latest view of
the contact (``None`` when there is none), and the panel redraws from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.views.models import MatchesModel, full_name, policy_badge, queue_name, route_name
from console.views.resources import QT_TRANSLATE_NOOP

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from console.protocol import messages as m
    from console.views.controller import ConsoleController


def _button(text: str, name: str, accessible: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(accessible)
    return b


def _warning_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b71c1c;")
    return label


def consents_missing(view: m.ContactView | None) -> list[str]:
    """The consent kinds not confirmed yet (both, when nobody is identified)."""
    kinds = ["personal_data", "remote_consultation"]
    if view is None or view.person is None:
        return kinds
    confirmed = {c.kind for c in view.consents if c.state == "confirmed"}
    return [k for k in kinds if k not in confirmed]


def consent_kind_name(kind: str) -> str:
    names = {
        "personal_data": translate("Consent", "Personal data processing"),
        "remote_consultation": translate("Consent", "Informed consent to remote consultation"),
    }
    return names.get(kind, kind)


def consent_state_name(state: str) -> tuple[str, str]:
    names = {
        "not_sent": (translate("Consent", "not sent"), "#757575"),
        "sent": (translate("Consent", "sent, waiting for the patient"), "#ef6c00"),
        "confirmed": (translate("Consent", "confirmed"), "#2e7d32"),
        "revoked": (translate("Consent", "revoked"), "#c62828"),
    }
    return names.get(state, (state, "#000000"))


class IdentityPanel(QGroupBox):
    """Who is calling: the phone's people, searches, the additional identification."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("IdentityPanel", "Identification"), parent)
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.needs_additional = False

        self.caller = QLabel()
        self.caller.setObjectName("callerPhone")
        self.card = QLabel(translate("IdentityPanel", "Nobody identified yet."))
        self.card.setObjectName("identityCard")
        self.card.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setObjectName("policyBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.hide()

        self.model = MatchesModel(self)
        self.matches = QTableView()
        self.matches.setObjectName("identityMatches")
        self.matches.setAccessibleName(translate("IdentityPanel", "People found"))
        self.matches.setModel(self.model)
        self.matches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matches.verticalHeader().hide()
        self.matches.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.matches.horizontalHeader().setStretchLastSection(True)
        self.matches.doubleClicked.connect(lambda _ix: self.select_current())
        self.matches.setMinimumHeight(90)
        self.select_button = _button(
            translate("IdentityPanel", "This is the person"),
            "selectPersonButton",
            translate("IdentityPanel", "Choose the selected person"),
        )
        self.select_button.clicked.connect(self.select_current)
        self.found = QLabel()
        self.found.setObjectName("identityFound")

        self.policy = QLineEdit()
        self.policy.setObjectName("policySearch")
        self.policy.setAccessibleName(translate("IdentityPanel", "Policy number"))
        self.policy.setPlaceholderText(translate("IdentityPanel", "Policy number"))
        self.policy.returnPressed.connect(self.search_policy)
        self.policy_button = _button(
            translate("IdentityPanel", "Find"),
            "policySearchButton",
            translate("IdentityPanel", "Find by policy"),
        )
        self.policy_button.clicked.connect(self.search_policy)

        self.name = QLineEdit()
        self.name.setObjectName("nameSearch")
        self.name.setAccessibleName(translate("IdentityPanel", "Full name"))
        self.name.setPlaceholderText(translate("IdentityPanel", "Surname Name Patronymic"))
        self.birth = QDateEdit()
        self.birth.setObjectName("birthSearch")
        self.birth.setAccessibleName(translate("IdentityPanel", "Birth date"))
        self.birth.setDisplayFormat("dd.MM.yyyy")
        self.birth.setCalendarPopup(True)
        self.birth.setDate(QDate(1980, 1, 1))
        self.name_button = _button(
            translate("IdentityPanel", "Find"),
            "nameSearchButton",
            translate("IdentityPanel", "Find by name and birth date"),
        )
        self.name_button.clicked.connect(self.search_name)
        self.name.returnPressed.connect(self.search_name)

        self.additional = QFrame()
        self.additional.setObjectName("additionalIdentification")
        self.additional.setStyleSheet(
            "#additionalIdentification { background: #fff3e0; border: 1px solid #ef6c00; }"
        )
        add = QVBoxLayout(self.additional)
        note = QLabel(
            translate(
                "IdentityPanel",
                "The caller's phone is not registered for this person. Ask for the policy "
                "number, the full name and the birth date; when they match, register the phone.",
            )
        )
        note.setWordWrap(True)
        self.register_button = _button(
            translate("IdentityPanel", "Register this phone"),
            "registerPhoneButton",
            translate("IdentityPanel", "Register the caller's phone for the person"),
        )
        self.register_button.clicked.connect(self.register_phone)
        add.addWidget(note)
        add.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.additional.hide()

        head = QHBoxLayout()
        head.addWidget(self.caller, 1)
        head.addWidget(self.badge)
        search1 = QHBoxLayout()
        search1.addWidget(self.policy, 1)
        search1.addWidget(self.policy_button)
        search2 = QHBoxLayout()
        search2.addWidget(self.name, 2)
        search2.addWidget(self.birth, 1)
        search2.addWidget(self.name_button)
        picked = QHBoxLayout()
        picked.addWidget(self.found, 1)
        picked.addWidget(self.select_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.card)
        layout.addWidget(self.matches, 1)
        layout.addLayout(picked)
        layout.addWidget(self.additional)
        layout.addLayout(search1)
        layout.addLayout(search2)

        controller.identified.connect(self.show_result)
        self.set_contact(None)

    # -- contact

    def set_contact(self, view: m.ContactView | None) -> None:
        new = view is None or self.contact is None or view.id != self.contact.id
        self.contact = view
        enabled = view is not None and view.state in ("connected", "with_doctor")
        for w in (self.policy, self.policy_button, self.name, self.birth, self.name_button):
            w.setEnabled(enabled)
        if new:
            self.model.set_people([])
            self.needs_additional = False
            self.found.clear()
            if view is not None and view.person is not None:
                self.model.set_people([view.person])
        if view is None:
            self.caller.setText("")
            self.card.setText(translate("IdentityPanel", "No contact."))
            self.badge.hide()
        else:
            phone = view.caller_phone or translate("IdentityPanel", "not known")
            self.caller.setText(
                translate("IdentityPanel", "Caller's phone: {phone}").format(phone=phone)
            )
            self._show_person(view.person)
        self._update_buttons()

    def lookup_caller(self) -> None:
        """Look the caller's phone up at once (on accept)."""
        if self.contact is not None and self.contact.caller_phone:
            self.found.setText(translate("IdentityPanel", "Looking the phone up…"))
            self.controller.identify(self.contact.id)

    def _show_person(self, person: m.PersonCard | None) -> None:
        if person is None:
            self.card.setText(translate("IdentityPanel", "Nobody identified yet."))
            self.badge.hide()
            return
        word, colour = policy_badge(person.policy_status)
        self.badge.setText(word)
        self.badge.setStyleSheet(
            f"background: {colour.name()}; color: white; padding: 3px 8px; font-weight: bold;"
        )
        self.badge.show()
        route = route_name(person.route)
        lines = [
            f"<b>{full_name(person)}</b>",
            translate("IdentityPanel", "born {born}, {age} years · route: {route}").format(
                born=person.birth_date.strftime("%d.%m.%Y"), age=person.age, route=route
            ),
            translate("IdentityPanel", "policy {number}").format(
                number=person.policy_number or "—"
            ),
        ]
        if person.age < 1:
            lines.append(
                "<span style='color:#c62828'>"
                + translate(
                    "IdentityPanel", "Under one year old: the duty pediatrician advises only."
                )
                + "</span>"
            )
        self.card.setText("<br>".join(lines))

    # -- searches

    def search_policy(self) -> None:
        number = self.policy.text().strip()
        if self.contact is None or not number:
            return
        self.found.setText(translate("IdentityPanel", "Searching…"))
        self.controller.identify(self.contact.id, policy_number=number)

    def search_name(self) -> None:
        name = " ".join(self.name.text().split())
        if self.contact is None or not name:
            return
        qd = self.birth.date()
        born = date(qd.year(), qd.month(), qd.day())
        self.found.setText(translate("IdentityPanel", "Searching…"))
        self.controller.identify(self.contact.id, full_name=name, birth_date=born)

    def show_result(self, result: m.IdentifyResult) -> None:
        if self.contact is None or result.contact_id != self.contact.id:
            return
        self.model.set_people(result.matches)
        self.needs_additional = result.needs_additional
        if not result.matches:
            self.found.setText(translate("IdentityPanel", "Not found in the registry."))
        else:
            self.found.setText(
                translate("IdentityPanel", "Found: {n}").format(n=len(result.matches))
            )
            self.matches.selectRow(0)
        self._update_buttons()

    def select_current(self) -> None:
        rows = self.matches.selectionModel().selectedRows()
        if self.contact is None or not rows:
            return
        person = self.model.person(rows[0].row())
        self.controller.select_person(self.contact.id, person.person_id)

    def register_phone(self) -> None:
        if self.contact is None or self.contact.person is None:
            return
        self.controller.register_phone(self.contact.id, self.contact.person.person_id)
        self.needs_additional = False
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.contact
        self.select_button.setEnabled(bool(view is not None and self.model.rowCount() > 0))
        registered = False
        if view is not None and view.person is not None and view.caller_phone:
            registered = view.caller_phone in view.person.phones
        show_additional = bool(
            view is not None
            and view.caller_phone
            and (self.needs_additional or (view.person is not None and not registered))
        )
        self.additional.setVisible(show_additional)
        # only for a chosen person whose phones do not include the caller's
        self.register_button.setEnabled(
            bool(view is not None and view.person is not None and not registered)
        )


class ConsentPanel(QGroupBox):
    """Both consents' state; send or resend what is not confirmed."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("ConsentPanel", "Consent"), parent)
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.state = QLabel()
        self.state.setObjectName("consentState")
        self.state.setAccessibleName(translate("ConsentPanel", "Consent state"))
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.state.setWordWrap(True)  # the consents' full names, on a narrow column too
        self.send_button = _button(
            translate("ConsentPanel", "Send consents"),
            "consentSendButton",
            translate("ConsentPanel", "Send the consents to the patient"),
        )
        self.send_button.clicked.connect(self.send)
        self.hint = QLabel()
        self.hint.setObjectName("consentHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.send_button)
        layout.addLayout(row)
        self.set_contact(None)

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        states: dict[str, str] = (
            {c.kind: c.state for c in view.consents} if view is not None else {}
        )
        rows = []
        for kind in ("personal_data", "remote_consultation"):
            word, colour = consent_state_name(states.get(kind, "not_sent"))
            rows.append(f"{consent_kind_name(kind)}: <b style='color:{colour}'>{word}</b>")
        self.state.setText("<br>".join(rows))
        missing = consents_missing(view)
        if view is None or view.person is None:
            self.send_button.setEnabled(False)
            self.hint.setText(translate("ConsentPanel", "Identify the person first."))
        elif not missing:
            self.send_button.setEnabled(False)
            self.hint.setText(translate("ConsentPanel", "Both consents are confirmed."))
        else:
            self.send_button.setEnabled(view.state == "connected")
            resend = all(states.get(k) == "sent" for k in missing)
            self.send_button.setText(
                translate("ConsentPanel", "Resend consents")
                if resend
                else translate("ConsentPanel", "Send consents")
            )
            self.hint.setText(
                translate("ConsentPanel", "The patient confirms them on their page.")
                if resend
                else ""
            )

    def send(self) -> None:
        view = self.contact
        if view is None or view.person is None:
            return
        kinds: list[Any] = consents_missing(view)
        if kinds:
            self.controller.send_consents(view.id, kinds)


class ReasonPanel(QGroupBox):
    """The reason for the contact; saved as it is typed (a second after the last key)."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("ReasonPanel", "Reason"), parent)
        self.controller = controller
        self.contact_id: str | None = None
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("reasonEdit")
        self.edit.setAccessibleName(translate("ReasonPanel", "Reason for the contact"))
        self.edit.setPlaceholderText(
            translate("ReasonPanel", "What the person is calling about; the doctor will read it.")
        )
        self.edit.setMaximumHeight(90)
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(1000)
        self._save.timeout.connect(self.save)
        self.edit.textChanged.connect(self._save.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)

    def set_contact(self, view: m.ContactView | None) -> None:
        new_id = view.id if view is not None else None
        if new_id != self.contact_id:
            self.flush()
            self.contact_id = new_id
            self.edit.blockSignals(True)
            self.edit.setPlainText(view.reason if view is not None else "")
            self.edit.blockSignals(False)
        self.edit.setEnabled(view is not None and view.state == "connected")

    @property
    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def flush(self) -> None:
        if self._save.isActive():
            self._save.stop()
            self.save()

    def save(self) -> None:
        if self.contact_id is not None:
            self.controller.set_reason(self.contact_id, self.text)


class TransferPanel(QGroupBox):
    """Transfer to the duty doctor the person's age calls for, in one action."""

    transfer_requested = Signal(str, str)  # contact id, target queue

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(translate("TransferPanel", "Transfer to the duty doctor"), parent)
        self.controller = controller
        self.contact: m.ContactView | None = None
        self.summaries: dict[str, m.QueueSummary] = {}
        self.route = QLabel()
        self.route.setObjectName("routeSuggestion")
        self.route.setAccessibleName(translate("TransferPanel", "Suggested specialty"))
        self.route.setWordWrap(True)
        self.load = QLabel()
        self.load.setObjectName("dutyQueueInfo")
        self.blocked = _warning_label("transferBlockedReason")
        self.button = _button(
            translate("TransferPanel", "Transfer"),
            "transferDutyButton",
            translate("TransferPanel", "Transfer to the duty doctor"),
        )
        self.button.setStyleSheet("padding: 6px 14px; font-weight: bold;")
        self.button.clicked.connect(self.transfer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.route)
        layout.addWidget(self.load)
        row = QHBoxLayout()
        row.addWidget(self.blocked, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        controller.queue_changed.connect(self.set_queues)
        self.set_contact(None)

    def target(self) -> str | None:
        view = self.contact
        if view is None or view.person is None:
            return None
        return f"duty:{view.person.route}"

    def set_queues(self, snapshot: m.QueueSnapshot | m.QueueDelta) -> None:
        self.summaries = {s.queue: s for s in snapshot.summaries}
        self._show_load()

    def _show_load(self) -> None:
        target = self.target()
        summary = self.summaries.get(target) if target else None
        if summary is None:
            self.load.setText("")
            return
        self.load.setText(
            translate("TransferPanel", "{queue}: waiting {waiting}, free doctors {free}").format(
                queue=queue_name(summary.queue), waiting=summary.waiting, free=summary.free_staff
            )
        )
        self.load.setStyleSheet("color: #c62828;" if summary.free_staff == 0 else "")

    def set_contact(self, view: m.ContactView | None) -> None:
        self.contact = view
        person = view.person if view is not None else None
        if person is None:
            self.route.setText(translate("TransferPanel", "The specialty follows from the age."))
        else:
            text = translate("TransferPanel", "{route} — the person is {age}").format(
                route=route_name(person.route), age=person.age
            )
            if person.age < 1:
                text += (
                    "<br><span style='color:#c62828'>"
                    + translate(
                        "TransferPanel",
                        "Under one year old: the pediatrician can only advise; "
                        "an in-person doctor is needed.",
                    )
                    + "</span>"
                )
            self.route.setText(text)
        reason = self.blocked_reason()
        self.blocked.setText(reason)
        self.button.setEnabled(not reason)
        self.button.setToolTip(reason)
        self._show_load()

    def blocked_reason(self) -> str:
        view = self.contact
        if view is None:
            return translate("TransferPanel", "No contact.")
        if self.controller.me is not None and self.controller.me.role != "operator":
            return translate("TransferPanel", "Only a medconsultant transfers.")
        if view.state != "connected":
            return translate("TransferPanel", "The contact is not in conversation.")
        if view.person is None:
            return translate("TransferPanel", "Identify the person first.")
        if view.person.policy_status != "valid":
            return translate(
                "TransferPanel", "The policy is not valid today: services cannot be given."
            )
        if consents_missing(view):
            return translate("TransferPanel", "Both consents must be confirmed first.")
        return ""

    def transfer(self) -> None:
        target = self.target()
        if self.contact is not None and target is not None and not self.blocked_reason():
            self.button.setEnabled(False)
            self.transfer_requested.emit(self.contact.id, target)


OUTCOMES: tuple[tuple[str, str], ...] = (
    ("completed", QT_TRANSLATE_NOOP("WrapUpPanel", "Completed")),
    ("closed_as_given", QT_TRANSLATE_NOOP("WrapUpPanel", "Closed: information given")),
    ("abandoned", QT_TRANSLATE_NOOP("WrapUpPanel", "The patient left")),
    ("not_reached", QT_TRANSLATE_NOOP("WrapUpPanel", "Not reached")),
    ("cancelled", QT_TRANSLATE_NOOP("WrapUpPanel", "Cancelled")),
    ("technical_failure", QT_TRANSLATE_NOOP("WrapUpPanel", "Technical failure")),
)


class WrapUpPanel(QGroupBox):
    """After the contact: its outcome and a comment, with the wrap-up time left."""

    def __init__(
        self,
        controller: ConsoleController,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(translate("WrapUpPanel", "Wrap-up"), parent)
        self.controller = controller
        self.contact_id: str | None = None
        self.until: datetime | None = None
        self.started: datetime | None = None
        self._now = now or (lambda: datetime.now(UTC))
        self.outcome = QComboBox()
        self.outcome.setObjectName("wrapupOutcome")
        self.outcome.setAccessibleName(translate("WrapUpPanel", "Outcome"))
        for value, text in OUTCOMES:
            self.outcome.addItem(translate("WrapUpPanel", text), value)
        self.comment = QLineEdit()
        self.comment.setObjectName("wrapupComment")
        self.comment.setAccessibleName(translate("WrapUpPanel", "Comment"))
        self.comment.setPlaceholderText(translate("WrapUpPanel", "Comment"))
        self.timer_label = QLabel()
        self.timer_label.setObjectName("wrapupTimer")
        self.done_button = _button(
            translate("WrapUpPanel", "Done"),
            "wrapupDoneButton",
            translate("WrapUpPanel", "Finish the wrap-up"),
        )
        self.done_button.clicked.connect(self.done)
        form = QFormLayout(self)
        form.addRow(translate("WrapUpPanel", "Outcome"), self.outcome)
        form.addRow(translate("WrapUpPanel", "Comment"), self.comment)
        row = QHBoxLayout()
        row.addWidget(self.timer_label, 1)
        row.addWidget(self.done_button)
        form.addRow(row)
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._tick)
        self.setEnabled(False)

    def start(self, contact_id: str, until: datetime | None) -> None:
        if contact_id != self.contact_id:
            self.outcome.setCurrentIndex(0)
            self.comment.clear()
            self.started = self._now()
        self.contact_id = contact_id
        self.until = until
        self.setEnabled(True)
        self._timer.start()
        self._tick()

    def stop(self) -> None:
        self.contact_id = None
        self.until = None
        self._timer.stop()
        self.timer_label.clear()
        self.setEnabled(False)

    def _tick(self) -> None:
        now = self._now()
        if self.until is not None:
            left = max(0, int((self.until - now).total_seconds()))
            self.timer_label.setText(
                translate("WrapUpPanel", "Wrap-up: {t} left").format(
                    t=f"{left // 60:02d}:{left % 60:02d}"
                )
            )
        elif self.started is not None:
            gone = int((now - self.started).total_seconds())
            self.timer_label.setText(
                translate("WrapUpPanel", "Wrap-up: {t}").format(
                    t=f"{gone // 60:02d}:{gone % 60:02d}"
                )
            )

    def done(self) -> None:
        if self.contact_id is None:
            return
        outcome = self.outcome.currentData()
        self.controller.wrapup_done(self.contact_id, outcome, self.comment.text().strip())
