"""Names: folding for comparison and search, matching, splitting a full name."""

from __future__ import annotations

import pytest

from console.identity.names import fold_name, names_match, split_full_name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        pytest.param("Семёнова", "семенова", id="yo-lower"),
        pytest.param("ЁЛКИН", "елкин", id="yo-upper"),
        pytest.param("Семе\u0308нова", "семенова", id="yo-decomposed"),
        pytest.param("  Иванов  ", "иванов", id="trim"),
        pytest.param("Анна   Мария", "анна мария", id="collapse-inner-spaces"),
        pytest.param("\tАнна\nМария ", "анна мария", id="tabs-newlines"),
        pytest.param("Петров-Водкин", "петров-водкин", id="hyphen-kept"),
        pytest.param("Петров – Водкин", "петров-водкин", id="spaced-en-dash"),
        pytest.param("Strauß", "strauss", id="casefold-sharp-s"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_name(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("Семёнов", "Семенов", True, id="yo-vs-ye"),
        pytest.param("семенов", "СЕМЁНОВ", True, id="case-and-yo"),
        pytest.param(" Фёдор ", "федор", True, id="spaces-case-yo"),
        pytest.param("Петров-Водкин", "петров - водкин", True, id="hyphen-spacing"),
        pytest.param("", "  ", True, id="both-empty"),
        pytest.param("Иванов", "Иванова", False, id="different-names"),
        pytest.param("Елена", "Алёна", False, id="different-first-letter"),
        pytest.param("Иванов", "", False, id="one-empty"),
    ],
)
def test_names_match(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        pytest.param("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович"), id="three-words"),
        pytest.param("Smith John", ("Smith", "John", ""), id="no-patronymic"),
        pytest.param(
            "  Семёнова   Анна  Петровна ", ("Семёнова", "Анна", "Петровна"), id="extra-spaces"
        ),
        pytest.param(
            "Римская-Корсакова Анна Сергеевна",
            ("Римская-Корсакова", "Анна", "Сергеевна"),
            id="double-surname",
        ),
        pytest.param(
            "Петров – Водкин Кузьма Сергеевич",
            ("Петров-Водкин", "Кузьма", "Сергеевич"),
            id="double-surname-spaced-dash",
        ),
        pytest.param(
            "Алиев Гейдар Ализа оглы", ("Алиев", "Гейдар", "Ализа оглы"), id="turkic-oglu"
        ),
        pytest.param(
            "Мамедова Айгюн Рашид кызы",
            ("Мамедова", "Айгюн", "Рашид кызы"),
            id="turkic-kyzy",
        ),
    ],
)
def test_split_full_name(full: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(full) == parts


@pytest.mark.parametrize(
    ("full", "message_part"),
    [
        pytest.param("", "at least a surname and a name", id="empty"),
        pytest.param("Иванов", "at least a surname and a name", id="one-word"),
        pytest.param("Петров Водкин Кузьма Сергеевич", "at most three words", id="four-words"),
        pytest.param("А Б В Г Д", "got 5", id="five-words"),
    ],
)
def test_split_full_name_refuses(full: str, message_part: str) -> None:
    with pytest.raises(ValueError, match=message_part):
        split_full_name(full)
