"""Bulk import of reviews from CSV or JSONL, streamed, scored and stored in batches.

The file is read a line at a time and at most two batches are held at once (one being scored
while the one before it is stored, or the next is read), so a file of any size imports in
constant memory. Each row is validated exactly as the webhook validates a body; a row that
fails is rejected with its line number and the reason, and the import carries on: one bad row
must not cost the others. Rows already stored are duplicates, so running the same file again
is safe, quick, and finishes an import that was interrupted.
"""

import asyncio
import codecs
import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from bot.config import QualityConfig
from bot.reviews.payload import validate_review
from bot.reviews.store import CREATED, DELETED, DUPLICATE, UPDATED, ReviewIn, store_reviews
from bot.sentiment import Sentiment, SentimentPool
from models.department import Department
from models.review import Review

# The review's public fields, in the order docs/webhooks.md lists them.
# fmt: off
FIELDS = (
    "id", "source", "rating", "title", "text", "author", "department", "language", "created_at",
    "url",
)
# fmt: on
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
BATCH = 500  # rows per transaction: the webhook's largest batch, and past the point of gains
MAX_LINE = 1024 * 1024  # a review is at most 100,000 characters; a longer line is not one
KEEP = 50  # rejected rows kept in the summary; `on_reject` sees every one of them
IN_FLIGHT = 4  # batches read ahead: scoring never waits for a slow store (1 would take turns)


class ImportFileError(Exception):
    """The file cannot be read: at all (nothing was imported), or past a line (what came
    before is stored)."""


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    id: str | None = None


@dataclass(frozen=True)
class Row:
    line: int
    data: dict[str, Any]


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    duplicate: int = 0
    deleted: int = 0  # deleted by their source before: not stored again
    rejected: int = 0
    first_rejected: list[Rejected] = field(default_factory=list)  # the first KEEP of them
    ignored_columns: list[str] = field(default_factory=list)
    bytes_done: int = 0  # of the file, up to the last row stored: what a progress bar shows


