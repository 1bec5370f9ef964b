"""What a consumer is told about a code: the verdict, its warnings and the product's records.

The code is checked before the ledger is touched: characters and length, then the Damm check digit (a typo gets
its hint), then the MAC. Only a code that passes all three is looked up, so a made-up code never reaches the
database. (The typo hint alone asks the ledger, and only about the near codes that pass the MAC.)

Each outcome has a stable ``status`` for the JSON API and an HTTP status:

====================  ====  =============================================================
status                HTTP  when
====================  ====  =============================================================
genuine               200   an issued code, handed to its producer, nothing to warn about
repeated              200   as genuine, but queried more than ``[query] warn_after`` times
blacklisted           200   the producer is on the blacklist
recalled              200   the code's lot is recalled
undistributed         200   the code never left the office (not yet handed to a producer)
voided                410   voided (a label spoiled at printing, or by the office with a reason): on no product
unknown               404   passes the MAC but is not in the ledger
forged                404   fails the MAC: not a code this system issued
check_digit           400   fails the check digit: a typo (with the likely correction)
malformed             400   not 20 digits
====================  ====  =============================================================

When several apply, the most serious is the status and every one is in ``warnings``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from station.codes import (
    CODE_DIGITS,
    Codec,
    CodeKey,
    check_digit_ok,
    normalise,
    typo_candidates,
)
from station.errors import CodeError
from station.labels.values import best_before
from station.ledger import Ledger, State
from station.ledger.base import CodeRow
from station.ledger.changes import LedgerWatch
from station.ledger.query_store import CodeQueries
from station.places import full_place_name
from station.query.counters import Counters
from station.texts import TEXTS, tr
from station.zones import DEFAULT_ZONE, shown_time, zone

HTTP_STATUS = {
    "genuine": 200,
    "repeated": 200,
    "blacklisted": 200,
    "recalled": 200,
    "undistributed": 200,
    "voided": 410,
    "unknown": 404,
    "forged": 404,
    "check_digit": 400,
    "malformed": 400,
}
FAILED = frozenset({"unknown", "forged", "check_digit", "malformed"})
# most serious first: the first warning that applies is the status
SEVERITY = ("voided", "recalled", "blacklisted", "undistributed", "repeated")
_UNDISTRIBUTED = (State.ISSUED, State.PRINTED, State.VERIFIED)


_BY_LANGUAGE = {lang: {key: pair[i] for key, pair in TEXTS.items()} for i, lang in enumerate(("zh", "en"))}


def texts(lang: str) -> dict[str, str]:
    """Every catalogue text in ``lang``, unformatted (templates look the fixed ones up without a call)."""
    return _BY_LANGUAGE["en" if lang == "en" else "zh"]


_LOCAL_TIMES: dict[tuple[str, str], str] = {}  # a code's first query time is on each of its pages: converted once


def local_time(stamp: str, zone_name: str = DEFAULT_ZONE) -> str:
    """A stored UTC time on the station's clock ([station] timezone), to the second."""
    found = _LOCAL_TIMES.get((stamp, zone_name))
    if found is None:
        if len(_LOCAL_TIMES) >= 10_000:
            _LOCAL_TIMES.clear()
        found = _LOCAL_TIMES[stamp, zone_name] = shown_time(stamp, zone_name)
    return found


_LOT_FIELDS = (
    "number",
    "production_date",
    "quantity",
    "records",
    "inspection",
    "inspection_report",
    "released",
    "recalled",
    "recall_reason",
)
# The registry behind a page (producer, product, lot) is kept while the ledger shows no change since it was read
# (a commit seen by the ledger's watch, or a new head of its audit chain): a recall, release, blacklisting or void
# shows whole, status and reason together, at the very next query. Only an Answerer told of neither way reads it
# again after this long.
FACTS_TTL_S = 1.0
CHECKED_KEPT = 100_000  # codes whose offline check is remembered (Answerer._check)
_NOT_CHECKED = -1  # no serial is negative


