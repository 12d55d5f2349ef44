"""Starting the console: the QApplication, translations, qasync's loop, sign-in, the window.

``medconsole console`` ends up in :func:`run_console`. Tests and the demo, which
already run on a qasync loop, use :func:`open_console` to get a signed-in,
connected window without a nested event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import ssl
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from console.calls.devices import LocalMedia, MediaDeviceError
from console.calls.ice import CallConfig
from console.client import StaffClient
from console.views.controller import ConsoleController
from console.views.login import LoginDialog, login_error_text
from console.views.mainwindow import MainWindow
from console.views.resources import TRANSLATIONS

# lupdate reads translate("Context", "English text") calls into resources/translations
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from contextlib import AbstractAsyncContextManager

    from console.settings import Settings
    from console.views.wallboard import WallboardSession

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_translators: list[QTranslator] = []


def application() -> QApplication:
    """The process's QApplication (made here if there is none yet)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # the session, not the last window, ends the loop
    app.setOrganizationName("medconsole")
    app.setApplicationName("console")
    collect_garbage_on_the_gui_thread(app)
    return app


#: how often the GUI thread looks whether a garbage collection is due
GC_EVERY_MS = 100


def collect_garbage_on_the_gui_thread(app: QCoreApplication) -> None:
    """Python's cyclic garbage collector, run by the GUI thread only.

    Left automatic, it runs in whichever thread allocates past its threshold: the
    codec threads of aiortc, the default executor's, aiosqlite's. A cycle holding a
    Qt object (a closed window's widget with a running timer) is then destroyed on
    that thread; Qt cannot unregister the object's timers from there, and one fires
    later on freed memory (a segfault in ``QTimerInfoList::activateTimers``, seen in
    the test suite). So automatic collection is off and a timer on the GUI thread
    collects the generation the collector would have, when its thresholds say so.
    """
    if app.property("medconsoleGc"):
        return
    app.setProperty("medconsoleGc", True)
    gc.disable()
    timer = QTimer(app)
    timer.setObjectName("guiThreadGc")
    timer.timeout.connect(_collect_if_due)
    timer.start(GC_EVERY_MS)


def _collect_if_due() -> None:
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] < thresholds[0]:
        return
    generation = 2 if counts[2] >= thresholds[2] else 1 if counts[1] >= thresholds[1] else 0
    gc.collect(generation)


def install_translations(app: QCoreApplication, lang: str) -> bool:
    """Speak ``lang`` ("ru" or "en"; English is the source language). True if loaded."""
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    ours = QTranslator(app)
    loaded = ours.load(str(TRANSLATIONS / f"medconsole_{lang}.qm"))
    if loaded:
        app.installTranslator(ours)
        _translators.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _translators.append(qt)
    return loaded


def call_config(settings: Settings) -> CallConfig:
    credential = settings.ice_credential.get_secret_value() if settings.ice_credential else None
    return CallConfig.from_urls(
        settings.ice_servers,
        username=settings.ice_username,
        credential=credential,
        host_addresses=settings.ice_host or None,
    )


def client_factory(settings: Settings) -> type[StaffClient] | object:
    context: ssl.SSLContext | None = None
    if settings.hub_ca_file is not None:
        context = ssl.create_default_context(cafile=str(settings.hub_ca_file))

    def make(hub_url: str) -> StaffClient:
        return StaffClient(hub_url, ssl=context)

    return make


@dataclass
class ConsoleSession:
    window: MainWindow
    controller: ConsoleController

    async def close(self) -> None:
        self.window.close()
        await self.controller.close()