class _Lines:
    """The file's lines, decoded one at a time, so a bad byte or a runaway line rejects the
    row it is in rather than ending the import. `number` is the last line handed out."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self.number = 0
        self._problems: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        while raw := self._read(MAX_LINE + 1):
            self.number += 1
            if self.number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)  # spreadsheets write one
            if len(raw) > MAX_LINE:
                piece = raw
                while piece and not piece.endswith(b"\n"):  # to the line's end, piece by piece
                    piece = self._read(MAX_LINE)
                self._problems[self.number] = f"line longer than {MAX_LINE:,} bytes"
                raw = b"\n"
            try:
                yield raw.decode()
            except UnicodeDecodeError as exc:
                byte = f"0x{raw[exc.start]:02x}"
                self._problems[self.number] = f"not UTF-8 text (byte {byte}); save it as UTF-8"
                yield raw.decode(errors="replace")

    def _read(self, limit: int) -> bytes:
        try:
            return self._binary.readline(limit)
        except OSError as exc:  # a disk or network share failing under us
            reason = exc.strerror or type(exc).__name__
            raise ImportFileError(f"line {self.number + 1}: cannot be read ({reason})") from None

    @property
    def position(self) -> int:
        return self._binary.tell()

    def problem(self, first: int, last: int) -> str | None:
        """Why lines first..last could not be read, if they could not; forgets them either
        way, so a file full of bad lines does not fill memory."""
        found = [self._problems.pop(n) for n in range(first, last + 1) if n in self._problems]
        return found[0] if found else None


def _rows(lines: _Lines, form: str, summary: ImportSummary) -> Iterator[Row | Rejected]:
    return _csv_rows(lines, summary) if form == "csv" else _jsonl_rows(lines)


def _jsonl_rows(lines: _Lines) -> Iterator[Row | Rejected]:
    for text in lines:
        number = lines.number
        if problem := lines.problem(number, number):
            yield Rejected(number, problem)
        elif not text.strip():
            continue
        else:
            yield _json_row(number, text)


def _json_row(number: int, text: str) -> Row | Rejected:
    try:
        data = json.loads(text.rstrip("\r\n"))  # the newline ends the row, it is not in it
    except json.JSONDecodeError as exc:
        return Rejected(number, f"not valid JSON: {exc.msg}: column {exc.colno}")
    except RecursionError:
        return Rejected(number, "not valid JSON: nested too deeply")
    if not isinstance(data, dict):
        return Rejected(number, "not a JSON object")
    return Row(number, data)


def _csv_rows(lines: _Lines, summary: ImportSummary) -> Iterator[Row | Rejected]:
    reader = csv.reader(lines)
    header = _header(reader, lines, summary)
    while True:
        first = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            lines.problem(first, lines.number)
            yield Rejected(first, f"not valid CSV: {exc}")
            continue
        if problem := lines.problem(first, lines.number):
            yield Rejected(first, problem)
        elif not any(cell.strip() for cell in cells):
            continue  # a blank line, or the empty rows spreadsheets leave at the end
        elif len(cells) != len(header):
            yield Rejected(first, f"has {len(cells)} fields where the header has {len(header)}")
        else:
            yield _csv_row(first, header, cells)


def _header(reader: Iterator[list[str]], lines: _Lines, summary: ImportSummary) -> list[str]:
    try:
        names = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportFileError("is empty: expected a header line naming the columns") from None
    except csv.Error as exc:
        raise ImportFileError(f"line 1: not valid CSV: {exc}") from None
    if problem := lines.problem(1, lines.number):
        raise ImportFileError(f"line 1: {problem}")
    for name in names:
        if names.count(name) > 1:
            raise ImportFileError(f"line 1: column {name!r} appears twice")
    missing = [name for name in ("id", "source") if name not in names]
    if "text" not in names and "title" not in names:
        missing.append("text")
    if missing:
        listed = ", ".join(missing[:-1]) + " or " if len(missing) > 1 else ""
        raise ImportFileError(
            f"line 1: the header has no {listed}{missing[-1]} column"
            f" (the columns are the review fields: {', '.join(FIELDS)})"
        )
    summary.ignored_columns = [name for name in names if name not in FIELDS]
    return names


def _csv_row(line: int, header: list[str], cells: list[str]) -> Row | Rejected:
    # A CSV cell is always a string: an empty one means the field is absent, as a missing key
    # would in JSON, and the rating becomes a number, as it is in JSON.
    data: dict[str, Any] = {
        name: cell.strip() for name, cell in zip(header, cells, strict=True) if cell.strip()
    }
    if "rating" in data:
        try:
            data["rating"] = _number(data["rating"])
        except ValueError:
            return Rejected(line, f"rating: {data['rating']!r} is not a number", data.get("id"))
    return Row(line, data)


def _number(text: str) -> float:
    # A spreadsheet in a German or French locale writes 4,5 for 4.5.
    return float(text.replace(",", ".", 1) if re.fullmatch(r"\d+,\d+", text) else text)


def _chunks(rows: Iterable[Row | Rejected], size: int) -> Iterator[list[Row | Rejected]]:
    chunk: list[Row | Rejected] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


Key = tuple[str, str]  # (source, id)


@dataclass
class _Batch:
    items: list[ReviewIn]
    hashes: dict[Key, str]  # the content each review will have once this batch is stored
    scoring: "asyncio.Future[list[Sentiment]]"
    end: int  # bytes of the file read once this batch was


class _Import:
    def __init__(
        self,
        *,
        quality: QualityConfig,
        now: datetime,
        known: set[str],
        on_reject: Callable[[Rejected], None] | None,
        on_progress: Callable[[ImportSummary], None] | None,
    ) -> None:
        self.summary = ImportSummary()
        self._quality, self._now, self._known = quality, now, known
        self._on_reject, self._on_progress = on_reject, on_progress

    def accept(self, chunk: list[Row | Rejected]) -> list[ReviewIn]:
        items: list[ReviewIn] = []
        for row in chunk:
            self.summary.rows += 1
            if isinstance(row, Rejected):
                self.reject(row)
                continue
            try:
                items.append(validate_review(row.data, known_departments=self._known))
            except ValueError as exc:
                # The webhook names a rule about the whole body "body: …"; here it is the row.
                reason = str(exc).removeprefix("body: ")
                given = row.data.get("id")
                self.reject(Rejected(row.line, reason, None if given is None else str(given)))
        return items

    async def unstored(
        self, items: list[ReviewIn], pending: list[_Batch]
    ) -> tuple[list[ReviewIn], dict[Key, str]]:
        """The items not stored exactly so already. The others are counted as duplicates
        without being scored, so a re-run costs a database read, not the analyzer's time.
        Batches still pending count as stored: they will be, before this one."""
        current = await _stored_hashes(items)
        for batch in pending:
            current.update(batch.hashes)
        fresh: list[ReviewIn] = []
        hashes: dict[Key, str] = {}
        for item in items:
            key, digest = (item.source, item.id), item.content_hash()
            if current.get(key) == digest:
                self.summary.duplicate += 1
                continue
            # Stored in file order, so a review listed twice ends as its later row says.
            fresh.append(item)
            current[key] = hashes[key] = digest
        return fresh, hashes

    def reject(self, row: Rejected) -> None:
        self.summary.rejected += 1
        if len(self.summary.first_rejected) < KEEP:
            self.summary.first_rejected.append(row)
        if self._on_reject is not None:
            self._on_reject(row)

    async def store(self, batch: _Batch) -> None:
        sentiments = await batch.scoring
        stored = []
        if batch.items:  # a batch with nothing new (all rejected, or duplicates) needs none
            stored = await store_reviews(
                batch.items, sentiments, quality=self._quality, now=self._now
            )
        for result in stored:
            self.summary.created += result.status == CREATED
            self.summary.updated += result.status == UPDATED
            self.summary.duplicate += result.status == DUPLICATE
            self.summary.deleted += result.status == DELETED
        self.summary.bytes_done = batch.end
        self.progress()

    def progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.summary)


async def _stored_hashes(items: list[ReviewIn]) -> dict[Key, str]:
    ids: dict[str, list[str]] = {}
    for item in items:
        ids.setdefault(item.source, []).append(item.id)
    found: dict[Key, str] = {}
    for source, some in ids.items():
        rows = await Review.filter(source=source, external_id__in=some).values_list(
            "external_id", "content_hash"
        )
        found.update(((source, str(external_id)), str(digest)) for external_id, digest in rows)
    return found


def file_format(path: Path, given: str | None = None) -> str:
    form = given or FORMATS.get(path.suffix.lower())
    if form is None:
        raise ImportFileError("is neither .csv nor .jsonl (name the format with --format)")
    return form


async def import_reviews(
    path: Path,
    *,
    pool: SentimentPool,
    quality: QualityConfig,
    now: datetime,
    form: str | None = None,
    batch_size: int = BATCH,
    on_reject: Callable[[Rejected], None] | None = None,
    on_progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import every row of `path`; raises ImportFileError when the file cannot be read at all.
    Departments must already be synced from `quality`: rows naming another are rejected."""
    form = file_format(path, form)
    try:
        binary = path.open("rb")
    except OSError as exc:
        raise ImportFileError(exc.strerror or type(exc).__name__) from None
    with binary:
        known = {
            str(s) for s in await Department.filter(active=True).values_list("slug", flat=True)
        }
        run = _Import(
            quality=quality, now=now, known=known, on_reject=on_reject, on_progress=on_progress
        )
        lines = _Lines(binary)
        # The next batch is read and scored (in the worker) while the database stores the one
        # before, so the import takes about as long as scoring alone. IN_FLIGHT batches at most
        # are held: the memory stays constant however long the file.
        pending: list[_Batch] = []
        try:
            for chunk in _chunks(_rows(lines, form, run.summary), batch_size):
                items, hashes = await run.unstored(run.accept(chunk), pending)
                scoring = asyncio.ensure_future(pool.analyze_many([i.scored_text for i in items]))
                pending.append(_Batch(items, hashes, scoring, lines.position))
                if len(pending) == IN_FLIGHT:
                    await run.store(pending.pop(0))
            while pending:
                await run.store(pending.pop(0))
        finally:
            for batch in pending:  # the database failed: nobody will wait for these scores
                batch.scoring.cancel()
        run.summary.bytes_done = lines.position
        run.progress()
    return run.summary
