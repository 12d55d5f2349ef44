"""The console's Russian translation: complete, compiled, faithful to markers, and on screen.

``resources/translations/medconsole_ru.ts`` holds every string lupdate finds in
``console/views``; ``medconsole_ru.qm`` is what lrelease builds from it. To add
a string: run ``pyside6-lupdate console/views/*.py -ts
resources/translations/medconsole_ru.ts -no-obsolete``, translate it, then
``pyside6-lrelease resources/translations/medconsole_ru.ts``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from console.views import app as console_app
from console.views.resources import TRANSLATIONS
from console.views.video import VideoWidget
from tests.views.ui import until

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtGui import QAction

    from console.views.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "console" / "views"
TS = TRANSLATIONS / "medconsole_ru.ts"
QM = TRANSLATIONS / "medconsole_ru.qm"
BIN = Path(sys.executable).parent

# (context, source, disambiguation comment)
Key = tuple[str, str, str]


class Message:
    def __init__(self, key: Key, numerus: bool, forms: list[str], kind: str | None) -> None:
        self.key, self.numerus, self.forms, self.kind = key, numerus, forms, kind

    @property
    def name(self) -> str:
        context, source, comment = self.key
        return f"{context}: {source!r}" + (f" ({comment})" if comment else "")


def read_ts(path: Path) -> dict[Key, Message]:
    messages: dict[Key, Message] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            key = (name, msg.findtext("source") or "", msg.findtext("comment") or "")
            tr = msg.find("translation")
            assert tr is not None, f"{path.name}: no <translation> for {key}"
            numerus = msg.get("numerus") == "yes"
            forms = [f.text or "" for f in tr.iter("numerusform")] if numerus else [tr.text or ""]
            messages[key] = Message(key, numerus, forms, tr.get("type"))
    return messages


def tool(name: str) -> str:
    exe = BIN / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found (PySide6's tools are needed to check the translations)")
    return found


def run(*cmd: str) -> None:
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def committed() -> dict[Key, Message]:
    return read_ts(TS)


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    """Whatever a test installs, the next test starts in English with the locale it had."""
    locale = QLocale()
    yield
    console_app.install_translations(console_app.application(), "en")  # removes our translators
    QLocale.setDefault(locale)


# %1, %L1, %n; {name} for str.format; file-dialog patterns; keyboard hints; URL schemes
MARKERS = re.compile(
    r"%L?\d+|%n|\{[^{}]*\}|\*\.\w+|\b(?:Ctrl|Alt|Shift)\+\w+|\bF\d{1,2}\b|\bEnter\b|\w+://"
)


def latin_words(text: str) -> list[str]:
    """Words in Latin letters, leaving out markers and the product's name."""
    return re.findall(r"[A-Za-z]{2,}", MARKERS.sub("", text).replace("medconsole", ""))


def accelerators(text: str) -> int:
    """How many '&' mark an accelerator ('&&' is a literal ampersand)."""
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


# ---------------------------------------------------------------- the .ts