@dataclass
class Facts:
    """What every code of one order and lot shares: producer, product, lot, and the labels' link."""

    producer: dict[str, Any]
    product: dict[str, Any]
    lot: dict[str, Any] | None
    link: tuple[str, str | None]  # (GTIN-14, lot) as the order's labels carry them in a Digital Link
    read_at: float
    version: object = None  # the ledger's version it was read at (Answerer.facts), None when only its age tells
    pages: dict[str, bytes] = field(default_factory=dict)  # the product and lot cards per language, as HTML
    json: str | None = None  # producer, product and lot as the JSON body's last three members, encoded once


@dataclass(slots=True)
class Answer:
    """Everything the page and the JSON API say about one queried code."""

    status: str
    code: str  # the 20 digits, or what was typed (cut short) when it is not a code
    reason: tuple[str, dict[str, object]] | None = None  # why a malformed code is malformed (text key, params)
    hint: tuple[str, list[int]] | None = None  # check_digit: the likely code and the positions that differ
    serial: int | None = None
    warnings: list[str] = field(default_factory=list)
    queries: CodeQueries | None = None
    anomaly: bool = False  # this code has been queried from far-apart networks within the window
    facts: Facts | None = None
    link_mismatch: bool = False
    checks: int = 1  # MACs checked to answer: none for a malformed code, one per candidate of a typo's hint
    void: Any = None  # a voided code: why and when (station.voids.VoidNote), when an event says
    zone: str = DEFAULT_ZONE  # the station's clock, for the times the page shows

    def cost(self, failed_cost: int) -> int:
        """The rate-limit tokens this answer costs, ``failed_cost`` being what one failed MAC check costs: a code
        of ours 1, a failed one ``failed_cost`` for each MAC it checked (at least one), so that every guess at a
        MAC, made directly or through a hint, costs the same (docs/code-format.md)."""
        return failed_cost * max(1, self.checks) if self.status in FAILED else 1

    @property
    def producer(self) -> dict[str, Any] | None:
        """The producer's name, credit code and blacklisting."""
        return self.facts.producer if self.facts else None

    @property
    def product(self) -> dict[str, Any] | None:
        """The product's label fields."""
        return self.facts.product if self.facts else None

    @property
    def lot(self) -> dict[str, Any] | None:
        """The lot the code is bound to, with records, inspection, release and recall."""
        return self.facts.lot if self.facts else None

    @property
    def http_status(self) -> int:
        """The HTTP status of this answer."""
        return HTTP_STATUS[self.status]

    @property
    def failed(self) -> bool:
        """True when the code is not one of ours (these cost a client more of its rate limit)."""
        return self.status in FAILED

    @property
    def genuine(self) -> bool:
        """True for a code this system issued and handed to a producer, and not voided."""
        return self.status in ("genuine", "repeated", "blacklisted", "recalled")

    @property
    def grouped(self) -> str:
        """The code in groups of four when it is 20 digits."""
        code = self.code
        if len(code) == CODE_DIGITS and code.isdigit():  # station.codes.group, unrolled: on every page
            return f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:16]} {code[16:]}"
        return code

    def headline(self, lang: str) -> str:
        """The one-line verdict."""
        return tr(lang, f"query.status.{self.status}")

    def detail(self, lang: str) -> str:
        """What exactly is wrong with a code that is not ours, or how often a genuine one was queried."""
        if self.reason is not None:
            return tr(lang, self.reason[0], **self.reason[1])
        if self.status == "check_digit":
            return tr(lang, "query.hint" if self.hint else "query.nohint")
        if self.queries is not None:
            if self.queries.queries == 1:
                return tr(lang, "query.first")
            return tr(lang, "query.nth", n=self.queries.queries, first=local_time(self.queries.first_at, self.zone))
        return ""

    def warning_texts(self, lang: str) -> list[tuple[str, str]]:
        """(kind, text) of every warning, most serious first."""
        out = []
        for kind in self.warnings:
            params: dict[str, object] = {}
            if kind == "repeated" and self.queries is not None:
                params = {"n": self.queries.queries, "first": local_time(self.queries.first_at, self.zone)}
            elif kind == "recalled" and self.lot is not None:
                params = {"number": self.lot["number"], "reason": self.lot["recall_reason"] or ""}
            elif kind == "blacklisted" and self.producer is not None:
                params = {"name": self.producer["name"], "reason": self.producer["blacklist_reason"] or ""}
            elif kind == "voided" and self.void is not None and self.void.kind != "spoiled":
                when = local_time(self.void.at, self.zone)
                text = tr(lang, f"query.warn.voided_{self.void.kind}", at=when, reason=self.void.reason)
                out.append((kind, text))
                continue
            out.append((kind, tr(lang, f"query.warn.{kind}", **params)))
        return out

    def to_json(self, lang: str) -> dict[str, Any]:
        """The JSON API's body."""
        return {
            "status": self.status,
            "genuine": self.genuine,
            "code": self.code,
            "code_grouped": self.grouped,
            "message": self.headline(lang),
            "detail": self.detail(lang),
            "hint": None if self.hint is None else {"code": self.hint[0], "positions": self.hint[1]},
            "warnings": [{"kind": k, "message": m} for k, m in self.warning_texts(lang)],
            "queries": None
            if self.queries is None
            else {
                "count": self.queries.queries,
                "first_at": self.queries.first_at,
                "anomalies": self.queries.anomalies,
            },
            "anomaly": self.anomaly,
            "voided": self.void_json(),
            "producer": self.producer,
            "product": self.product,
            "lot": self.lot,
        }

    def void_json(self) -> dict[str, Any] | None:
        """A voided code's void: how (``spoiled`` at printing, ``office`` with a reason, ``cancelled`` with its
        order), when (the query host's local time) and why (the reason recorded; none for a spoiled label)."""
        void = self.void
        if void is None:
            return None
        reason = None if void.kind == "spoiled" else void.reason
        return {"kind": void.kind, "at": local_time(void.at, self.zone), "reason": reason}

    def json(self, lang: str) -> bytes:
        """``to_json`` encoded as Starlette's JSONResponse encodes it (UTF-8, compact), written out member by
        member; the producer, product and lot are encoded once per ``Facts``, and what stays the same from one
        query of a code to the next is kept (``_STILL``)."""
        code = self.code
        if self.hint is not None or "repeated" in self.warnings or len(code) != CODE_DIGITS or not code.isdigit():
            return "".join(self._json_parts(lang, _string(self.detail(lang)), self._queries_json())).encode()
        made_of = (self.status, *self.warnings, self.facts, self.void, self.zone)
        still = _STILL.get((lang, code))
        if still is None or still[0] != made_of:
            if len(_STILL) >= STILL_KEPT:
                _STILL.clear()
            whole = "".join(self._json_parts(lang, _DETAIL_MARK, _QUERIES_MARK))
            before, rest = whole.split(_DETAIL_MARK)
            between, after = rest.split(_QUERIES_MARK)
            still = _STILL[lang, code] = (made_of, before.encode(), between.encode(), after.encode())
        return b"".join(
            (still[1], _string(self.detail(lang)).encode(), still[2], self._queries_json().encode(), still[3])
        )

    def _queries_json(self) -> str:
        queries = self.queries
        if queries is None:
            return "null"
        return f'{{"count":{queries.queries},"first_at":{_string(queries.first_at)},"anomalies":{queries.anomalies}}}'

    def _json_parts(self, lang: str, detail: str, queries: str) -> list[str]:
        """The JSON body's parts, ``detail`` and ``queries`` already encoded."""
        facts = self.facts
        if facts is None:
            tail = '"producer":null,"product":null,"lot":null}'
        else:
            if facts.json is None:
                facts.json = _encode({"producer": facts.producer, "product": facts.product, "lot": facts.lot})[1:]
            tail = facts.json
        hint = self.hint
        return [
            '{"status":',
            _string(self.status),
            ',"genuine":',
            "true" if self.genuine else "false",
            ',"code":',
            _string(self.code),
            ',"code_grouped":',
            _string(self.grouped),
            ',"message":',
            _headline_json(self.status, lang),
            ',"detail":',
            detail,
            ',"hint":',
            "null" if hint is None else f'{{"code":{_string(hint[0])},"positions":[{",".join(map(str, hint[1]))}]}}',
            ',"warnings":[',
            ",".join(f'{{"kind":{_string(k)},"message":{_string(m)}}}' for k, m in self.warning_texts(lang)),
            "]",
            ',"queries":',
            queries,
            ',"anomaly":',
            "true" if self.anomaly else "false",
            ',"voided":',
            "null" if self.void is None else _encode(self.void_json()),
            ",",
            tail,
        ]


