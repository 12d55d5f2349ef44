"""The console emits signals all shift long: Qt's bindings must not leak or drop references.

PySide6 6.12.0 on Python 3.11 dropped a reference to what a Python slot returns
and to a signal's Python arguments on every emission; ``True`` and ``None`` ran
out after some thousand signals and the interpreter aborted ("bool_dealloc",
"none_dealloc"). pyproject pins PySide6 below 6.12 for that; this test is the
guard for whichever version is installed. It runs in a child interpreter, as
the failure is an abort.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QPushButton

    app = QApplication([])

    class Emitter(QObject):
        flag = Signal(bool)
        pair = Signal(str, bool)
        anything = Signal(object)

    e, seen = Emitter(), []
    e.flag.connect(lambda b: seen.append(b))
    e.pair.connect(lambda s, b: seen.append(b))
    e.anything.connect(lambda x: seen.append(x))
    button = QPushButton()
    button.setCheckable(True)
    button.toggled.connect(lambda on: seen.append(on))
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(20_000):  # an hour of a busy console's status signals
        e.flag.emit(True)
        e.pair.emit("c1", False)
        e.anything.emit(None)
        button.toggle()
        seen.clear()
    after = sys.getrefcount(True), sys.getrefcount(None)
    print(after[0] - before[0], after[1] - before[1])
    """
)


def test_signals_with_python_values_keep_their_references() -> None:
    run = subprocess.run(
        [sys.executable, "-c", CHILD], check=False, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    drift = [int(x) for x in run.stdout.split()]
    assert all(abs(d) < 100 for d in drift), f"references to True/None drifted by {drift}"
