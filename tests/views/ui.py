"""Driving the console from an async test as a user would, on qasync's loop.

Qt input sent from inside the test's task can make Qt process events re-entrantly;
a console command task stepped there is refused by asyncio ("cannot enter into
task") and never runs. A real key press arrives from the event loop, outside any
task, so these helpers send input from a plain loop callback.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget


async def until(pred: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> None:
    """Wait, with the Qt loop running, until ``pred()`` holds."""
    try:
        async with asyncio.timeout(timeout):
            while not pred():  # noqa: ASYNC110 - a Qt state, no event to wait on
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def as_input(fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` from a plain loop callback, as window-system input arrives."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def run() -> None:
        try:
            fn(*args)
        except BaseException as exc:  # handed to the awaiting test
            done.set_exception(exc)
        else:
            done.set_result(None)

    loop.call_soon(run)
    await done


async def press(window: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed in ``window``, through the window system's path (shortcuts included)."""
    window.activateWindow()
    await until(window.isActiveWindow, 2, "the window to be active")
    await as_input(QTest.keyClick, window.windowHandle(), key, modifier)


async def click(widget: QWidget) -> None:
    await as_input(QTest.mouseClick, widget, Qt.MouseButton.LeftButton)


def _key_clicks(widget: QWidget, text: str) -> None:
    # QTest.keyClicks maps characters through Latin-1 and asserts on Cyrillic:
    # deliver each character as the key event a keyboard layout would produce
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


async def type_text(widget: QWidget, text: str, *, enter: bool = False) -> None:
    """``text`` typed into ``widget`` (any script), then Enter if asked."""
    await as_input(_key_clicks, widget, text)
    if enter:
        await as_input(QTest.keyClick, widget, Qt.Key.Key_Return)