# A code's JSON body less its count, kept per language and code: the parts around the detail and the counter, and
# what they were made of (status, warnings, the Facts read at the ledger's version, the void, the clock). A body is
# put together from them only while all of these are the same, so a change in the ledger shows at once.
_STILL: dict[tuple[str, str], tuple[tuple[object, ...], bytes, bytes, bytes]] = {}
STILL_KEPT = 10_000
_DETAIL_MARK = "\x00detail\x00"
_QUERIES_MARK = "\x00queries\x00"


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))  # as Starlette's


_string = json.encoder.encode_basestring  # one string as _ENCODER writes it (the C version when there is one)


def _encode(body: object) -> str:
    return _ENCODER.encode(body)


_HEADLINES: dict[tuple[str, str], str] = {}


def _headline_json(status: str, lang: str) -> str:
    found = _HEADLINES.get((status, lang))
    if found is None:
        found = _HEADLINES[status, lang] = _string(tr(lang, f"query.status.{status}"))
    return found


_UNREAD = object()


class CodeRows:
    """A code's row as the ledger has it now: read for each query, unless nothing was committed since it was read.

    Rows are read by the ledger's ``code_row_reader`` (on SQLite straight from its own read-only connection, as
    plain tuples). With a ``LedgerWatch`` (the ledger's ``commit_watch``, SQLite only) the rows read are kept while
    the WAL-index header shows no commit but the query store's own (``station.ledger.changes``): any other commit
    (a recall, a void, a binding, a new order) empties them. Without one every query reads the row.
    """

    def __init__(self, ledger: Ledger, watch: LedgerWatch | None = None, keep: int = 100_000) -> None:
        self._read = ledger.code_row_reader()
        self._watch = watch
        self._keep = keep
        self._rows: dict[int, CodeRow | None] = {}
        self._mark: bytes | None = None  # every kept row is the ledger's row as of this header
        # goes up whenever the ledger may have changed since the last call (rows dropped, or a row read while the
        # header could not tell): what was read of the ledger at an earlier generation may be stale
        self.generation = 0

    def __call__(self, serial: int) -> CodeRow | None:
        watch = self._watch
        if watch is None:
            return self._read(serial)
        mark = watch.mark()  # before the read: a row read now is at least as new as this mark
        if mark is None:  # a commit is rewriting the header: the next whole header decides about the rows
            self.generation += 1
            return self._read(serial)
        if mark != self._mark:
            if self._mark is not None and watch.same_data(self._mark, mark):
                self._mark = mark  # nothing was committed since but the store's own
            elif self._mark is not None and watch.in_flight == self._mark:
                self.generation += 1
                return self._read(serial)  # probably the store's own commit, not yet reported: keep the rows
            else:
                self._rows.clear()
                self._mark = mark
                self.generation += 1
        row = self._rows.get(serial, _UNREAD)
        if row is _UNREAD:
            row = self._read(serial)
            if len(self._rows) >= self._keep:
                self._rows.clear()
            self._rows[serial] = row
        return row  # type: ignore[return-value]


