"""The consumer query service as an ASGI app (Starlette): the pages the labels' QR codes open, and a JSON API.

Routes (``P`` is the path of ``[codes] base_url``, ``/c`` by default)::

    GET  P/{code}                              the code's page (what a QR code opens)
    GET  P/01/{gtin}[/10/{lot}]/21/{code}      the same, from a GS1 Digital Link label
    GET  /            a form to type a code;   GET /?code=…  or  POST /  (code=…) answer it
    POST /report      a consumer report from the form on a code's page
    GET  /api/v1/codes/{code}                  the code's answer as JSON
    POST /api/v1/reports                       a report as JSON {code, kind, text, contact}

Every handler runs in the event loop's thread: the ledger reads are primary-key lookups on a local SQLite file
(tens of microseconds), counters are counted in memory and written by a background thread, and only a report
(a real write) goes to a worker thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from station.codes import CODE_DIGITS, group, normalise, parse_code
from station.errors import CodeError, StationError
from station.home import Home
from station.query import net
from station.query.answer import Answer, Answerer, texts, tr
from station.query.counters import Counters, stamp
from station.query.ratelimit import TokenBuckets
from station.query.store import REPORT_KINDS, QueryStore, Report, lock_read_only, open_store

TEXT_MAX = 1000
CONTACT_MAX = 100
BODY_MAX = 16 * 1024
HEADERS = {
    # the pages need nothing but themselves and their inline style
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # every visit must reach the service to be counted
}
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,  # templates ship with the code: no stat() of the file on every page
)


class Service:
    """The running service: data directory, read-only ledger, query store, counters and rate limits."""

    def __init__(self, home_path: Path, config_file: Path | None = None) -> None:
        self.home = Home.open(home_path, config_file)
        settings = self.home.config.query
        ledger = self.home.ledger  # opened (and migrated) as the station opens it, then locked to reads
        lock_read_only(ledger)
        self.store: QueryStore = open_store(self.home.ledger_url, self.home.config.ledger.busy_timeout_s)
        self.counters = Counters(
            self.store, settings.anomaly_window_min * 60, settings.flush_interval_s, settings.flush_max
        )
        self.answerer = Answerer(self.home.key, ledger, self.counters, settings.warn_after)
        self.proxies = net.parse_proxies(settings.trusted_proxies)
        self.lookups = TokenBuckets(settings.rate_per_min / 60, settings.rate_burst)
        self.reports = TokenBuckets(settings.reports_per_hour / 3600, settings.reports_per_hour)
        self.failed_cost = settings.failed_cost
        self.prefix = urlsplit(self.home.config.codes.base_url).path.rstrip("/")
        self._clients: dict[tuple[str | None, str | None], net.Client] = {}

    def start(self) -> None:
        """Start writing counters in the background."""
        self.counters.start()

    def close(self) -> None:
        """Write the last counters and close everything."""
        self.counters.close()
        self.store.close()
        self.home.close()

    def client(self, request: Request) -> net.Client:
        """Who sent this request (X-Forwarded-For only from a trusted proxy); the same peer and header give the
        same client, so the last few thousand are remembered rather than parsed again."""
        peer = request.client.host if request.client else None
        key = (peer, request.headers.get("x-forwarded-for"))
        found = self._clients.get(key)
        if found is None:
            if len(self._clients) >= 4096:
                self._clients.clear()
            found = self._clients[key] = net.client(key[0], key[1], self.proxies)
        return found


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _lang(request: Request, form: dict[str, str] | None = None) -> str:
    lang = (form or {}).get("lang") or request.query_params.get("lang")
    return "en" if lang == "en" else "zh"


def _suffix(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _page(request: Request, template: str, status: int, lang: str, other_lang_url: str, **values: Any) -> Response:
    service = _service(request)
    html = _TEMPLATES.get_template(template).render(
        lang=lang,
        T=texts(lang),
        tr=lambda key, **params: tr(lang, key, **params),
        group=group,
        root=f"/{_suffix(lang)}",
        root_url=f"/{_suffix(lang)}",
        code_url=lambda code: f"{service.prefix}/{code}{_suffix(lang)}",
        other_lang_url=other_lang_url,
        **values,
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _other(lang: str, path: str) -> str:
    return path + ("" if lang == "en" else "?lang=en")


def _message(request: Request, lang: str, status: int, message: str, tone: str, **headers: str) -> Response:
    response = _page(request, "message.html", status, lang, _other(lang, "/"), message=message, tone=tone)
    response.headers.update(headers)
    return response


def _json(body: dict[str, Any], status: int, **headers: str) -> Response:
    return JSONResponse(body, status_code=status, headers={**HEADERS, **headers})


def _limited(request: Request, lang: str, as_json: bool, seconds: int) -> Response:
    message = tr(lang, "query.limited", seconds=seconds)
    if as_json:
        return _json(
            {"status": "rate_limited", "message": message, "retry_after": seconds}, 429, **{"Retry-After": str(seconds)}
        )
    return _message(request, lang, 429, message, "warn", **{"Retry-After": str(seconds)})


async def _answer(
    request: Request, text: str, lang: str, as_json: bool, link: tuple[str, str | None] | None = None
) -> Response:
    """Answer one queried code: rate limit, check, look up, count, render."""
    service = _service(request)
    client = service.client(request)
    now = time.monotonic()
    if service.lookups.wait(client.rate_key, now) > 0:
        return _limited(request, lang, as_json, service.lookups.retry_after(client.rate_key, now))
    try:
        answer = service.answerer.answer(
            text, client.network, datetime.now(UTC), count=request.method != "HEAD", link=link
        )
    except StationError as err:  # the ledger itself failed: say so, and count nothing
        return _unavailable(request, lang, as_json, err)
    service.lookups.charge(client.rate_key, service.failed_cost if answer.failed else 1, now)
    if as_json:
        return _json(answer.to_json(lang), answer.http_status)
    return _code_page(request, answer, lang)


def _unavailable(request: Request, lang: str, as_json: bool, err: StationError) -> Response:
    if as_json:
        return _json({"status": "unavailable", "message": err.message}, 503)
    return _message(request, lang, 503, err.message, "bad")


def _cards(answer: Answer, lang: str) -> Markup:
    """The product and lot cards, rendered once per language for every code of the same order and lot."""
    facts = answer.facts
    if facts is None:
        return Markup("")
    html = facts.pages.get(lang)
    if html is None:
        html = facts.pages[lang] = _TEMPLATES.get_template("cards.html").render(
            T=texts(lang), tr=lambda key, **params: tr(lang, key, **params), f=facts
        )
    return Markup(html)  # noqa: S704 - rendered by the autoescaping template above


_REPORT_FIELDS: dict[str, Markup] = {}


def _report_fields(lang: str) -> Markup:
    """The report form's fields, rendered once per language."""
    html = _REPORT_FIELDS.get(lang)
    if html is None:
        html = _REPORT_FIELDS[lang] = Markup(  # noqa: S704 - rendered by the autoescaping template
            _TEMPLATES.get_template("report_fields.html").render(
                T=texts(lang),
                tr=lambda key, **params: tr(lang, key, **params),
                kinds=REPORT_KINDS,
                text_max=TEXT_MAX,
                contact_max=CONTACT_MAX,
            )
        )
    return html


