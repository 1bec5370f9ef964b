"""Hidden-code (暗码) entries on the query service: the form under a genuine code's page, the JSON API, the limits.

Routes::

    POST /hidden                                 the form on a code's page (code=…, hidden=…, lang=…)
    POST /api/v1/codes/{code}/hidden             JSON {"hidden": "12345678"}

The code is checked offline first (as every query is), then its row: only a code handed to its producer (and not
voided or recalled) whose order prints hidden codes takes an entry. A right entry is recorded at once with its time
and the client's /24 (IPv6 /48) network, never the address: the first answers 首次验证，正品, every later one says
when the first was and how many came before. A wrong entry is counted against the code (``[query]
hidden_wrong_per_day`` a day, a token bucket per code) and against the client (``hidden_client_per_hour``, per
address or IPv6 /64, which every entry pays); `station stats` lists codes with ``hidden_flag_after`` wrong
entries as under guessing. The query host holds ``hidden.key`` to check entries (docs/code-format.md says why
and what that exposes).

====================  ====  ==========================================================
status                HTTP  when
====================  ====  ==========================================================
first                 200   the first right entry of this code's hidden code
again                 200   right, and entered right before (``first_at``, ``before``)
wrong                 422   not this code's hidden code (counted)
malformed             400   not 8 digits (not counted against the code)
none                  404   not a code of ours that is handed over and carries a hidden code
rate_limited          429   the code's or the client's entries are used up for now
unavailable           503   no key on this host, or the ledger cannot be written
====================  ====  ==========================================================
"""

from __future__ import annotations

import json
import re
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from station.codes import CODE_DIGITS, group, normalise, parse_code
from station.errors import StationError
from station.hidden import HIDDEN_DIGITS, HiddenKey, hidden_code, hidden_key
from station.ledger import State
from station.ledger.query_hidden import HiddenStore
from station.query import net
from station.query.counters import stamp
from station.query.ratelimit import TokenBuckets
from station.texts import tr
from station.zones import shown_time

if TYPE_CHECKING:
    from station.query.answer import Answer
    from station.query.app import Service

HIDDEN_URL = "/hidden"
HTTP = {
    "first": 200,
    "again": 200,
    "wrong": 422,
    "malformed": 400,
    "none": 404,
    "rate_limited": 429,
    "unavailable": 503,
}
_TAKES_ENTRIES = (State.DISTRIBUTED, State.BOUND)
_CODE_STANDIN = (
    "00000000000000000000"  # where the code goes in the form rendered once per language (digits: no escaping)
)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u3000]")


@dataclass(frozen=True)
class HiddenAnswer:
    """What one hidden-code entry is told."""

    status: str
    message: str
    first_at: str | None = None  # UTC, as stored
    before: int = 0  # right entries before this one
    retry_after: int | None = None

    @property
    def http_status(self) -> int:
        """The HTTP status of this answer."""
        return HTTP[self.status]

    def to_json(self) -> dict[str, Any]:
        """The API's body."""
        body: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.first_at is not None:
            body.update(first_at=self.first_at, before=self.before)
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        return body