def test_ts_has_every_source_string_lupdate_finds_each_translated(
    committed: dict[Key, Message], tmp_path: Path
) -> None:
    """(a) No message unfinished, obsolete or empty; lupdate's strings of today all in the .ts."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p.relative_to(ROOT)) for p in VIEWS.glob("*.py"))
    run(tool("pyside6-lupdate"), *sources, "-ts", str(fresh), "-no-obsolete")
    found = read_ts(fresh)
    assert found, "lupdate found no strings in console/views"

    untranslated = sorted(m.name for k, m in found.items() if k not in committed)
    assert not untranslated, (
        "strings in console/views with no translation in medconsole_ru.ts "
        "(run lupdate -no-obsolete, translate, lrelease):\n  " + "\n  ".join(untranslated)
    )
    stale = sorted(m.name for k, m in committed.items() if k not in found)
    assert not stale, (
        "medconsole_ru.ts has strings console/views no longer uses "
        "(run lupdate -no-obsolete):\n  " + "\n  ".join(stale)
    )
    unfinished = sorted(m.name for m in committed.values() if m.kind is not None)
    assert not unfinished, "translations not finished:\n  " + "\n  ".join(unfinished)
    empty = sorted(m.name for m in committed.values() if not all(f.strip() for f in m.forms))
    assert not empty, "empty translations:\n  " + "\n  ".join(empty)
    english = sorted(
        f"{m.name} -> {f!r}" for m in committed.values() for f in m.forms if latin_words(f)
    )
    assert not english, "translations still (partly) in English:\n  " + "\n  ".join(english)
    # Russian has three plural forms (1 минута, 2 минуты, 5 минут)
    short = sorted(m.name for m in committed.values() if m.numerus and len(m.forms) != 3)
    assert not short, "plural messages without Russian's 3 forms:\n  " + "\n  ".join(short)


# ---------------------------------------------------------------- markers


def test_translations_keep_placeholders_accelerators_and_key_hints(
    committed: dict[Key, Message],
) -> None:
    """(c) Every translation has its source's markers and as many '&' accelerators."""
    wrong = []
    for msg in committed.values():
        source = msg.key[1]
        for form in msg.forms:
            want, got = sorted(MARKERS.findall(source)), sorted(MARKERS.findall(form))
            if msg.numerus and "%n" in want and "%n" not in got:
                got.append("%n")  # a plural form may spell the number out ("одна минута")
                got.sort()
            if want != got:
                wrong.append(f"{msg.name} -> {form!r}: markers {want} became {got}")
            if accelerators(source) != accelerators(form):
                wrong.append(f"{msg.name} -> {form!r}: the '&' accelerator is lost or doubled")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- the .qm


def test_committed_qm_is_what_lrelease_builds_from_the_ts(
    committed: dict[Key, Message], tmp_path: Path
) -> None:
    """(b) lrelease (which also checks markers and punctuation) rebuilds the committed .qm."""
    built = tmp_path / "medconsole_ru.qm"
    run(tool("pyside6-lrelease"), "-fail-on-invalid", str(TS), "-qm", str(built))

    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} does not load"
    differs = []
    for msg in committed.values():
        context, source, comment = msg.key
        n = 1 if msg.numerus else -1
        got = translator.translate(context, source, comment or None, n)
        if got != msg.forms[0]:
            differs.append(f"{msg.name}: .qm says {got!r}, .ts says {msg.forms[0]!r}")
    assert not differs, "medconsole_ru.qm is out of date (run lrelease):\n  " + "\n  ".join(differs)
    assert QM.read_bytes() == built.read_bytes(), (
        "medconsole_ru.qm differs from what lrelease builds from medconsole_ru.ts: run "
        "pyside6-lrelease resources/translations/medconsole_ru.ts"
    )


def test_install_translations_loads_ours_and_qts_for_ru_and_none_for_en(
    english_afterwards: None,
) -> None:
    """ru: our strings and Qt's standard buttons in Russian; en: the English sources."""
    qapp = console_app.application()
    cancel = QDialogButtonBox.StandardButton.Cancel

    assert console_app.install_translations(qapp, "ru")
    assert QCoreApplication.translate("OfferPanel", "Accept") == "Принять"
    assert QCoreApplication.translate("MainWindow", "Wrap-up") == "Постобработка"
    assert QDialogButtonBox(cancel).button(cancel).text() == "Отмена"  # qtbase_ru
    assert QLocale().language() == QLocale.Language.Russian

    assert console_app.install_translations(qapp, "en")
    assert QCoreApplication.translate("OfferPanel", "Accept") == "Accept"
    assert QDialogButtonBox(cancel).button(cancel).text() == "Cancel"
    assert QLocale().language() == QLocale.Language.English

    console_app.install_translations(qapp, "ru")
    console_app.install_translations(qapp, "ru")  # again: replaces, never stacks
    console_app.install_translations(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "Break") == "Break"


# ---------------------------------------------------------------- the window


def _actions(actions: list[QAction]) -> Iterator[QAction]:
    for action in actions:
        yield action
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from _actions(menu.actions())


