"""Writing sales exports the way insurers' offices do, for the import tests."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from console.admin.csvimport import HEADERS
from console.identity.model import InsuredImport, Sex

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


def row_values(r: InsuredImport, *, dates: str = "iso", sex: str = "cyrillic",
               phone_form: str = "e164") -> list[str]:  # fmt: skip
    def d(x) -> str:
        return x.isoformat() if dates == "iso" else x.strftime("%d.%m.%Y")

    sex_text = {("cyrillic", Sex.MALE): "М", ("cyrillic", Sex.FEMALE): "Ж",
                ("latin", Sex.MALE): "M", ("latin", Sex.FEMALE): "F"}[(sex, r.sex)]  # fmt: skip
    phone = r.phone or ""
    if phone and phone_form == "national":
        n = phone[2:]
        phone = f"8 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}"
    p = r.policy
    return [p.number, p.program, d(p.purchased_on), d(p.valid_from), d(p.valid_to), r.surname,
            r.name, r.patronymic, d(r.birth_date), sex_text, phone,
            r.representative_policy or ""]  # fmt: skip


def write_csv(path: Path, rows: Iterable[list[str]], *, delimiter: str = ",",
              encoding: str = "utf-8", header: Iterable[str] = HEADERS) -> Path:  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(list(header))
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
