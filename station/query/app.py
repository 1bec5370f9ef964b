"""The consumer query service as an ASGI app: the pages the labels' QR codes open, and a JSON API.

Routes (``P`` is the path of ``[codes] base_url``, ``/c`` by default)::

    GET  P/{code}                              the code's page (what a QR code opens)
    GET  P/01/{gtin}[/10/{lot}]/21/{code}      the same, from a GS1 Digital Link label
    GET  /            a form to type a code;   GET /?code=…  or  POST /  (code=…) answer it
    POST /report      a consumer report from the form on a code's page
    GET  /api/v1/codes/{code}                  the code's answer as JSON
    POST /api/v1/reports                       a report as JSON {code, kind, text, contact}

The routes are Starlette's. What nearly every request is, a GET (or HEAD) of ``P/{code}`` or
``/api/v1/codes/{code}``, is answered by ``QueryApp`` in front of Starlette without its request, routing and
response objects: the same matching rules, the same answer (``Service.respond``, which the Starlette handlers
call too), the same headers.

Every handler runs in the event loop's thread: the ledger reads are primary-key lookups on a local SQLite file
(tens of microseconds), counters are counted in memory and written by a background thread, and only a report
(a real write) goes to a worker thread.
"""

from __future__ import annotations

import json
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from station import places
from station.certificates import is_certificate_number
from station.codes import normalise, parse_code
from station.errors import CodeError, StationError
from station.home import Home
from station.ledger import open_store
from station.ledger.query_store import REPORT_KINDS, QueryStore, Report
from station.query import net, pages
from station.query.answer import Answerer
from station.query.certificate_page import certificate_reply
from station.query.counters import Counters, stamp
from station.query.guard import Limits
from station.query.pages import CONTACT_MAX, TEXT_MAX, other_lang_url
from station.query.ratelimit import TokenBuckets
from station.texts import tr

BODY_MAX = 16 * 1024
HEADERS = {
    # the pages need nothing but themselves and their inline style
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # every visit must reach the service to be counted
}
_HEADERS = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()]
HTML = b"text/html; charset=utf-8"
JSON = b"application/json"

# An answer as it goes on the wire: HTTP status, headers, body.
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _reply(status: int, body: bytes, content_type: bytes, extra: dict[str, str] | None = None) -> Reply:
    """Every response's headers (as Starlette orders them: ours, then length and type), then ``extra``."""
    headers = [*_HEADERS, (b"content-length", b"%d" % len(body)), (b"content-type", content_type)]
    if extra:
        headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in extra.items()]
    return status, headers, body


def _response(reply: Reply) -> Response:
    """A reply as a Starlette response, for the handlers behind Starlette's routing."""
    status, headers, body = reply
    response = Response(body, status_code=status)
    response.raw_headers = headers
    return response