def shown_texts(window: MainWindow) -> dict[str, str]:
    """Every text the window puts before the user (or a screen reader), by where it is."""
    texts: dict[str, str] = {"window title": window.windowTitle()}

    def add(where: str, text: str | None) -> None:
        if text:
            texts[where] = text

    for i, action in enumerate(_actions(window.menuBar().actions())):
        add(f"menu action {i}", action.text())
    add("status bar", window.statusBar().currentMessage())
    for i, w in enumerate(window.findChildren(QWidget)):
        where = f"{type(w).__name__} {w.objectName() or i}"
        add(f"{where} accessible name", w.accessibleName())
        add(f"{where} tool tip", w.toolTip())
        if isinstance(w, QAbstractButton | QLabel):
            add(f"{where} text", w.text())
        if isinstance(w, QGroupBox):
            add(f"{where} title", w.title())
        if isinstance(w, QDockWidget):
            add(f"{where} title", w.windowTitle())
        if isinstance(w, QLineEdit | QPlainTextEdit):
            add(f"{where} placeholder", w.placeholderText())
        if isinstance(w, QComboBox):
            for item in range(w.count()):
                add(f"{where} item {item}", w.itemText(item))
        if isinstance(w, VideoWidget):
            add(f"{where} placeholder", w.placeholder)
        if isinstance(w, QTableView):
            model = w.model()
            for col in range(model.columnCount()):
                add(
                    f"{where} header {col}",
                    model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole),
                )
    return texts


# what a medconsultant sees first, in each language
EXPECTED = {
    "ru": {
        "title": "medconsole — медконсультант",
        "menus": ["&Обращение", "&Статус", "С&ервис", "&Вид"],
        "accept": "Принять",
        "reject": "Отклонить",
        "state": "На линии",
        "hub": "Сервер: подключено",
        "idle": "Ожидание обращений…",
        "queue": "Очередь",
        "end": "Завершить",
        "hold": "Удержание",
        "transfer": "Перевести",
        "consent": "Отправить согласия",
        "wrap-up done": "Готово",
        "queue header": "Канал",
    },
    "en": {
        "title": "medconsole — medconsultant",
        "menus": ["&Contact", "&State", "&Tools", "&View"],
        "accept": "Accept",
        "reject": "Reject",
        "state": "Available",
        "hub": "Hub: connected",
        "idle": "Waiting for contacts…",
        "queue": "Queue",
        "end": "End",
        "hold": "Hold",
        "transfer": "Transfer",
        "consent": "Send consents",
        "wrap-up done": "Done",
        "queue header": "Channel",
    },
}


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_main_window_speaks_the_chosen_language(
    lang: str, committed: dict[Key, Message], english_afterwards: None, open_console
) -> None:
    """(d) A real signed-in window: menus, buttons, status bar in ``lang``, none in the other."""
    session = await open_console("op1", lang=lang)
    w = session.window
    want = EXPECTED[lang]
    await until(lambda: w.state_button.text() == want["state"], what=f"state {want['state']!r}")
    await until(lambda: w.hub_status.text() == want["hub"], what=f"hub status {want['hub']!r}")

    assert w.windowTitle().startswith(want["title"])
    assert [a.text() for a in w.menuBar().actions()] == want["menus"]
    letters = [re.search(r"&(\w)", t).group(1).lower() for t in want["menus"]]  # type: ignore[union-attr]
    assert len(set(letters)) == len(letters), f"menu accelerators clash: {want['menus']}"
    assert w.offer_panel.accept_button.text() == want["accept"]
    assert w.offer_panel.reject_button.text() == want["reject"]
    assert w.accept_action.text() == want["accept"]
    assert w.idle.text() == want["idle"]
    assert w.queue_dock.windowTitle() == want["queue"]
    assert w.call.end_button.text() == want["end"]
    assert w.call.hold_button.text() == want["hold"]
    assert w.transfer.button.text() == want["transfer"]
    assert w.consent.send_button.text() == want["consent"]
    assert w.wrapup.done_button.text() == want["wrap-up done"]
    assert (
        w.queue_model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        == want["queue header"]
    )

    # nothing on screen is left in the other language
    if lang == "ru":  # an English source (not a bare "{kind} · {channel}")
        other = {m.key[1]: m.name for m in committed.values() if latin_words(m.key[1])}
    else:  # a Russian translation
        other = {f: m.name for m in committed.values() for f in m.forms if f != m.key[1]}
    leftovers = sorted(
        f"{where}: {text!r} ({other[text]})"
        for where, text in shown_texts(w).items()
        if text in other
    )
    assert not leftovers, f"texts not in {lang!r}:\n  " + "\n  ".join(leftovers)
