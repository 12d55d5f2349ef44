"""Reading the insurer's sales export: encodings, separators, date and sex forms.

Files come as insurers' offices make them: comma or semicolon separated,
UTF-8 (with or without BOM) or Windows-1251, dates as ``YYYY-MM-DD`` or
``DD.MM.YYYY``, sex as ``М``/``Ж`` or ``M``/``F``. Every row is validated on its
own; a bad row becomes a :class:`RowError` naming its line and field (never the
value, which may be personal data) and the rest goes on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from console.identity.model import InsuredImport, Sex
from console.identity.model import Policy as PolicyValue
from console.identity.phones import PhoneError, normalize_phone

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

HEADERS = (
    "policy_number",
    "program",
    "purchased_on",
    "valid_from",
    "valid_to",
    "surname",
    "name",
    "patronymic",
    "birth_date",
    "sex",
    "phone",
    "representative_policy",
)

_SEX = {"м": Sex.MALE, "m": Sex.MALE, "ж": Sex.FEMALE, "f": Sex.FEMALE}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, headers)."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        s = value.strip()
        if "." in s:
            parts = s.split(".")
            if len(parts) != 3 or len(parts[2]) != 4:
                raise ValueError("expected YYYY-MM-DD or DD.MM.YYYY")
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        if len(s) != 10 or s[4] != "-" or s[7] != "-":
            raise ValueError("expected YYYY-MM-DD or DD.MM.YYYY")
        return date(int(s[:4]), int(s[5:7]), int(s[8:]))
    return value


def _parse_sex(value: Any) -> Any:
    if isinstance(value, str):
        sex = _SEX.get(value.strip().lower())
        if sex is None:
            raise ValueError("expected М, Ж, M or F")
        return sex
    return value


def _parse_phone(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return normalize_phone(value)
        except PhoneError as exc:
            raise ValueError(str(exc)) from None
    return value


def _strip(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _empty_none(value: Any) -> Any:
    if isinstance(value, str):
        value = "".join(value.split()).upper()
        return value or None
    return value


Day = Annotated[date, BeforeValidator(_parse_date)]
Text = Annotated[str, BeforeValidator(_strip)]


class ImportRow(BaseModel):
    """One row of the sales export, validated."""

    model_config = ConfigDict(frozen=True)

    policy_number: Annotated[str, BeforeValidator(_empty_none)]
    program: Text
    purchased_on: Day
    valid_from: Day
    valid_to: Day
    surname: Text
    name: Text
    patronymic: Text = ""
    birth_date: Day
    sex: Annotated[Sex, BeforeValidator(_parse_sex)]
    phone: Annotated[str | None, BeforeValidator(_parse_phone)] = None
    representative_policy: Annotated[str | None, BeforeValidator(_empty_none)] = None

    @model_validator(mode="after")
    def _check(self) -> ImportRow:
        for field in ("program", "surname", "name"):
            if not getattr(self, field):
                raise ValueError(f"{field}: must not be empty")
        if self.valid_from > self.valid_to:
            raise ValueError("valid_to: before valid_from")
        if self.birth_date > self.valid_to:
            raise ValueError("birth_date: after the end of the policy")
        if self.representative_policy == self.policy_number:
            raise ValueError("representative_policy: names the row's own policy")
        return self

    def to_import(self) -> InsuredImport:
        return InsuredImport(
            policy=PolicyValue(
                number=self.policy_number,
                program=self.program,
                purchased_on=self.purchased_on,
                valid_from=self.valid_from,
                valid_to=self.valid_to,
            ),
            surname=self.surname,
            name=self.name,
            patronymic=self.patronymic,
            birth_date=self.birth_date,
            sex=self.sex,
            phone=self.phone,
            representative_policy=self.representative_policy,
        )


def decode(raw: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1251."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def _error_from(line: int, exc: ValidationError) -> RowError:
    err = exc.errors(include_input=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if not loc and ": " in msg:  # model-level check: "field: reason"
        loc, msg = msg.split(": ", 1)
    return RowError(line, loc or "row", msg)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    row: InsuredImport


RawRow = tuple[int, list[str]]


def split_rows(text: str) -> tuple[list[str], Iterator[RawRow]]:
    """The checked header and the raw rows with their physical line numbers.

    Raises :class:`ImportFileError` for an empty file or wrong columns.
    """
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    missing = [h for h in HEADERS if h not in header]
    unknown = [h for h in header if h not in HEADERS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing columns: " + ", ".join(missing))
        if unknown:
            parts.append("unknown columns: " + ", ".join(unknown))
        raise ImportFileError("; ".join(parts))

    def rows() -> Iterator[RawRow]:
        for values in reader:
            if values and any(v.strip() for v in values):
                yield reader.line_num, values

    return header, rows()


def validate(header: list[str], raw: list[RawRow]) -> list[ParsedRow | RowError]:
    """Validate raw rows; a plain function so that a worker process can run it."""
    n = len(header)
    out: list[ParsedRow | RowError] = []
    for line, values in raw:
        if len(values) != n:
            out.append(RowError(line, "row", f"has {len(values)} fields, expected {n}"))
            continue
        try:
            row = ImportRow.model_validate(dict(zip(header, values, strict=True)))
        except ValidationError as exc:
            out.append(_error_from(line, exc))
            continue
        out.append(ParsedRow(line, row.to_import()))
    return out


def read_rows(text: str) -> Iterator[ParsedRow | RowError]:
    """Validated rows (or errors) in file order, with physical line numbers."""
    header, rows = split_rows(text)
    for raw in rows:
        yield from validate(header, [raw])


def read_file(path: Path) -> Iterator[ParsedRow | RowError]:
    return read_rows(decode(path.read_bytes()))
