"""Exports for spreadsheets: codes, orders, print runs, verification grades and pickups, as CSV or XLSX.

Each export is a :class:`Table` (column names and a stream of rows) written by :func:`write_table`. Rows are
streamed from the ledger, and XLSX is written in openpyxl's write-only mode, so a million rows never sit in memory.
A file is written under a temporary name and renamed into place when complete: an interrupted export never leaves
half a file. CSV is UTF-8 with a BOM (spreadsheet programs then read Chinese) and every text cell is made
formula-safe; in XLSX text cells are stored as text (a 20-digit code never turns into 1.78E+19) and never as
formulas. The counts of print runs and the grades are read from the hash-chained events, which say which run
printed each label, where on which roll, and what the camera found. Times are the station's ([station] timezone)
with their offset, "2026-12-02 13:05:09 +08:00"; the ledger keeps UTC.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from station.codes import codec, group, make_code, payload
from station.errors import StationError
from station.home import Home
from station.ledger import Ledger, State
from station.texts import LANGUAGES, TEXTS, from_store, tr
from station.zones import export_time

FORMATS = ("csv", "xlsx")
CODES_CHUNK = 50_000  # codes computed together in an export: fast, and a million never sit in memory
CODE_COLUMNS = (
    "code",
    "code_grouped",
    "serial",
    "state",
    "payload",
    "order",
    "enterprise",
    "product",
    "void_reason",
    "voided_at",
)
XLSX_MAX_ROWS = 1_048_576  # rows per sheet, heading included; longer exports continue on another sheet
XLSX_MAX_TEXT = 32_767  # characters in one cell

Cell = str | int | float | None

# label events, in the order they happen to one code
_LABEL_KINDS = ("code.print", "code.verify", "code.reject", "code.void")
_EVENT_DATA_SHOWN = ("from", "to", "grade", "letter", "reason")  # columns of their own in the grades export


@dataclass(frozen=True)
class Table:
    """An export: its name (the sheet's), column names, and rows streamed in column order."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[Sequence[Cell]]
    # columns whose values are the program's names for a state or status: column -> the catalogue's key prefix
    # (or a function of the value and the language), so a table with headings in a language says them in it too
    worded: dict[str, str | Callable[[Cell, str], Cell]] = field(default_factory=dict)


def worded_rows(table: Table, lang: str | None) -> Iterable[Sequence[Cell]]:
    """The table's rows, each worded column's value in ``lang`` (as it is when ``lang`` is None)."""
    if lang is None or not table.worded:
        return table.rows
    index = LANGUAGES.index(lang)
    where = {table.columns.index(column): prefix for column, prefix in table.worded.items()}

    def word(prefix: str | Callable[[Cell, str], Cell], value: Cell) -> Cell:
        if not isinstance(prefix, str):
            return prefix(value, lang)
        found = TEXTS.get(f"{prefix}{value}") if isinstance(value, str) else None
        return value if found is None else found[index]

    return ([word(where[i], v) if i in where else v for i, v in enumerate(row)] for row in table.rows)


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, CR) would make it a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def headings(columns: Sequence[str], lang: str | None) -> list[str]:
    """Column headings in ``lang`` ("zh" or "en"), or the column names themselves when ``lang`` is None."""
    if lang is None:
        return list(columns)
    index = LANGUAGES.index(lang)
    return [TEXTS[f"export.col.{column}"][index] for column in columns]


