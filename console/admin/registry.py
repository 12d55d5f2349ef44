"""The registry import and the identification look-up, as the admin runs them."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from console.admin.csvimport import ParsedRow, RawRow, RowError, decode, split_rows, validate
from console.identity.identify import Identified, describe, matches_for_phone
from console.identity.model import InsuredImport
from console.identity.names import split_full_name
from console.identity.phones import normalize_phone
from console.store import audit, bulk, registry
from console.store.models import ImportRun

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterable, Iterator
    from pathlib import Path

    from console.store.database import Database

log = logging.getLogger(__name__)

BATCH = 5000
ANALYZE_AFTER = 1000  # new rows after which the planner's statistics are refreshed


@dataclass
class ImportReport:
    rows: int = 0
    counts: bulk.UpsertCounts = field(default_factory=bulk.UpsertCounts)
    errors: list[RowError] = field(default_factory=list)
    links: bulk.LinkResult = field(default_factory=bulk.LinkResult)

    @property
    def imported(self) -> int:
        return self.counts.inserted + self.counts.updated + self.counts.unchanged


Item = ParsedRow | RowError | InsuredImport


async def _in_batches(items: Iterable[Item], size: int) -> AsyncIterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def import_rows(
    db: Database,
    items: Iterable[Item],
    *,
    now: datetime,
    source: str,
    actor: str,
    batch: int = BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert rows (validated CSV rows, their errors, or ready records) in batches."""
    return await import_batches(
        db, _in_batches(items, batch), now=now, source=source, actor=actor,
        on_progress=on_progress,
    )  # fmt: skip


async def import_file(
    db: Database,
    path: Path,
    *,
    now: datetime,
    actor: str,
    batch: int = BATCH,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a sales CSV. Raises ``ImportFileError`` before writing if it cannot be read.

    ``on_total`` gets the number of rows to expect (lines less the header; a
    quoted field with a line break makes it an overestimate), for a progress bar.

    Validation runs in this process: handing batches to a worker process was
    measured slower on a 2-core machine, where the database write already keeps
    both cores busy (SQLite's thread and ours).
    """
    text = decode(await asyncio.to_thread(path.read_bytes))
    header, raw_rows = split_rows(text)
    if on_total is not None:
        on_total(max(0, text.rstrip("\r\n").count("\n")))
    return await import_batches(
        db, _validated(header, raw_rows, batch), now=now, source=path.name, actor=actor,
        on_progress=on_progress,
    )  # fmt: skip


async def _validated(
    header: list[str], raw_rows: Iterator[RawRow], batch: int
) -> AsyncIterator[list[Item]]:
    while chunk := list(islice(raw_rows, batch)):
        yield list(validate(header, chunk))


async def import_batches(
    db: Database,
    batches: AsyncIterator[list[Item]],
    *,
    now: datetime,
    source: str,
    actor: str,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert batches (one transaction each); link representatives; record and audit."""
    report = ImportReport()
    pairs: list[tuple[str, str]] = []
    lines: dict[str, int] = {}
    async for items in batches:
        rows: list[InsuredImport] = []
        for item in items:
            report.rows += 1
            if isinstance(item, RowError):
                report.errors.append(item)
                continue
            row = item.row if isinstance(item, ParsedRow) else item
            if isinstance(item, ParsedRow):
                lines[row.policy.number] = item.line
            rows.append(row)
            if row.representative_policy:
                pairs.append((row.policy.number, row.representative_policy))
        if rows:
            async with db.transaction() as s:
                report.counts.add(await bulk.upsert_batch(s, rows, now))
        if on_progress:
            on_progress(len(items))
    async with db.transaction() as s:
        report.links = await bulk.link_representatives(s, pairs)
        if report.counts.inserted >= ANALYZE_AFTER:
            await bulk.refresh_statistics(s)
        for represented, _ in report.links.missing:
            report.errors.append(
                RowError(
                    lines.get(represented, 0),
                    "representative_policy",
                    "no such policy in the registry (row imported without the link)",
                )
            )
        s.add(
            ImportRun(
                started_at=now,
                finished_at=datetime.now(now.tzinfo),
                source=source,
                rows_total=report.rows,
                rows_inserted=report.counts.inserted,
                rows_updated=report.counts.updated,
                rows_unchanged=report.counts.unchanged,
                rows_failed=sum(1 for e in report.errors if e.field != "representative_policy"),
            )
        )
        await audit.record(
            s,
            at=now,
            actor=actor,
            action="registry.import",
            detail={
                "source": source,
                "rows": report.rows,
                "inserted": report.counts.inserted,
                "updated": report.counts.updated,
                "unchanged": report.counts.unchanged,
                "failed": len(report.errors),
            },
        )
    log.info(
        "import finished: %d rows, %d inserted, %d updated, %d unchanged, %d errors",
        report.rows,
        report.counts.inserted,
        report.counts.updated,
        report.counts.unchanged,
        len(report.errors),
    )
    return report


class FindError(ValueError):
    pass


async def find(
    db: Database,
    *,
    on: date,
    actor: str,
    phone: str | None = None,
    policy: str | None = None,
    full_name: str | None = None,
    birth_date: date | None = None,
) -> list[Identified]:
    """Look people up one of three ways and audit who looked whom up."""
    async with db.transaction() as s:  # one unit of work: the look-up and its audit row
        if phone is not None:
            e164 = normalize_phone(phone)
            owners, represented = await registry.find_by_phone(s, e164)
            found = matches_for_phone(owners, represented, on)
            how = "phone"
        elif policy is not None:
            rec = await registry.find_by_policy(s, policy)
            found = [describe(rec, on)] if rec else []
            how = "policy"
        elif full_name is not None and birth_date is not None:
            surname, name, patronymic = split_full_name(full_name)
            recs = await registry.find_by_name(s, surname, name, patronymic or None, birth_date)
            found = [describe(r, on) for r in recs]
            how = "name_birth_date"
        else:
            raise FindError("give --phone, --policy, or --name with --birth-date")
        await audit.record(
            s,
            at=datetime.now().astimezone(),
            actor=actor,
            action="registry.find",
            person_ids=[m.record.person.id for m in found] or None,
            detail={"by": how, "matches": len(found)},
        )
    log.info("find by %s: %d matches", how, len(found))
    return found


def as_json(found: list[Identified]) -> list[dict[str, Any]]:
    return [m.to_dict() for m in found]
