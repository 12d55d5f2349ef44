"""Files the console ships: icons, sounds, translations (``resources/`` in the source tree)."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QIcon

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"
SOUNDS = RESOURCES / "sounds"
TRANSLATIONS = RESOURCES / "translations"
RING = SOUNDS / "ring.wav"


@functools.cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if there is none)."""
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` and return it unchanged.

    PySide6's own is typed as returning ``object``; this one keeps ``str``, and
    lupdate finds the calls by name all the same.
    """
    return text
