"""Names of the insured: one folded form for comparison and search, and splitting a full name.

Names compare case-insensitively, with Ё folded to Е and whitespace tidied
(DOMAIN.md, "Identification and registration").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_name", "names_match", "split_full_name"]

# Hyphen-like characters people and word processors put into double surnames,
# with any spaces around them: "Петров – Водкин" is "Петров-Водкин".
_HYPHEN = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]\s*")

# Turkic patronymics are written as two words: "Алиев Гейдар Ализа оглы".
_PATRONYMIC_PARTICLES = frozenset({"оглы", "огли", "улы", "уулу", "кызы", "гызы", "кизи"})


def _tidy(s: str) -> str:
    """NFC, one space between words, one ASCII hyphen in double names."""
    text = " ".join(unicodedata.normalize("NFC", s).split())
    return _HYPHEN.sub("-", text).strip("-")


def fold_name(s: str) -> str:
    """The comparison and search key of a name.

    Trims, collapses inner whitespace, joins the parts of a hyphenated name,
    case-folds and turns Ё/ё into е: ``"  Семёнова  "`` and ``"СЕМЕНОВА"`` both
    give ``"семенова"``. The store keeps this as the searchable key, so it must
    stay stable.
    """
    return _tidy(s).casefold().replace("ё", "е")


def names_match(a: str, b: str) -> bool:
    """Whether two spellings are the same name (case, Ё/Е and spacing aside)."""
    return fold_name(a) == fold_name(b)


def split_full_name(full: str) -> tuple[str, str, str]:
    """Split "Surname Name Patronymic" into its parts, as written (whitespace tidied).

    The patronymic may be missing (some people have none): it is then ``""``.
    A hyphenated double surname or name is one word. A Turkic patronymic of two
    words ("Ализа оглы", "Рашид кызы") stays one patronymic. Raises
    :class:`ValueError` for fewer than two or more than three words.
    """
    words = _tidy(full).split()
    if len(words) == 4 and words[3].casefold() in _PATRONYMIC_PARTICLES:
        words = [*words[:2], f"{words[2]} {words[3]}"]
    if len(words) < 2:
        raise ValueError(
            "A full name needs at least a surname and a name, "
            "written as 'Surname Name' or 'Surname Name Patronymic'."
        )
    if len(words) > 3:
        raise ValueError(
            f"A full name has at most three words (surname, name, patronymic); got {len(words)}. "
            "Write a double surname with a hyphen."
        )
    surname, name, *rest = words
    return surname, name, rest[0] if rest else ""