def _code_page(request: Request, answer: Answer, lang: str) -> Response:
    service = _service(request)
    is_code = len(answer.code) == CODE_DIGITS and answer.code.isdigit()
    return _page(
        request,
        "code.html",
        answer.http_status,
        lang,
        _other(lang, f"{service.prefix}/{answer.code}") if is_code else _other(lang, "/"),
        a=answer,
        cards=_cards(answer, lang),
        reportable=is_code and answer.status != "check_digit",
        report_url="/report",
        report_fields=_report_fields(lang),
    )


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > BODY_MAX):
        raise HTTPException(413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise HTTPException(413)
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
    return _page(request, "form.html", 200, lang, _other(lang, "/"), message=None)


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
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    form = {k: v for k, v in body.items() if isinstance(v, str)}
    return await _report(request, form, _lang(request, form), as_json=True)


async def _report(request: Request, form: dict[str, str], lang: str, as_json: bool) -> Response:
    service = _service(request)
    client = service.client(request)
    now = time.monotonic()
    if service.reports.wait(client.rate_key, now) > 0:
        return _limited(request, lang, as_json, service.reports.retry_after(client.rate_key, now))
    service.reports.charge(client.rate_key, 1, now)
    kind, text, contact = form.get("kind", ""), form.get("text", "").strip(), form.get("contact", "").strip()
    code = form.get("code", "").strip()
    if kind not in REPORT_KINDS or not text or len(text) > TEXT_MAX or len(contact) > CONTACT_MAX or not code:
        message = tr(lang, "query.report.bad", text=TEXT_MAX, contact=CONTACT_MAX)
        if as_json:
            return _json({"status": "invalid", "message": message}, 400)
        return _message(request, lang, 400, message, "bad")
    digits, serial = _report_code(service, code)
    report = Report(stamp(datetime.now(UTC)), digits, serial, kind, text, contact, client.network)
    try:
        report_id = await run_in_threadpool(service.store.add_report, report)
    except StationError as err:
        return _unavailable(request, lang, as_json, err)
    message = tr(lang, "query.report.done", id=report_id)
    if as_json:
        return _json({"status": "received", "id": report_id, "message": message}, 201)
    return _message(request, lang, 201, message, "ok")


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
        return _json({"status": "error", "message": str(getattr(exc, "detail", ""))}, status)
    key = "query.too_large" if status == 413 else "query.not_found"
    return _message(request, lang, status, tr(lang, key), "bad")


def create_app(home_path: Path, config_file: Path | None = None) -> Starlette:
    """The query service for the data directory at ``home_path``; it opens its ledger when the server starts."""
    prefix = urlsplit(Home.open(home_path, config_file).config.codes.base_url).path.rstrip("/")
    code_path = quote(prefix)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service = Service(home_path, config_file)
        service.start()
        app.state.service = service
        try:
            yield
        finally:
            service.close()

    routes = [
        Route("/", index, methods=["GET", "POST"]),
        Route("/robots.txt", robots),
        Route("/report", report_form, methods=["POST"]),
        Route("/api/v1/codes/{code}", api_code),
        Route("/api/v1/reports", api_report, methods=["POST"]),
        Route(code_path + "/01/{gtin}/10/{lot:path}/21/{code}", digital_link),
        Route(code_path + "/01/{gtin}/21/{code}", digital_link),
        Route(code_path + "/{code}", code_page),
    ]
    return Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 413: not_found})
