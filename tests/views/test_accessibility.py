"""The automation contract: the named widgets exist, and every actionable widget has a name.

QA automation finds widgets by objectName; screen readers read the accessible
name Qt derives (an explicit accessibleName, else a button's text). Both are
checked on the real main window, across every panel, shown or not.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

CONTRACT = [
    *("queueView", "offerPanel", "acceptButton", "rejectButton"),
    *("remoteVideo", "localVideo", "muteButton", "holdButton", "endButton", "callTimer"),
    *("identityMatches", "policySearch", "consentState", "consentSendButton"),
    *("routeSuggestion", "reasonEdit", "transferDutyButton"),
    *("chatHistory", "chatInput", "chatSendButton", "chatAttachButton"),
    *("wrapupOutcome", "wrapupDoneButton", "staffState", "hubStatus"),
]

ACTIONABLE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QAbstractSpinBox,
    QAbstractSlider,
)


def part_of_another(widget: QWidget) -> bool:
    """Qt's own parts of a composite widget, spoken as their owner: a view's headers,
    scroll bars and corner button, a combo box's list and editor, the menu bar's
    overflow button."""
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    if isinstance(widget, (QHeaderView, QAbstractSlider)) and parent is not None:
        grand = parent.parentWidget()
        return isinstance(parent, QAbstractScrollArea) or isinstance(grand, QAbstractScrollArea)
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def spoken_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


async def test_every_contract_widget_is_there_once(open_console) -> None:
    w = (await open_console("op1")).window
    for name in CONTRACT:
        found = w.findChildren(QWidget, name)
        assert len(found) == 1, f"{name}: {len(found)} widgets"


async def test_every_actionable_widget_has_an_accessible_name(open_console) -> None:
    w = (await open_console("op1")).window
    nameless = []
    for widget in w.findChildren(QWidget):
        if not isinstance(widget, ACTIONABLE):
            continue
        if part_of_another(widget):
            continue
        if not spoken_name(widget):
            nameless.append(f"{type(widget).__name__} {widget.objectName() or '(no objectName)'}")
    assert nameless == [], "widgets a screen reader cannot name:\n" + "\n".join(nameless)