class LocalDay:
    """The date of a time on the station's clock, worked out again only when the time leaves the day found last."""

    def __init__(self, zone_name: str = DEFAULT_ZONE) -> None:
        self._start = self._end = 0.0
        self._day = ""
        self._zone = zone(zone_name)

    def of(self, at: datetime) -> str:
        """The local date of ``at`` (an aware time) as YYYY-MM-DD."""
        seconds = at.timestamp()
        if not self._start <= seconds < self._end:
            day = at.astimezone(self._zone).date()
            self._day = day.isoformat()
            # the zone's own midnights, so a day that gains or loses an hour ends when it really does
            self._start = datetime.combine(day, datetime.min.time(), tzinfo=self._zone).timestamp()
            self._end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=self._zone).timestamp()
        return self._day


def hint_checks(digits: str) -> int:
    """How many MACs ``typo_candidates`` checks for a code that fails its check digit: the near codes that pass the
    check digit. Of the nine other digits at a position exactly one does (the Damm check is a bijection of each
    digit, and the digit there now fails), so 20 single-digit changes; and each swap of two unequal neighbours
    that passes."""
    swaps = sum(
        1
        for i in range(len(digits) - 1)
        if digits[i] != digits[i + 1] and check_digit_ok(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
    )
    return len(digits) + swaps


class Answerer:
    """Turns a queried code into an Answer: checks it offline, reads the ledger, counts the query."""

    def __init__(
        self,
        key: CodeKey,
        ledger: Ledger,
        counters: Counters,
        warn_after: int,
        watch: LedgerWatch | None = None,
        ledger_version: Callable[[], object] | None = None,
        zone_name: str = DEFAULT_ZONE,
    ) -> None:
        """``watch`` (SQLite) or else ``ledger_version`` (a read of the ledger's audit-chain head) tells when the
        facts behind the pages must be read again; with neither they are read again after FACTS_TTL_S."""
        self.key = key
        self.ledger = ledger
        self.counters = counters
        self.warn_after = warn_after
        self.serials = Codec(key)
        # what the offline checks made of the codes queried lately (their serial, None for a failed MAC): a code is
        # scanned again and again, and what its digits say never changes for one key
        self._checked: dict[str, int | None] = {}
        self._code_row = CodeRows(ledger, watch)
        self._watched = watch is not None
        self._ledger_version = ledger_version
        self._facts: dict[tuple[int, int | None], Facts] = {}
        self._day = LocalDay(zone_name)
        self.zone = zone_name  # [station] timezone: the clock of the times on the pages

    def answer(
        self, text: str, network: str, at: datetime, count: bool = True, link: tuple[str, str | None] | None = None
    ) -> Answer:
        """The answer for ``text`` asked from ``network``; ``count`` records the query, ``link`` is the (GTIN,
        lot) of a GS1 Digital Link URL, compared with the code's own."""
        answer = self._check(text)
        answer.zone = self.zone
        if answer.status == "genuine":
            self._read(answer, link)
        if answer.serial is not None and answer.status != "unknown":
            if count:
                answer.queries, _ = self.counters.count(answer.serial, network, at)
            else:
                answer.queries = self.counters.peek(answer.serial)
            self._judge(answer)
        if count:
            self.counters.tally(self._day.of(at), answer.status)
        return answer

    def _check(self, text: str) -> Answer:
        """Offline: characters, length, check digit (with the typo hint), MAC. Never reads the ledger for a code
        that fails."""
        if len(text) == CODE_DIGITS and text.isascii() and text.isdigit():
            digits = text  # as a QR code carries it: nothing to strip
            found = self._checked.get(digits, _NOT_CHECKED)
            if found != _NOT_CHECKED:
                return Answer("forged", digits) if found is None else Answer("genuine", digits, serial=found)
        else:
            try:
                digits = normalise(text)
            except CodeError as err:
                return Answer("malformed", text.strip()[:40], reason=(err.key, err.params), checks=0)
        if len(digits) != CODE_DIGITS:
            return Answer("malformed", digits[:40], reason=("code.bad_length", {"n": len(digits)}), checks=0)
        if not check_digit_ok(digits):
            candidates = typo_candidates(self.key, digits, self._issued)
            hint = (candidates[0][0], candidates[0][1]) if len(candidates) == 1 else None
            return Answer("check_digit", digits, hint=hint, checks=hint_checks(digits))
        serial = self.serials.serial(digits)
        if len(self._checked) >= CHECKED_KEPT:
            self._checked.clear()
        self._checked[digits] = serial
        if serial is None:
            return Answer("forged", digits)
        return Answer("genuine", digits, serial=serial)

    def _issued(self, serial: int) -> bool:
        return self._code_row(serial) is not None

    def _read(self, answer: Answer, link: tuple[str, str | None] | None) -> None:
        """The code's row (always fresh), its order's and lot's facts (cached briefly); sets the status for
        unknown codes and the warnings that come from the ledger."""
        assert answer.serial is not None
        row = self._code_row(answer.serial)
        if row is None:
            answer.status = "unknown"
            return
        order_id, state, lot_id = row
        # asked after the row is read: facts read at this version are at least as new as the row
        if self._watched:
            version: object = self._code_row.generation
        else:
            version = self._ledger_version() if self._ledger_version is not None else None
        facts = self.facts(order_id, lot_id, version)
        answer.facts = facts
        warnings = answer.warnings  # in SEVERITY's order
        if state == State.VOIDED:
            from station.voids import void_note

            warnings.append("voided")
            answer.void = void_note(self.ledger, answer.serial, order_id)
        if state == State.RECALLED or (facts.lot is not None and facts.lot["recalled"]):
            warnings.append("recalled")
        if facts.producer["blacklisted"]:
            warnings.append("blacklisted")
        if state in _UNDISTRIBUTED:
            warnings.append("undistributed")
        if link is not None:  # the label's URL carries the GTIN and lot the order was issued with
            answer.link_mismatch = link != facts.link

    def facts(self, order_id: int, lot_id: int | None, version: object = None) -> Facts:
        """Producer, product and lot of an order (and lot): the ones read at the ledger's ``version`` (asked just
        before), or with no version, read again once they are FACTS_TTL_S old."""
        now = time.monotonic()
        key = (order_id, lot_id)
        found = self._facts.get(key)
        if found is not None and (
            found.version == version if version is not None else now - found.read_at < FACTS_TTL_S
        ):
            return found
        ledger = self.ledger
        order = ledger.order(order_id)
        enterprise = ledger.enterprise(order["enterprise_id"])
        product = ledger.product(order["product_id"])
        lot = None
        if lot_id is not None:
            row: dict[str, Any] = dict(ledger.lot(lot_id))
            lot = {name: row[name] for name in _LOT_FIELDS}
            lot["released"], lot["recalled"] = bool(row["released"]), bool(row["recalled"])
            lot["best_before"] = best_before(row["production_date"], product["shelf_life_days"])
        facts = Facts(
            producer={
                "name": enterprise["name"],
                "credit_code": enterprise["credit_code"],
                "blacklisted": bool(enterprise["blacklisted"]),
                "blacklist_reason": enterprise["blacklist_reason"] if enterprise["blacklisted"] else None,
            },
            product={
                "name": product["name"],
                "origin_code": product["origin_code"],
                "origin_place": full_place_name(product["origin_code"]),
                "certifications": product["certifications"],
                "shelf_life_days": product["shelf_life_days"],
                "gtin": product["gtin"],
            },
            lot=lot,
            link=((order["gtin"] or "").zfill(14), order["lot"]),
            read_at=now,
            version=version,
        )
        if found is not None and (found.producer, found.product, found.lot, found.link) == (
            facts.producer,
            facts.product,
            facts.lot,
            facts.link,
        ):
            # read again and the same (the ledger changed elsewhere, or only its query tables did): the one read
            # before stays, with its cards, its JSON and the pages kept for it
            found.read_at, found.version = now, version
            return found
        if len(self._facts) >= 10_000:
            self._facts.clear()
        self._facts[key] = facts
        return facts

    def _judge(self, answer: Answer) -> None:
        """Fold the counter into the warnings and choose the status."""
        queries = answer.queries
        if queries is not None and queries.queries > self.warn_after:
            answer.warnings.append("repeated")  # the least serious of SEVERITY: the order stays
        answer.anomaly = queries is not None and queries.anomalies > 0
        if answer.anomaly:
            answer.warnings.append("anomaly")
        if answer.link_mismatch:
            answer.warnings.append("link")
        serious = [w for w in answer.warnings if w in SEVERITY]
        answer.status = serious[0] if serious else "genuine"
