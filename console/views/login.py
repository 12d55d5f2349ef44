"""Signing in: the hub's address and the login are remembered, the password never."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from console.client import HubUnreachableError, LoginError, StaffClient, StaffClientError

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget


def login_error_text(exc: BaseException) -> str:
    if isinstance(exc, LoginError):
        return translate("LoginDialog", "Wrong login or password.")
    if isinstance(exc, HubUnreachableError):
        return translate(
            "LoginDialog", "The hub cannot be reached. Check its address and the network."
        )
    if isinstance(exc, ValueError):
        return translate("LoginDialog", "The hub's address must start with http:// or https://.")
    if isinstance(exc, StaffClientError):
        return translate("LoginDialog", "The hub refused the sign-in.")
    return translate("LoginDialog", "Signing in failed; the details are in the log.")


class LoginDialog(QDialog):
    """Asks for the hub, the login and the password, and signs in with ``make_client``.

    :meth:`signed_in` waits for a signed-in client (``None`` if the user cancels);
    a failed attempt shows why and lets the user try again.
    """

    def __init__(
        self,
        make_client: Callable[[str], StaffClient],
        *,
        hub_url: str = "",
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(translate("LoginDialog", "medconsole — sign in"))
        self.settings = settings or QSettings("medconsole", "console")
        self._make_client = make_client
        self._result: asyncio.Future[StaffClient | None] = asyncio.get_event_loop().create_future()
        self._busy = False
        self._task: asyncio.Future[None] | None = None

        self.hub = QLineEdit(str(self.settings.value("login/hub", "") or hub_url))
        self.hub.setObjectName("loginHub")
        self.hub.setAccessibleName(translate("LoginDialog", "Hub address"))
        self.login = QLineEdit(str(self.settings.value("login/login", "") or ""))
        self.login.setObjectName("loginName")
        self.login.setAccessibleName(translate("LoginDialog", "Login"))
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setAccessibleName(translate("LoginDialog", "Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(translate("LoginDialog", "Sign in"))
        ok.setObjectName("loginButton")
        ok.setAccessibleName(translate("LoginDialog", "Sign in"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(translate("LoginDialog", "Cancel"))
        cancel.setAccessibleName(translate("LoginDialog", "Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate("LoginDialog", "Hub"), self.hub)
        form.addRow(translate("LoginDialog", "Login"), self.login)
        form.addRow(translate("LoginDialog", "Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if self.login.text() else self.login).setFocus()

    async def signed_in(self) -> StaffClient | None:
        self.show()
        return await self._result

    def submit(self) -> None:
        if self._busy:
            return
        hub, login, password = (
            self.hub.text().strip(),
            self.login.text().strip(),
            self.password.text(),
        )
        if not hub or not login or not password:
            self.error.setText(
                translate("LoginDialog", "Fill in the hub, the login and the password.")
            )
            return
        self._busy = True
        self.buttons.setEnabled(False)
        self.error.setText(translate("LoginDialog", "Signing in…"))
        self._task = asyncio.ensure_future(self._attempt(hub, login, password))

    async def _attempt(self, hub: str, login: str, password: str) -> None:
        client: StaffClient | None = None
        try:
            client = self._make_client(hub)
            await client.login(login, password)
        except Exception as exc:
            if client is not None:
                await client.close()
            self.error.setText(login_error_text(exc))
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            self._busy = False
            self.buttons.setEnabled(True)
        self.settings.setValue("login/hub", hub)
        self.settings.setValue("login/login", login)
        self.settings.sync()
        self.password.clear()
        if not self._result.done():
            self._result.set_result(client)
        self.accept()

    def reject(self) -> None:
        if not self._result.done():
            self._result.set_result(None)
        super().reject()