async def open_console(
    settings: Settings,
    client: StaffClient,
    *,
    media: LocalMedia | None = None,
    qsettings: QSettings | None = None,
) -> ConsoleSession | WallboardSession:
    """Connect a signed-in ``client`` and show the main window over it (a supervisor's:
    the wallboard)."""
    if media is None:
        media = LocalMedia(settings.media, camera=settings.camera, microphone=settings.microphone)  # type: ignore[arg-type]
    await media.open()
    controller = ConsoleController(client, media=media, call_config=call_config(settings))
    await client.connect()
    if client.me is not None and client.me.role == "supervisor":
        # the role is known only now: a supervisor takes no calls, so the camera and
        # microphone close again, and the wallboard replaces the contact window
        await media.close()
        from console.views.wallboard import open_wallboard

        return open_wallboard(client, console=controller, qsettings=qsettings, settings=settings)

    def device_check() -> None:
        from console.views.devicecheck import DeviceCheckDialog

        dialog = DeviceCheckDialog(media, window)
        dialog.show()

    window = MainWindow(controller, settings=qsettings, open_device_check=device_check)
    window.show()
    return ConsoleSession(window, controller)


async def _session(
    settings: Settings,
    login: str | None,
    *,
    password: str | None = None,
    around: Callable[[], AbstractAsyncContextManager[object]] | None = None,
    opened: Callable[[ConsoleSession | WallboardSession], Awaitable[None]] | None = None,
) -> int:
    # SIGTERM/SIGINT end the console cleanly from the first moment, even while it
    # signs in: the window, once there, closes and the session ends.
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def request_stop() -> None:
        if not stop.done():
            stop.set_result(None)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, request_stop)
    try:
        async with around() if around is not None else contextlib.nullcontext():
            client = await _sign_in(settings, login, password)
            if isinstance(client, int):
                return client
            if stop.done():
                await client.close()
                return EXIT_OK
            try:
                session = await open_console(settings, client)
            except MediaDeviceError as exc:
                await client.close()
                QMessageBox.critical(None, translate("Console", "Camera and microphone"), str(exc))
                return EXIT_FAILED
            session.window.closed.connect(request_stop)
            if opened is not None:
                await opened(session)
            await stop
            await session.close()
            return EXIT_OK
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _sign_in(
    settings: Settings, login: str | None, password: str | None = None
) -> StaffClient | int:
    """A signed-in client: straight in with ``--login`` (``password``, else
    MEDCONSOLE_PASSWORD), else by the login dialog.

    An exit code instead when there is none (no password, refused, dialog closed).
    """
    make = client_factory(settings)
    if not login:
        dialog_client = await LoginDialog(make, hub_url=settings.hub_url).signed_in()  # type: ignore[arg-type]
        return EXIT_OK if dialog_client is None else dialog_client
    password = password or os.environ.get("MEDCONSOLE_PASSWORD", "")
    if not password:
        print("medconsole: --login needs the password in MEDCONSOLE_PASSWORD", file=sys.stderr)
        return EXIT_USAGE
    client = make(settings.hub_url)  # type: ignore[operator]
    try:
        await client.login(login, password)
    except Exception as exc:
        await client.close()
        print(f"medconsole: {login_error_text(exc)}", file=sys.stderr)
        return EXIT_FAILED
    return client


def run_console(
    settings: Settings,
    *,
    login: str | None = None,
    password: str | None = None,
    around: Callable[[], AbstractAsyncContextManager[object]] | None = None,
    opened: Callable[[ConsoleSession | WallboardSession], Awaitable[None]] | None = None,
) -> int:
    """The ``medconsole console`` command: runs until the window closes; the exit code.

    ``around()``: an async context the session runs inside, entered on the console's
    loop before signing in and left after the window closed (``medconsole demo``: the
    hub and the simulated patients). ``opened(session)``: awaited once the window is up.
    """
    import qasync

    app = application()
    install_translations(app, settings.lang)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # Python handles signals only when it runs: a timer gives it the chance.
    keepalive = QTimer()
    keepalive.start(250)
    keepalive.timeout.connect(lambda: None)
    try:
        with loop:
            return loop.run_until_complete(
                _session(settings, login, password=password, around=around, opened=opened)
            )
    finally:
        keepalive.stop()
