"""The doctor's conclusion as a PDF, in Russian, for the patient to download.

:func:`render` is plain CPU work (fpdf2, pure Python; a few tens of milliseconds):
the hub calls it off the event loop. The text is set in DejaVu Sans, embedded
from ``resources/fonts`` (subset), so Cyrillic renders wherever the PDF is opened.
The same :class:`ConclusionDocument` always gives the same bytes (the creation
date is the signing time), so a signed version downloads identically every time.

What the page says follows the conclusion form: complaints, history,
recommendations, whether an in-person visit is needed, or that there is no
conclusion for want of information; then the limits of telemedicine and the
signature (the doctor's name and specialty and the time of signing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DejaVuSans.ttf"

TITLE = "Заключение по результатам консультации с применением телемедицинских технологий"
#: Why the conclusion has no diagnosis, prescription, sick leave or certificate.
LIMITS_NOTE = (
    "Консультация проведена дистанционно. Врач, не осмотревший пациента очно по поводу "
    "текущего заболевания, не устанавливает диагноз, не назначает рецептурные "
    "лекарственные препараты, не оформляет листок нетрудоспособности и не выдаёт справки "
    "(ст. 36.2 Федерального закона от 21.11.2011 № 323-ФЗ «Об основах охраны здоровья "
    "граждан в Российской Федерации»)."
)
NO_CONCLUSION = "Заключение не дано: недостаточно информации для заключения."
SPECIALTIES = {
    "pediatrician": "врач-педиатр",
    "therapist": "врач-терапевт",
    "cardiologist": "врач-кардиолог",
    "neurologist": "врач-невролог",
}
KINDS = {"urgent": "неотложная (дежурный врач)", "appointment": "по записи"}
CHANNELS = {"audio": "аудиосвязь", "video": "видеосвязь", "chat": "чат"}


@dataclass(frozen=True, slots=True)
class ConclusionDocument:
    """Everything the PDF shows, as the hub gathered it (no ORM objects)."""

    number: int  # the conclusion's id
    version: int
    patient_name: str
    birth_date: date
    age: int
    policy_number: str | None
    representative: str | None
    kind: str  # the contact's kind: urgent, appointment, ...
    channel: str
    started_at: datetime | None  # the consultation's start (UTC)
    doctor_name: str
    doctor_specialty: str | None
    signed_at: datetime  # UTC
    complaints: str
    history: str
    recommendations: str
    in_person_visit: bool
    no_conclusion: bool


def specialty_name(specialty: str | None) -> str:
    if not specialty:
        return "врач"
    return SPECIALTIES.get(specialty, f"врач ({specialty})")


def years(n: int) -> str:
    """``n`` with the Russian word for years: 1 год, 2 года, 5 лет, 11 лет, 21 год."""
    if n % 10 == 1 and n % 100 != 11:
        word = "год"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = "года"
    else:
        word = "лет"
    return f"{n} {word}"


def _local(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    offset = local.strftime("%z")
    return f"{local:%d.%m.%Y %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _clean(text: str) -> str:
    """Line breaks as the PDF wants them; no other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


class _Page(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"Стр. {self.page_no()} из {{nb}}", align="C")


def render(doc: ConclusionDocument, tz: tzinfo) -> bytes:
    """The PDF of ``doc``; times in ``tz`` (the call center's)."""
    pdf = _Page(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_title("Заключение врача")
    pdf.set_subject(TITLE)
    pdf.set_author(doc.doctor_name)
    pdf.set_creator("medconsole")
    pdf.set_lang("ru")
    pdf.set_creation_date(doc.signed_at)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float = 10.5, gap: float = 1.5, grey: bool = False) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.set_text_color(*((110, 110, 110) if grey else (20, 20, 20)))
        pdf.multi_cell(width, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def heading(text: str, size: float = 11.5) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.set_text_color(20, 20, 20)
        pdf.set_draw_color(20, 20, 20)  # the stroke that makes it bold
        with pdf.local_context(text_mode="FILL_STROKE", line_width=0.18):  # bold, one font file
            pdf.multi_cell(width, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def rule() -> None:
        pdf.set_draw_color(190, 190, 190)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(3)

    heading(TITLE, 14)
    line(f"№ {doc.number}, версия {doc.version}", 9.5, 3, grey=True)
    rule()

    facts = [
        ("Пациент", doc.patient_name),
        ("Дата рождения", f"{doc.birth_date:%d.%m.%Y} ({years(doc.age)})"),
        ("Полис", doc.policy_number or "—"),
    ]
    if doc.representative:
        facts.append(("Представитель", doc.representative))
    what = KINDS.get(doc.kind, "консультация")
    how = CHANNELS.get(doc.channel, doc.channel)
    facts.append(("Консультация", f"{what}, {how}"))
    if doc.started_at is not None:
        facts.append(("Начало консультации", _local(doc.started_at, tz)))
    facts.append(("Врач", f"{doc.doctor_name}, {specialty_name(doc.doctor_specialty)}"))
    label_w = 58.0
    pdf.set_font("DejaVu", size=10.5)
    for label, value in facts:
        rows = max(
            len(pdf.multi_cell(label_w, 5.5, label, dry_run=True, output="LINES")),  # type: ignore[arg-type]
            len(pdf.multi_cell(width - label_w, 5.5, value, dry_run=True, output="LINES")),  # type: ignore[arg-type]
        )
        if pdf.will_page_break(rows * 5.5):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_text_color(110, 110, 110)
        pdf.multi_cell(label_w, 5.5, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_text_color(20, 20, 20)
        pdf.multi_cell(width - label_w, 5.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(y + rows * 5.5 + 0.8)
    pdf.ln(2)
    rule()

    if doc.no_conclusion:
        heading(NO_CONCLUSION)
        pdf.ln(1)
    sections = [
        ("Жалобы", doc.complaints),
        ("Анамнез", doc.history),
        ("Рекомендации", doc.recommendations),
    ]
    for title, raw in sections:
        text = _clean(raw)
        if not text and doc.no_conclusion:
            continue
        heading(title)
        line(text or "—", gap=3)
    if not doc.no_conclusion:
        heading("Очный приём")
        line(
            "Необходим очный приём (осмотр) врача."
            if doc.in_person_visit
            else "По результатам консультации очный приём не требуется.",
            gap=3,
        )
    elif doc.in_person_visit:
        heading("Очный приём")
        line("Необходим очный приём (осмотр) врача.", gap=3)

    pdf.ln(2)
    rule()
    line(LIMITS_NOTE, 8.5, 4, grey=True)

    heading("Подписано")
    line(f"{doc.doctor_name}, {specialty_name(doc.doctor_specialty)}", gap=0.5)
    line(f"Дата и время подписания: {_local(doc.signed_at, tz)}", gap=0.5)
    return bytes(pdf.output())
