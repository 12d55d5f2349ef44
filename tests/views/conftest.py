"""The console's tests: pytest-qt offscreen, async tests on qasync's loop.

Every async test (and async fixture) under ``tests/views`` runs on a
``qasync.QEventLoop`` over the one ``QApplication``, as the console itself does,
so Qt events, timers and paint happen while a test awaits the hub or a call.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication


def _qt_loop() -> qasync.QEventLoop:
    from console.views.app import collect_garbage_on_the_gui_thread

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(
        False
    )  # as the console does: closing a window never stops the loop
    collect_garbage_on_the_gui_thread(app)  # as the console does: Qt objects die on its thread
    return qasync.QEventLoop(app)


def pytest_asyncio_loop_factories(config, item):
    return {"qt": _qt_loop}


def _no_events_outside_the_loop() -> None:
    """pytest-qt calls ``processEvents`` between a test and its fixtures' teardown.

    On qasync, asyncio's callbacks are Qt timer events: processed there, with no
    loop running, aiortc's and the hub's tasks step outside their loop and fail
    ("no running event loop", "bound to a different event loop"), and a call then
    never finishes closing. The loop processes Qt events itself whenever it runs
    (the test, every async fixture's setup and teardown), so the step is left out.
    """


pytestqt_plugin = __import__("pytestqt.plugin", fromlist=["_process_events"])
pytestqt_plugin._process_events = _no_events_outside_the_loop


# ---------------------------------------------------------------- the console on a real hub

import asyncio  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from tests.hub.conftest import hub_backend, hub_clock, hub_config, hub_server  # noqa: E402, F401

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

    from console.views.app import ConsoleSession
    from tests.hub.conftest import HubUnderTest
    from tests.views.patient import TestPatient

PASSWORD = "medconsole"
SHOTS = __import__("pathlib").Path(__file__).resolve().parents[2] / "bench" / "out" / "screens"


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A test may switch the console to Russian; the next one starts in English."""
    yield
    from console.views import app

    if QApplication.instance() is not None:
        app.install_translations(app.application(), "en")


@pytest.fixture
async def open_console(
    hub_server: HubUnderTest,  # noqa: F811
    tmp_path,
) -> AsyncIterator[Callable[..., Awaitable[ConsoleSession]]]:
    """``await open_console("op1")``: the real console window, signed in and connected."""
    from console.calls.devices import LocalMedia
    from console.client import StaffClient
    from console.settings import Settings
    from console.views import app

    sessions: list[ConsoleSession] = []

    async def make(
        login: str = "op1", *, available: bool = True, **settings: Any
    ) -> ConsoleSession:
        app.install_translations(app.application(), settings.pop("lang", "en"))
        settings.setdefault("ice_host", ["127.0.0.1"])
        marker = settings.pop("marker", None)  # the synthetic camera's colour mark
        conf = Settings(data_dir=tmp_path, hub_url=hub_server.base, media="synthetic", **settings)
        client = StaffClient(hub_server.base, backoff=(0.05, 0.1, 0.2))
        await client.login(login, PASSWORD)
        qsettings = QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat)
        session = await app.open_console(
            conf, client, media=LocalMedia("synthetic", marker=marker), qsettings=qsettings
        )
        sessions.append(session)
        if available:
            await client.set_state("available")
        return session

    yield make
    for session in sessions:
        async with asyncio.timeout(15):  # a console that cannot close is a failure, not a hang
            await session.close()


@pytest.fixture
async def patient(
    hub_server: HubUnderTest,  # noqa: F811
) -> AsyncIterator[Callable[..., Awaitable[TestPatient]]]:
    """``await patient(phone)``: a patient signed in on the hub (call ``start`` yourself)."""
    from tests.views.patient import TestPatient

    made: list[TestPatient] = []

    async def make(phone: str, **kw: Any) -> TestPatient:
        p = TestPatient(hub_server, phone, **kw)
        made.append(p)
        await p.sign_in()
        return p

    yield make
    for p in made:
        await p.close()