class Service:
    """The running service: data directory, read-only ledger, query store, counters and rate limits."""

    def __init__(self, home_path: Path, config_file: Path | None = None, workers: int = 1) -> None:
        """``workers``: how many processes serve this ledger from this host (``station serve --workers``); each
        keeps 1/``workers`` of every rate limit, so that together they allow what the settings say."""
        self.home = Home.open(home_path, config_file)
        settings = self.home.config.query
        ledger = self.home.ledger  # opened (and migrated) as the station opens it, then locked to reads
        ledger.lock_read_only()
        # the rows of codes are kept while the ledger shows no commit but the store's own (SQLite only)
        self.watch = ledger.commit_watch()
        self.store: QueryStore = open_store(self.home.ledger_url, self.home.config.ledger.busy_timeout_s, self.watch)
        # other processes may count on this ledger too (workers, other hosts, another `station serve`): kept
        # counters are read again now and then (station.query.counters)
        self.counters = Counters(
            self.store, settings.anomaly_window_min * 60, settings.flush_interval_s, settings.flush_max, shared=True
        )
        self.answerer = Answerer(
            self.home.key,
            ledger,
            self.counters,
            settings.warn_after,
            self.watch,
            self.store.ledger_version,
            self.home.config.station.timezone,
        )
        self.proxies = net.parse_proxies(settings.trusted_proxies)
        share = 1 / max(1, workers)  # the buckets live in each worker's memory: each gets its share
        self.lookups = TokenBuckets(settings.rate_per_min / 60 * share, settings.rate_burst * share)
        self.network_lookups = TokenBuckets(settings.network_rate_per_min / 60 * share, settings.network_burst * share)
        # the code a typo's hint offered each client last: following the hint is never refused (it reveals nothing
        # the hint did not, and the hint was paid for)
        self.offered: OrderedDict[str, str] = OrderedDict()
        self.reports = TokenBuckets(settings.reports_per_hour / 3600 * share, settings.reports_per_hour * share)
        self.failed_cost = settings.failed_cost
        self.prefix = urlsplit(self.home.config.codes.base_url).path.rstrip("/")
        self._clients: dict[tuple[str | None, str | None], net.Client] = {}
        from station.query.hidden import HiddenDesk

        self.hidden = HiddenDesk(self)

    def start(self) -> None:
        """Start writing counters in the background."""
        self.counters.start()

    def close(self) -> None:
        """Write the last counters and close everything."""
        self.counters.close()
        self.store.close()
        if self.watch is not None:
            self.watch.close()
        self.home.close()

    def client(self, peer: str | None, forwarded_for: str | None) -> net.Client:
        """Who sent a request (X-Forwarded-For only from a trusted proxy); the same peer and header give the
        same client, so the last few thousand are remembered rather than parsed again."""
        key = (peer, forwarded_for)
        found = self._clients.get(key)
        if found is None:
            if len(self._clients) >= 4096:
                self._clients.clear()
            found = self._clients[key] = net.client(peer, forwarded_for, self.proxies)
        return found

    def respond(
        self,
        text: str,
        lang: str,
        as_json: bool,
        client: net.Client,
        count: bool = True,
        link: tuple[str, str | None] | None = None,
    ) -> Reply:
        """Answer one queried code: rate limit, check, look up, count (unless ``count`` is false, for HEAD),
        render as the code's page or as JSON."""
        now = time.monotonic()
        rate_key, network_key = client.rate_key, client.network_key
        # read once: nothing else runs until this request is charged (the handler never awaits)
        tokens = self.lookups.level(rate_key, now)
        network_tokens = self.network_lookups.level(network_key, now)
        if (tokens < 1 or network_tokens < 1) and self.offered.get(rate_key) != text:
            seconds = max(self.lookups.retry_after(rate_key, now), self.network_lookups.retry_after(network_key, now))
            return self.limited(lang, as_json, seconds)
        # a 承诺达标合格证's number (HG and digits, never a digit first): its own page
        if not text[:1].isdigit() and is_certificate_number(text):
            reply = certificate_reply(self, text, lang, as_json)
            cost = 1.0 if reply[0] == 200 else self.failed_cost  # a miss costs as a failed code
            self.lookups.settle(rate_key, tokens - cost, now)
            self.network_lookups.settle(network_key, network_tokens - cost, now)
            return reply
        try:
            answer = self.answerer.answer(text, client.network, datetime.now(UTC), count=count, link=link)
        except StationError as err:  # the ledger itself failed: say so, and count nothing
            return self.unavailable(lang, as_json, err)
        cost = answer.cost(self.failed_cost)
        self.lookups.settle(rate_key, tokens - cost, now)
        self.network_lookups.settle(network_key, network_tokens - cost, now)
        if answer.hint is not None:
            self.offered[rate_key] = answer.hint[0]
            self.offered.move_to_end(rate_key)
            if len(self.offered) > 10_000:
                self.offered.popitem(last=False)
        elif rate_key in self.offered:
            del self.offered[rate_key]
        if as_json:
            return _reply(answer.http_status, answer.json(lang), JSON)
        extra = self.hidden.form(answer, lang) if answer.genuine else b""
        return _reply(answer.http_status, pages.code_page(answer, lang, self.prefix, extra), HTML)

    def message(self, lang: str, status: int, message: str, tone: str, **headers: str) -> Reply:
        """A page saying one thing."""
        html = pages.render("message.html", lang, self.prefix, other_lang_url(lang, "/"), message=message, tone=tone)
        return _reply(status, html.encode(), HTML, headers)

    def limited(self, lang: str, as_json: bool, seconds: int) -> Reply:
        """The client's bucket is empty: come back in ``seconds``."""
        message = tr(lang, "query.limited", seconds=seconds)
        if as_json:
            return _json({"status": "rate_limited", "message": message, "retry_after": seconds}, 429, seconds)
        return self.message(lang, 429, message, "warn", **{"Retry-After": str(seconds)})

    def unavailable(self, lang: str, as_json: bool, err: StationError) -> Reply:
        """The ledger cannot be read."""
        if as_json:
            return _json({"status": "unavailable", "message": err.message}, 503)
        return self.message(lang, 503, err.message, "bad")


def _json(body: dict[str, Any], status: int, retry_after: int | None = None) -> Reply:
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    extra = None if retry_after is None else {"Retry-After": str(retry_after)}
    return _reply(status, text.encode(), JSON, extra)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _client(request: Request) -> net.Client:
    return _service(request).client(
        request.client.host if request.client else None, request.headers.get("x-forwarded-for")
    )


def _lang(request: Request, form: dict[str, str] | None = None) -> str:
    lang = (form or {}).get("lang") or request.query_params.get("lang")
    return "en" if lang == "en" else "zh"