def write_table(table: Table, fmt: str, out: Path | None, lang: str | None) -> int:
    """Write ``table`` as CSV or XLSX to ``out`` (CSV may go to standard output); the number of rows."""
    if fmt not in FORMATS:
        raise StationError("export.bad_format", fmt=fmt, allowed=", ".join(FORMATS))
    heads = headings(table.columns, lang)
    rows = worded_rows(table, lang)
    if fmt == "xlsx":
        if out is None:
            raise StationError("export.needs_out", fmt=fmt)
        with atomic_path(out) as tmp:
            return _write_xlsx(tmp, table.name, heads, rows)
    if out is None:
        sys.stdout.write("\ufeff")
        return _write_csv(sys.stdout, heads, rows)
    with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        return _write_csv(handle, heads, rows)


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``, renamed to ``out`` when the block succeeds and removed when it fails."""
    if out.is_dir():
        raise StationError("export.is_dir", path=str(out))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())  # the rename must never expose a file whose bytes are not yet on disk
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave half a file behind
        raise


def _write_csv(handle: IO[str], heads: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    writer = csv.writer(handle)
    writer.writerow(heads)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
        count += 1
    return count


def _write_xlsx(path: Path, title: str, heads: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)

    def new_sheet(number: int) -> Any:
        sheet = book.create_sheet(title if number == 1 else f"{title} ({number})")
        sheet.freeze_panes = "A2"
        for i, head in enumerate(heads, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, 2 * len(head) + 2)
        sheet.append(list(heads))
        return sheet

    def cell(sheet: Any, value: Cell) -> Any:
        if not isinstance(value, str):
            return value
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_TEXT]
        if not text.startswith("="):
            return text  # openpyxl stores a str as an inline string: text, whatever its digits
        forced = WriteOnlyCell(sheet, text)
        forced.data_type = "s"  # text, never a formula
        return forced

    sheets = 1
    sheet = new_sheet(sheets)
    on_sheet = 1
    count = 0
    try:
        for row in rows:
            if on_sheet == XLSX_MAX_ROWS:
                sheets += 1
                sheet = new_sheet(sheets)
                on_sheet = 1
            sheet.append([cell(sheet, v) for v in row])
            on_sheet += 1
            count += 1
    except BaseException:
        _discard(book)
        raise
    book.save(path)
    return count


def _discard(book: Any) -> None:
    """Close an unsaved write-only workbook and remove the temporary files openpyxl streams its sheets to (it
    would otherwise remove them only when the process exits)."""
    for sheet in book.worksheets:
        if sheet._rows is not None:  # noqa: SLF001 - openpyxl has no public way to abandon a sheet
            sheet._rows.close()  # noqa: SLF001
        writer = sheet._writer  # noqa: SLF001
        if writer is not None:
            writer.close()
            writer.cleanup()


# --- the tables -------------------------------------------------------------------------------------


def codes_table(home: Home, order_id: int) -> Table:
    """Every code of an order: code, grouped code, serial, state, payload, order, enterprise, product; for a voided
    code, why and when (the reason recorded with its void, its order's cancellation, or its rejection at
    printing)."""
    from station.voids import VoidNotes

    ledger = home.ledger
    zone = home.config.station.timezone
    order = ledger.order(order_id)
    enterprise = ledger.enterprise(order["enterprise_id"])["name"]
    product = ledger.product(order["product_id"])["name"]
    coder = codec(home.key)
    base, gtin, lot = order["base_url"], order["gtin"], order["lot"]

    def rows() -> Iterator[Sequence[Cell]]:
        notes.append(VoidNotes(ledger, order_id))  # read when the rows are, in the export's own snapshot
        pending: list[tuple[int, State]] = []
        for pair in ledger.order_codes(order_id):
            pending.append(pair)
            if len(pending) == CODES_CHUNK:
                yield from chunk(pending)
                pending = []
        yield from chunk(pending)

    def chunk(pairs: list[tuple[int, State]]) -> Iterator[Sequence[Cell]]:
        codes = coder.codes([serial for serial, _ in pairs])  # a chunk at a time: the permutation over arrays
        for (serial, state), code in zip(pairs, codes, strict=True):
            url = payload(base, code, gtin, lot)
            note = notes[0].of(serial) if state is State.VOIDED else None
            void: tuple[Cell, Cell] = (None, None) if note is None else (note.reason, export_time(note.at, zone))
            yield (code, group(code), serial, state.label, url, order_id, enterprise, product, *void)

    notes: list[VoidNotes] = []
    return Table("codes", CODE_COLUMNS, rows(), {"state": "state."})


def export_codes_csv(home: Home, order_id: int, out: Path | None) -> int:
    """Write every code of an order as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese); the row count."""
    return write_table(codes_table(home, order_id), "csv", out, None)


ORDER_COLUMNS = (
    "order",
    "enterprise",
    "credit_code",
    "product",
    "gtin",
    "lot",
    "count",
    "created",
    *(f"state_{state.label}" for state in State),
)


def orders_table(home: Home) -> Table:
    """Issuance: one row per order, with how many of its codes are in each state."""
    ledger = home.ledger
    enterprise_of, product_of = memo(ledger.enterprise), memo(ledger.product)
    zone = home.config.station.timezone

    def rows() -> Iterator[Sequence[Cell]]:
        for order in ledger.orders():
            counts = ledger.order_state_counts(order["id"])
            enterprise = enterprise_of(order["enterprise_id"])
            yield (
                order["id"],
                enterprise["name"],
                enterprise["credit_code"],
                product_of(order["product_id"])["name"],
                order["gtin"],
                order["lot"],
                order["count"],
                export_time(order["created_at"], zone),
                *(counts.get(state, 0) for state in State),
            )

    return Table("orders", ORDER_COLUMNS, rows())


RUN_COLUMNS = (
    "run",
    "order",
    "enterprise",
    "product",
    "template",
    "status",
    "reason",
    "started",
    "finished",
    "printed",
    "verified",
    "voided",
    "rolls",
    "first_roll",
    "last_roll",
)


def runs_table(home: Home, order_id: int | None = None) -> Table:
    """Print runs, of one order or all: status, times, and how many labels each printed, verified and voided.

    A label counts for the run that printed it (its print event names the run); it counts as verified when the
    camera passed it, as voided when it was rejected or voided before any verification (in flight at a crash).
    """
    ledger = home.ledger
    order_ids = _order_ids(ledger, order_id)
    enterprise_of, product_of = memo(ledger.enterprise), memo(ledger.product)
    zone = home.config.station.timezone

    def rows() -> Iterator[Sequence[Cell]]:
        for oid in order_ids:
            runs = [e["data"]["run"] for e in ledger.events_of(["run.started"], order_id=oid)]
            if not runs:
                continue
            order = ledger.order(oid)
            rolls: dict[int, list[str]] = {}
            for event in ledger.events_of(["roll.opened"], order_id=oid):
                rolls.setdefault(event["data"]["run"], []).append(event["data"]["roll"])
            counts: dict[int, list[int]] = {run: [0, 0, 0] for run in runs}
            for label in _labels(ledger, oid):
                if label.run is None:
                    continue
                tally = counts.setdefault(label.run, [0, 0, 0])
                tally[0] += 1
                if label.verdict is not None:
                    tally[1 if label.verdict["kind"] == "code.verify" else 2] += 1
            for run_id in runs:
                run = ledger.run(run_id)
                own = rolls.get(run_id, [])
                yield (
                    run_id,
                    oid,
                    enterprise_of(order["enterprise_id"])["name"],
                    product_of(order["product_id"])["name"],
                    run["template"],
                    run["status"],
                    run["reason"],
                    export_time(run["started_at"], zone),
                    export_time(run["finished_at"], zone),
                    *counts[run_id],
                    len(own),
                    own[0] if own else None,
                    own[-1] if own else None,
                )

    return Table("runs", RUN_COLUMNS, rows(), {"status": "run.status.", "reason": _reason_in})


def _reason_in(value: Cell, lang: str) -> Cell:
    """A recorded reason in ``lang``: a run's word for going on ("resumed"), or what the catalogue said (a reason
    recorded as text, as it was recorded)."""
    if isinstance(value, str) and f"run.reason.{value}" in TEXTS:
        return tr(lang, f"run.reason.{value}")
    return value if value is None else from_store(value, lang)


GRADE_COLUMNS = (
    "code",
    "order",
    "run",
    "roll",
    "position",
    "result",
    "grade",
    "letter",
    "parameters",
    "reason",
    "time",
    "operator",
    "station",
)


def grades_table(home: Home, order_id: int | None = None) -> Table:
    """One row per label the camera verified or rejected: where it was printed, its grade and what was found."""
    ledger = home.ledger
    order_ids = _order_ids(ledger, order_id)
    key = home.key
    zone = home.config.station.timezone

    def rows() -> Iterator[Sequence[Cell]]:
        for oid in order_ids:
            for label in _labels(ledger, oid):
                verdict = label.verdict
                if verdict is None or verdict["kind"] not in ("code.verify", "code.reject"):
                    continue
                data = verdict["data"]
                others = {k: v for k, v in data.items() if k not in _EVENT_DATA_SHOWN}
                yield (
                    make_code(key, label.serial),
                    oid,
                    label.run,
                    label.roll,
                    label.position,
                    "verified" if verdict["kind"] == "code.verify" else "rejected",
                    data.get("grade"),
                    data.get("letter"),
                    json.dumps(others, ensure_ascii=False, sort_keys=True) if others else None,
                    data.get("reason"),
                    export_time(verdict["at"], zone),
                    verdict["operator"],
                    verdict["station"],
                )

    return Table(
        "grades", GRADE_COLUMNS, rows(), {"result": "export.result.", "parameters": grade_details, "reason": _reason_in}
    )


def grade_details(cell: Cell, lang: str) -> Cell:
    """The grades export's details in words, for a table in ``lang``: each grading parameter with its value and
    letter, then each cause of a reject (or, recorded before causes were, each defect's kind); anything else the
    check recorded stays as JSON after them."""
    from station.qc import cause_text

    data = json.loads(cell) if isinstance(cell, str) and cell.startswith("{") else None
    if not isinstance(data, dict):
        return cell
    parts = []
    for name, (value, grade) in (data.get("parameters") or {}).items():
        letter = "ABCDF"[4 - grade] if 0 <= grade <= 4 else "?"
        shown = tr(lang, "param." + name) if "param." + name in TEXTS else name
        parts.append(f"{shown} {value:.3f} {letter}")
    parts += [cause_text(cause, lang) for cause in data.get("causes") or []]
    if not data.get("causes"):
        kinds = [d.get("kind", "") for d in data.get("defects") or []]
        parts += [tr(lang, "defect." + k) if "defect." + k in TEXTS else k for k in kinds]
    rest = {k: v for k, v in data.items() if k not in ("parameters", "causes", "defects", "frame")}
    if rest:
        parts.append(json.dumps(rest, ensure_ascii=False, sort_keys=True))
    return tr(lang, "why.join").join(parts)


PICKUP_COLUMNS = (
    "pickup",
    "enterprise",
    "credit_code",
    "receiver",
    "operator",
    "station",
    "time",
    "rolls",
    "roll_ids",
    "codes",
    "undone",
    "undo_reason",
)


def pickups_table(home: Home, enterprise_id: int | None = None) -> Table:
    """Pickups of rolls (领取), all or of one enterprise, with the rolls, the codes handed over, and any undo."""
    ledger = home.ledger
    if enterprise_id is not None:
        ledger.enterprise(enterprise_id)
    enterprise_of = memo(ledger.enterprise)
    zone = home.config.station.timezone

    def rows() -> Iterator[Sequence[Cell]]:
        made: dict[int, dict[str, Any]] = {}
        undone: dict[int, dict[str, Any]] = {}
        # read per enterprise: events are indexed by enterprise, and most events (a code's) have none
        enterprises = [enterprise_id] if enterprise_id is not None else [e["id"] for e in ledger.enterprises()]
        for eid in enterprises:
            for event in ledger.events_of(["pickup.made", "pickup.undone"], enterprise_id=eid):
                (made if event["kind"] == "pickup.made" else undone)[event["data"]["pickup"]] = event
        for pickup_id, event in sorted(made.items()):
            data = event["data"]
            enterprise = enterprise_of(event["enterprise_id"])
            undo = undone.get(pickup_id)
            yield (
                pickup_id,
                enterprise["name"],
                enterprise["credit_code"],
                data["receiver"],
                event["operator"],
                event["station"],
                export_time(event["at"], zone),
                len(data["rolls"]),
                " ".join(data["rolls"]),
                data["codes"],
                export_time(undo["at"], zone) if undo else None,
                undo["data"].get("reason") if undo else None,
            )

    return Table("pickups", PICKUP_COLUMNS, rows())


# --- reading labels from the events -----------------------------------------------------------------


@dataclass
class Label:
    """What the events say about one printed code: where it was printed and the first verdict on it."""

    serial: int
    run: int | None
    roll: str | None
    position: int | None
    verdict: dict[str, Any] | None  # the code.verify, code.reject or code.void event that settled it


def _labels(ledger: Ledger, order_id: int) -> Iterator[Label]:
    """Every printed code of an order with its verdict, streamed in serial order (one code's events at a time)."""
    events = ledger.order_code_events(order_id, _LABEL_KINDS)
    for serial, history in itertools.groupby(events, key=lambda e: int(e["serial"])):
        printed: dict[str, Any] | None = None
        verdict: dict[str, Any] | None = None
        for event in history:
            if event["kind"] == "code.print":
                printed = event["data"]
            elif printed is not None and verdict is None:
                verdict = event
        if printed is None:
            continue  # voided before it was ever printed
        yield Label(serial, printed.get("run"), printed.get("roll"), printed.get("position"), verdict)


def _order_ids(ledger: Ledger, order_id: int | None) -> list[int]:
    if order_id is not None:
        ledger.order(order_id)  # an unknown order is an error before any file is opened
        return [order_id]
    return [order["id"] for order in ledger.orders()]


Row = TypeVar("Row")


def memo(read: Callable[[int], Row]) -> Callable[[int], Row]:
    """``read`` remembered per id: an enterprise, product or order is looked up once per export."""
    seen: dict[int, Row] = {}

    def get(key: int) -> Row:
        if key not in seen:
            seen[key] = read(key)
        return seen[key]

    return get