class HiddenDesk:
    """The service's hidden-code checks: key, rate limits per code and per client, the hidden orders."""

    def __init__(self, service: Service) -> None:
        self.service = service
        settings = service.home.config.query
        self.per_day = settings.hidden_wrong_per_day
        self.by_code = TokenBuckets(settings.hidden_wrong_per_day / 86400, settings.hidden_wrong_per_day)
        self.by_client = TokenBuckets(settings.hidden_client_per_hour / 3600, settings.hidden_client_per_hour)
        self.key: HiddenKey | None
        try:
            self.key = hidden_key(service.home)
        except StationError:
            self.key = None  # this host cannot check hidden codes: every entry answers "unavailable"
        self._hidden_orders: dict[int, bool] = {}
        self._by_facts: dict[int, tuple[weakref.ref[Any], bool]] = {}  # id(Facts) -> (the Facts, order hidden)
        self._forms: dict[str, tuple[bytes, bytes]] = {}  # the form per language, before and after the code
        self._version: object = None

    def _order_hidden(self, order_id: int) -> bool:
        """Whether an order prints hidden codes, kept while the ledger does not change."""
        version = self.service.store.ledger_version()
        if version != self._version:
            self._hidden_orders.clear()
            self._version = version
        found = self._hidden_orders.get(order_id)
        if found is None:
            ledger: Any = self.service.answerer.ledger
            found = self._hidden_orders[order_id] = bool(ledger.order_hidden(order_id))
        return found

    def takes_entries(self, serial: int | None) -> bool:
        """True when the code of ``serial`` is handed over and its label carries a hidden code."""
        if serial is None or self.key is None:
            return False
        row = self.service.answerer.ledger.code(serial)
        return row is not None and row["state"] in _TAKES_ENTRIES and self._order_hidden(row["order_id"])

    def form(self, answer: Answer, lang: str) -> bytes:
        """The hidden-code form for a genuine code's page, or nothing when its label has no hidden code.

        Asked on every genuine page, so it reads nothing per page: whether the order prints hidden codes is kept
        with the answer's ``Facts`` (one per order and lot, read again whenever the ledger changes), and the form
        is rendered once per language around the code."""
        facts = answer.facts
        if self.key is None or not answer.genuine or facts is None or answer.status == "recalled":
            return b""
        if "recalled" in answer.warnings:
            return b""
        kept = self._by_facts.get(id(facts))
        if kept is None or kept[0]() is not facts:
            if len(self._by_facts) >= 10_000:
                self._by_facts.clear()
            row = self.service.answerer.ledger.code(answer.serial) if answer.serial is not None else None
            hidden = row is not None and self._order_hidden(row["order_id"])
            kept = self._by_facts[id(facts)] = (weakref.ref(facts), hidden)
        if not kept[1]:
            return b""
        head, tail = self._form_parts(lang)
        return head + answer.code.encode() + tail

    def _form_parts(self, lang: str) -> tuple[bytes, bytes]:
        found = self._forms.get(lang)
        if found is None:
            from station.query.pages import render_fragment

            html = render_fragment("hidden_form.html", lang, code=_CODE_STANDIN, hidden_url=HIDDEN_URL)
            head, tail = html.split(_CODE_STANDIN)
            found = self._forms[lang] = (head.encode(), tail.encode())
        return found

    def _answer(self, status: str, lang: str, **params: Any) -> HiddenAnswer:
        keys = {"rate_limited": "hidden.q.limited", "none": "hidden.q.none"}
        key = keys.get(status, f"hidden.q.{status}")
        values = {k: v for k, v in params.items() if k not in ("first_at", "retry_after")}
        return HiddenAnswer(
            status,
            tr(lang, key, **values),
            params.get("first_at"),
            int(params.get("n", 0)),
            params.get("retry_after"),
        )

    async def enter(self, code_text: str, typed: str, lang: str, client: net.Client) -> HiddenAnswer:
        """Check one entry and record it: limits first, then the code, then the digits."""
        now = time.monotonic()
        rate_key = client.rate_key
        if self.by_client.wait(rate_key, now) > 0:
            seconds = self.by_client.retry_after(rate_key, now)
            return self._answer("rate_limited", lang, seconds=seconds, retry_after=seconds)
        self.by_client.charge(rate_key, 1, now)
        if self.key is None:
            return self._answer("unavailable", lang)
        try:
            digits = normalise(code_text)
            serial = parse_code(self.service.answerer.key, digits) if len(digits) == CODE_DIGITS else None
        except StationError:
            serial = None
        try:
            if serial is None or not self.takes_entries(serial):
                return self._answer("none", lang)
        except StationError:
            return self._answer("unavailable", lang)
        entered = _SEPARATORS.sub("", typed)
        if len(entered) != HIDDEN_DIGITS or not entered.isdigit():
            return self._answer("malformed", lang)
        code_key = str(serial)
        if self.by_code.wait(code_key, now) > 0:
            seconds = self.by_code.retry_after(code_key, now)
            return self._answer("rate_limited", lang, seconds=seconds, retry_after=seconds)
        store = cast(HiddenStore, self.service.store)
        at = stamp(datetime.now(UTC))
        right = hidden_code(self.key, digits) == entered  # both public to this host by now: no timing to hide
        try:
            if not right:
                self.by_code.charge(code_key, 1, now)
                await run_in_threadpool(store.hidden_wrong, serial, at)
                return self._answer("wrong", lang, per_day=self.per_day)
            first_at, verified = await run_in_threadpool(store.hidden_right, serial, at, client.network_key)
        except StationError:
            return self._answer("unavailable", lang)
        if verified == 1:
            return self._answer("first", lang, first_at=first_at)
        shown = shown_time(first_at, self.service.home.config.station.timezone)[:10]
        return self._answer("again", lang, date=shown, n=verified - 1, first_at=first_at)


# --- handlers -------------------------------------------------------------------------------------------------


def _desk(request: Request) -> HiddenDesk:
    service: Service = request.app.state.service
    return service.hidden


async def hidden_form(request: Request) -> Response:
    """An entry sent from the form on a code's page: answered with a page saying one thing."""
    from station.query.app import _client, _form, _lang, _response

    form = await _form(request)
    lang = _lang(request, form)
    answer = await _desk(request).enter(form.get("code", ""), form.get("hidden", ""), lang, _client(request))
    tone = {"first": "ok", "again": "warn"}.get(answer.status, "bad")
    service: Service = request.app.state.service
    extra = {"Retry-After": str(answer.retry_after)} if answer.retry_after is not None else {}
    status, headers, body = service.message(lang, answer.http_status, answer.message, tone, **extra)
    code = form.get("code", "")
    if answer.status in ("first", "again") and code.isdigit():
        body = body.replace(b"</h2>", b'</h2>\n<p class="code">' + escape(group(code)).encode() + b"</p>", 1)
        headers = [(k, b"%d" % len(body)) if k == b"content-length" else (k, v) for k, v in headers]
    return _response((status, headers, body))


async def api_hidden(request: Request) -> Response:
    """An entry sent as JSON {"hidden": "…"} for the code in the path."""
    from station.query.app import _body, _client, _json, _lang, _response

    try:
        body = json.loads(await _body(request))
    except (ValueError, RecursionError):
        body = None
    typed = body.get("hidden") if isinstance(body, dict) else None
    lang = _lang(request)
    answer = await _desk(request).enter(
        request.path_params["code"], typed if isinstance(typed, str) else "", lang, _client(request)
    )
    return _response(_json(answer.to_json(), answer.http_status, answer.retry_after))