def _page(request: Request, template: str, status: int, lang: str, other_url: str, **values: Any) -> Response:
    html = pages.render(template, lang, _service(request).prefix, other_url, **values)
    return _response(_reply(status, html.encode(), HTML))


async def _answer(
    request: Request, text: str, lang: str, as_json: bool, link: tuple[str, str | None] | None = None
) -> Response:
    """Answer one queried code that came through Starlette's routing."""
    service = _service(request)
    count = request.method != "HEAD"
    return _response(service.respond(text, lang, as_json, _client(request), count=count, link=link))


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > BODY_MAX):
        raise HTTPException(413)
    body = b""
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > BODY_MAX:
                raise HTTPException(413)
    except ClientDisconnect as err:  # gone (or cut off by the body timeout): nobody reads the answer
        raise HTTPException(400) from err
    return body


async def _form(request: Request) -> dict[str, str]:
    try:
        pairs = parse_qsl((await _body(request)).decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
    except ValueError as err:
        raise HTTPException(400) from err
    return dict(pairs)


# --- handlers ------------------------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    """The form to type a code; with a code (query string or form) its answer."""
    form = await _form(request) if request.method == "POST" else {}
    lang = _lang(request, form)
    text = form.get("code") if request.method == "POST" else request.query_params.get("code")
    if text is not None:
        return await _answer(request, text, lang, as_json=False)
    return _page(request, "form.html", 200, lang, other_lang_url(lang, "/"), message=None)


async def code_page(request: Request) -> Response:
    """A code's page: ``P/{code}``."""
    return await _answer(request, request.path_params["code"], _lang(request), as_json=False)


async def digital_link(request: Request) -> Response:
    """A code's page from a GS1 Digital Link URL: ``P/01/{gtin}[/10/{lot}]/21/{code}``."""
    gtin = request.path_params["gtin"]
    link = (gtin.zfill(14), request.path_params.get("lot"))
    return await _answer(request, request.path_params["code"], _lang(request), as_json=False, link=link)


async def api_code(request: Request) -> Response:
    """A code's answer as JSON."""
    return await _answer(request, request.path_params["code"], _lang(request), as_json=True)


async def report_form(request: Request) -> Response:
    """A report sent from the form on a code's page."""
    form = await _form(request)
    return await _report(request, form, _lang(request, form), as_json=False)


async def api_report(request: Request) -> Response:
    """A report sent as JSON: {"code", "kind", "text", "contact"}."""
    try:
        body = json.loads(await _body(request))
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes: no report in it
        body = None
    if not isinstance(body, dict):
        body = {}
    form = {k: v for k, v in body.items() if isinstance(v, str)}
    return await _report(request, form, _lang(request, form), as_json=True)


def _valid_report(kind: str, text: str, contact: str, code: str) -> bool:
    """A kind we know, a text and a code, within their lengths, and nothing that is not Unicode text (a lone
    surrogate, which JSON's ``\\ud800`` can carry, can be neither stored nor shown)."""
    return (
        kind in REPORT_KINDS
        and 0 < len(text) <= TEXT_MAX
        and len(contact) <= CONTACT_MAX
        and 0 < len(code)
        and not any(_SURROGATE.search(value) for value in (text, contact, code))
    )


_SURROGATE = re.compile(r"[\ud800-\udfff]")


async def _report(request: Request, form: dict[str, str], lang: str, as_json: bool) -> Response:
    """Check a report, then charge it to the client and store it: a refused report costs the client nothing."""
    service = _service(request)
    client = _client(request)
    kind, text, contact = form.get("kind", ""), form.get("text", "").strip(), form.get("contact", "").strip()
    code = form.get("code", "").strip()
    if not _valid_report(kind, text, contact, code):
        message = tr(lang, "query.report.bad", text=TEXT_MAX, contact=CONTACT_MAX)
        if as_json:
            return _response(_json({"status": "invalid", "message": message}, 400))
        return _response(service.message(lang, 400, message, "bad"))
    now = time.monotonic()
    if service.reports.wait(client.rate_key, now) > 0:
        return _response(service.limited(lang, as_json, service.reports.retry_after(client.rate_key, now)))
    service.reports.charge(client.rate_key, 1, now)  # before the write, so that reports sent at once all count
    digits, serial = _report_code(service, code)
    report = Report(stamp(datetime.now(UTC)), digits, serial, kind, text, contact, client.network)
    try:
        report_id = await run_in_threadpool(service.store.add_report, report)
    except StationError as err:
        service.reports.charge(client.rate_key, -1, time.monotonic())  # not stored: given back
        return _response(service.unavailable(lang, as_json, err))
    message = tr(lang, "query.report.done", id=report_id)
    if as_json:
        return _response(_json({"status": "received", "id": report_id, "message": message}, 201))
    return _response(service.message(lang, 201, message, "ok"))


def _report_code(service: Service, text: str) -> tuple[str, int | None]:
    """The reported code as digits (or as typed, cut short) and its serial when the ledger has it."""
    try:
        digits = normalise(text)
    except CodeError:
        return text[:40], None
    try:
        serial = parse_code(service.answerer.key, digits)  # offline first: a forged code is not looked up
    except CodeError:
        return digits[:40], None
    return digits, serial if service.answerer.ledger.code(serial) is not None else None


async def robots(_request: Request) -> Response:
    """Keep search engines out: every visit counts as a query."""
    return PlainTextResponse("User-agent: *\nDisallow: /\n")


async def not_found(request: Request, exc: Exception) -> Response:
    """Our own 404 and 413 pages, in the page's style."""
    lang = _lang(request)
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if request.url.path.startswith("/api/"):
        return _response(_json({"status": "error", "message": str(getattr(exc, "detail", ""))}, status))
    key = "query.too_large" if status == 413 else "query.not_found"
    return _response(_service(request).message(lang, status, tr(lang, key), "bad"))


class QueryApp:
    """The ASGI app: a GET or HEAD of a code's page or JSON answered here, everything else by Starlette.

    A request is taken here only when Starlette's routing would send it to ``code_page`` or ``api_code``: the
    path is ``P/`` or ``/api/v1/codes/`` and one more segment (``[^/]+``, as Starlette's ``{code}``), the method
    GET or HEAD, no ``root_path``. What it gets is what those handlers give: ``Service.respond``.
    """

    def __init__(self, app: Starlette, code_path: str) -> None:
        self.app = app
        self.service: Service | None = None  # set while the server runs (the lifespan)
        self.limits = Limits()  # what one connection may send (station.query.server runs the app held to them)
        self._page = code_path + "/"
        self._api = "/api/v1/codes/"
        # with codes served at the root, /robots.txt is routed before /{code}
        self._taken = frozenset({"/robots.txt"}) if not code_path else frozenset()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self.service
        if (
            service is not None
            and scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not scope.get("root_path")
        ):
            path: str = scope["path"]
            as_json = path.startswith(self._api)
            code = path[len(self._api if as_json else self._page) :]
            if (as_json or path.startswith(self._page)) and code and "/" not in code and path not in self._taken:
                await self._respond(service, scope, send, code, as_json)
                return
        await self.app(scope, receive, send)

    async def _respond(self, service: Service, scope: Scope, send: Send, code: str, as_json: bool) -> None:
        query = scope.get("query_string")
        lang = "en" if query and QueryParams(query).get("lang") == "en" else "zh"
        forwarded_for = None
        if service.proxies:  # without a trusted proxy the header is never believed: no need to look for it
            for name, value in scope["headers"]:
                if name == b"x-forwarded-for":
                    forwarded_for = value.decode("latin-1")
                    break
        peer = scope.get("client")
        client = service.client(peer[0] if peer else None, forwarded_for)
        status, headers, body = service.respond(code, lang, as_json, client, count=scope["method"] != "HEAD")
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(home_path: Path, config_file: Path | None = None, warm: bool = False, workers: int = 1) -> QueryApp:
    """The query service for the data directory at ``home_path``; it opens its ledger when the server starts.
    ``warm`` computes the permutation's table then (``Codec.fill``, 0.3 s) and reads the division data, not query by
    query; ``workers`` is how many processes serve the ledger from this host (``Service``)."""
    config = Home.open(home_path, config_file).config
    prefix = urlsplit(config.codes.base_url).path.rstrip("/")
    code_path = quote(prefix)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service = Service(home_path, config_file, workers)
        if warm:
            service.answerer.serials.fill()
            places.warm()  # the division data behind origin places, read before the first query
        service.start()
        app.state.service = query_app.service = service
        try:
            yield
        finally:
            query_app.service = None
            service.close()

    from station.query import hidden

    routes = [
        Route("/", index, methods=["GET", "POST"]),
        Route(hidden.HIDDEN_URL, hidden.hidden_form, methods=["POST"]),
        Route("/api/v1/codes/{code}/hidden", hidden.api_hidden, methods=["POST"]),
        Route("/robots.txt", robots),
        Route("/report", report_form, methods=["POST"]),
        Route("/api/v1/codes/{code}", api_code),
        Route("/api/v1/reports", api_report, methods=["POST"]),
        Route(code_path + "/01/{gtin}/10/{lot:path}/21/{code}", digital_link),
        Route(code_path + "/01/{gtin}/21/{code}", digital_link),
        Route(code_path + "/{code}", code_page),
    ]
    starlette = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 413: not_found})
    query_app = QueryApp(starlette, code_path)
    query_app.limits = Limits.of(config.query)
    return query_app
