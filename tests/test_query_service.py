"""The consumer query service through a real HTTP client against uvicorn on 127.0.0.1: every kind of code gets
its page, status and JSON; repeat queries warn; far-apart networks raise the anomaly flag; reports reach
`station reports`; rate limiting stops a guessing loop while a real client still gets its page."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from station.codes import group, payload
from station.home import Home
from station.issue import issue_codes
from station.registry import add_product
from tests.conftest import STATION
from tests.query_helpers import Codes, build_ledger, client, running


@pytest.fixture
def ledger(seeded: tuple[Home, int, int]) -> tuple[Home, Codes]:
    home, eid, pid = seeded
    return home, build_ledger(home, eid, pid)


@pytest.fixture
def service(ledger: tuple[Home, Codes]) -> Iterator[tuple[str, Home, Codes]]:
    """The service with the loopback address as its trusted proxy, so X-Forwarded-For picks the client."""
    home, codes = ledger
    with running(home, trusted_proxies="127.0.0.1 ::1", warn_after=3, anomaly_window_min=60) as url:
        yield url, home, codes


def _get(url: str, path: str, who: str = "203.0.113.9") -> httpx.Response:
    with client(url, who) as c:
        return c.get(path)


CASES = [
    # code attribute, HTTP status, JSON status, genuine, text on the Chinese page
    ("genuine", 200, "genuine", True, "正品"),
    ("unbound", 200, "genuine", True, "尚未关联生产批次"),
    ("voided", 410, "voided", False, "此码已作废"),
    ("recalled", 200, "recalled", True, "抽检不合格：亚硝酸盐超标"),
    ("blacklisted", 200, "blacklisted", True, "已被列入黑名单：以次充好"),
    ("undistributed", 200, "undistributed", False, "尚未发放给生产企业"),
    ("unknown", 404, "unknown", False, "不存在"),
    ("forged", 404, "forged", False, "不存在"),
    ("typo", 400, "check_digit", False, "校验位不符"),
]


@pytest.mark.parametrize(("name", "http", "status", "genuine", "text"), CASES)
def test_each_kind_of_code_gets_its_page_status_and_json(
    service: tuple[str, Home, Codes], name: str, http: int, status: str, genuine: bool, text: str
) -> None:
    url, _home, codes = service
    code = getattr(codes, name)
    page = _get(url, f"/c/{code}", who="203.0.113.1")
    assert page.status_code == http
    assert page.headers["content-type"].startswith("text/html")
    assert text in page.text
    assert "<script" not in page.text and "http://" not in page.text.replace(url, "")  # nothing external
    answer = _get(url, f"/api/v1/codes/{code}", who="203.0.113.2")
    assert answer.status_code == http
    body = answer.json()
    assert body["status"] == status and body["genuine"] is genuine and body["code"] == code


@pytest.mark.all_backends  # the service on a shared PostgreSQL ledger too
def test_genuine_page_shows_product_producer_lot_and_inspection(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    page = _get(url, f"/c/{group(codes.genuine).replace(' ', '-')}")  # dashes as people type them
    assert page.status_code == 200
    for text in (
        "牟定腐乳",
        "牟定县测试腐乳厂",
        "91532323MA6N0FRU1E",
        "532323101001",
        "地理标志",
        "180 天",
        "MD20261120",
        "2026-11-20",
        "腌制 2026-11-01",
        "装瓶 2026-11-19",
        "合格",
        "YN-QC-2026-1120",
        "已准出",
        "您是第一次查询此码",
        "举报",
    ):
        assert text in page.text, text
    body = _get(url, f"/api/v1/codes/{codes.genuine}").json()
    assert body["product"]["name"] == "牟定腐乳" and body["producer"]["name"] == "牟定县测试腐乳厂"
    assert body["lot"]["number"] == "MD20261120" and body["lot"]["inspection"] == "pass"
    assert body["lot"]["inspection_report"] == "YN-QC-2026-1120" and body["lot"]["released"] is True
    assert body["lot"]["records"] == ["腌制 2026-11-01", "装瓶 2026-11-19"]
    assert body["queries"]["count"] == 2 and body["warnings"] == []


def test_english_page(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    page = _get(url, f"/c/{codes.recalled}?lang=en")
    assert page.status_code == 200
    assert "recalled" in page.text and "do not eat it" in page.text and 'lang="en"' in page.text
    assert _get(url, f"/api/v1/codes/{codes.forged}?lang=en").json()["message"].startswith("This code does not exist")
    for name, http, _status, _genuine, _text in CASES:  # every page renders in English, with no Chinese chrome
        english = _get(url, f"/c/{getattr(codes, name)}?lang=en")
        assert english.status_code == http and "Produce traceability check" in english.text
        assert "查询其他码" not in english.text and "Check another code" in english.text


@pytest.mark.all_backends  # the service on a shared PostgreSQL ledger too
def test_repeat_queries_warn_after_the_threshold(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    bodies = [_get(url, f"/api/v1/codes/{codes.repeated}").json() for _ in range(3)]
    assert [b["status"] for b in bodies] == ["genuine"] * 3
    assert [b["queries"]["count"] for b in bodies] == [1, 2, 3]
    assert "谨防假冒" not in _get(url, f"/c/{codes.unbound}").text
    page = _get(url, f"/c/{codes.repeated}")  # the 4th query: warn_after = 3
    assert page.status_code == 200
    first = bodies[0]["queries"]["first_at"]
    assert "已被查询 4 次，首次查询时间" in page.text and "谨防假冒" in page.text
    body = _get(url, f"/api/v1/codes/{codes.repeated}").json()
    assert body["status"] == "repeated" and body["queries"] == {"count": 5, "first_at": first, "anomalies": 0}
    assert body["warnings"][0]["kind"] == "repeated" and "已被查询 5 次" in body["warnings"][0]["message"]


@pytest.mark.all_backends  # the service on a shared PostgreSQL ledger too
def test_a_recall_and_a_void_show_at_the_next_query(service: tuple[str, Home, Codes]) -> None:
    """The station changes a code while the service answers it again and again: the very next answer says so."""
    url, home, codes = service
    from station.codes import parse_code
    from station.lots import recall_lot

    serial = parse_code(home.key, codes.anomalous)
    with client(url, "203.0.113.40") as c:
        for _ in range(3):  # the service has read this code's row and would keep it while nothing changes
            assert c.get(f"/api/v1/codes/{codes.anomalous}").json()["status"] == "genuine"
        lot = home.ledger.code(serial)["lot_id"]  # type: ignore[index]
        recall_lot(home, lot, "抽检不合格")
        recalled = c.get(f"/c/{codes.anomalous}")
        assert recalled.status_code == 200 and "已召回" in recalled.text
        assert c.get(f"/api/v1/codes/{codes.anomalous}").json()["status"] == "recalled"
        serial = parse_code(home.key, codes.unbound)
        assert c.get(f"/api/v1/codes/{codes.unbound}").json()["status"] == "genuine"
        home.ledger.transition(serial, "void")
        voided = c.get(f"/c/{codes.unbound}")
        assert voided.status_code == 410 and "此码已作废" in voided.text


def test_json_is_what_starlette_would_encode(ledger: tuple[Home, Codes]) -> None:
    """The JSON API writes its body member by member: byte for byte Starlette's encoding of ``to_json``; and the
    page and the body put together from what stays the same between queries are the ones made whole."""
    from datetime import UTC, datetime

    from starlette.responses import JSONResponse

    from station.query import pages
    from station.query.app import Service
    from tests.query_helpers import write_settings

    home, codes = ledger
    service = Service(home.path, write_settings(home, warn_after=3, anomaly_window_min=60))
    try:
        texts = [getattr(codes, name) for name in codes.__dataclass_fields__] + ["12 34", "<'&\">", codes.typo]
        # asked again (the kept parts), then from afar (anomalous), then a fourth time (repeated)
        for network in ("203.0.0.0/16", "203.0.0.0/16", "198.51.0.0/16", "198.51.0.0/16"):
            for text in texts:
                answer = service.answerer.answer(text, network, datetime.now(UTC))
                for lang in ("zh", "en"):
                    assert answer.json(lang) == JSONResponse(answer.to_json(lang)).body, (text, lang)
                    extra = service.hidden.form(answer, lang)
                    whole = pages._code_page(answer, lang, service.prefix, extra)
                    assert pages.code_page(answer, lang, service.prefix, extra) == whole, (text, lang)
                    form = b"<p>another form</p>"
                    assert form in pages.code_page(answer, lang, service.prefix, form), (text, lang)
    finally:
        service.close()


def test_codes_served_at_the_root(ledger: tuple[Home, Codes]) -> None:
    """``base_url`` without a path: a code is ``/{code}``, and /robots.txt, /report and the API keep theirs."""
    home, codes = ledger
    from station.query.app import create_app
    from station.query.server import ServerThread
    from tests.query_helpers import write_settings

    settings = write_settings(home)
    settings.write_text(settings.read_text() + '[codes]\nbase_url = "https://trace.example.org"\n')
    with ServerThread(create_app(home.path, settings)) as server, client(server.url) as c:
        page = c.get(f"/{codes.genuine}")
        assert page.status_code == 200 and "正品" in page.text and f'href="/{codes.genuine}?lang=en"' in page.text
        assert c.get("/robots.txt").text.startswith("User-agent: *")
        assert c.get(f"/api/v1/codes/{codes.genuine}").json()["queries"]["count"] == 2
        assert c.get("/report").status_code == 400  # as the code page of "report": not 20 digits
        assert c.post(f"/{codes.genuine}").status_code == 405
        assert c.get(f"/c/{codes.genuine}").status_code == 404


def test_typo_gets_the_check_digit_hint(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    page = _get(url, f"/c/{codes.typo}")
    assert page.status_code == 400
    assert group(codes.genuine) in page.text and "第 5 位可能有误" in page.text
    assert f'href="/c/{codes.genuine}"' in page.text
    body = _get(url, f"/api/v1/codes/{codes.typo}", who="198.51.100.9").json()  # the hint costs: another client
    assert body["hint"] == {"code": codes.genuine, "positions": [5]}


@pytest.mark.parametrize("text", ["12345", "abcdefghijabcdefghij", "1234567890123456789012345"])
def test_malformed_code_is_400(service: tuple[str, Home, Codes], text: str) -> None:
    url, _home, _codes = service
    page = _get(url, f"/c/{text}")
    assert page.status_code == 400 and "20 位防伪码" in page.text
    assert _get(url, f"/api/v1/codes/{text}").json()["status"] == "malformed"


def test_digital_link_url_works_and_a_mismatched_link_warns(seeded: tuple[Home, int, int]) -> None:
    home, eid, _pid = seeded
    product = add_product(home.ledger, eid, "牟定白芸豆", "532323101003", "532323", [], 365, "6901234567892")
    from station.lots import add_lot, inspect_lot, release_lot

    lot = add_lot(home.ledger, product, "B/2026%11", "2026-11-20")
    inspect_lot(home.ledger, lot, "pass")
    release_lot(home.ledger, lot)
    order = issue_codes(home, eid, product, 2, lot="B/2026%11")
    for action in ("print", "verify", "distribute"):
        home.ledger.transition(order.first_serial, action)
    link = payload(home.config.codes.base_url, order.first, "06901234567892", "B/2026%11")
    path = link.removeprefix("https://trace.example.org")
    assert path.startswith("/c/01/06901234567892/10/B%2F2026%2511/21/")
    with running(home) as url:
        page = _get(url, path)
        assert page.status_code == 200 and "牟定白芸豆" in page.text and "不符" not in page.text
        short = _get(url, f"/c/01/06901234567892/21/{order.first}")  # the lot left out
        assert short.status_code == 200 and "商品条码或批号与此码不符" in short.text
        other = _get(url, f"/c/01/06901234567892/10/B%2F2026%2511/21/{order.last}")
        assert other.status_code == 200 and "尚未发放给生产企业" in other.text


def test_form_and_query_string(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    form = _get(url, "/")
    assert form.status_code == 200 and '<form method="post"' in form.text and 'inputmode="numeric"' in form.text
    assert _get(url, f"/?code={codes.genuine}").status_code == 200
    with client(url, "203.0.113.9") as c:
        posted = c.post("/", data={"code": group(codes.forged)})
        assert posted.status_code == 404 and "不存在" in posted.text
        english = c.post("/", data={"code": codes.genuine, "lang": "en"})
        assert english.status_code == 200 and "Genuine" in english.text
    assert _get(url, "/robots.txt").text.startswith("User-agent: *")


def test_forged_unknown_and_mistyped_codes_never_reach_the_ledger(
    ledger: tuple[Home, Codes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement the service's ledger connection runs is recorded: only codes that pass check digit and MAC
    are looked up, on the page and JSON routes (answered in front of Starlette) and through Starlette's routing."""
    home, codes = ledger
    from station.query import app as app_module

    statements: list[str] = []
    original = app_module.Service.__init__

    def recording_service(service: Any, *args: Any, **kwargs: Any) -> None:
        original(service, *args, **kwargs)
        service.answerer.ledger._db.set_trace_callback(statements.append)

    monkeypatch.setattr(app_module.Service, "__init__", recording_service)
    with running(home, rate_burst=1000, network_burst=100000) as url:  # failed lookups are what this sends
        wrong_digit = codes.forged[:3] + str((int(codes.forged[3]) + 5) % 10) + codes.forged[4:]
        for text in (codes.forged, "12345", wrong_digit):
            for path in (f"/api/v1/codes/{text}", f"/c/{text}", f"/?code={text}"):
                assert _get(url, path).status_code in (400, 404)
        assert statements == []
        # a code of ours is looked up (each its first time: then its row is kept while the ledger is unchanged)
        for path in (f"/api/v1/codes/{codes.genuine}", f"/c/{codes.unbound}", f"/?code={codes.repeated}"):
            assert _get(url, path).status_code == 200
            assert any("FROM codes" in sql for sql in statements), path
            statements.clear()


def test_anomaly_flag_from_far_apart_networks_behind_the_trusted_proxy(service: tuple[str, Home, Codes]) -> None:
    url, home, codes = service
    first = _get(url, f"/api/v1/codes/{codes.anomalous}", who="203.0.113.5").json()
    same_16 = _get(url, f"/api/v1/codes/{codes.anomalous}", who="203.0.7.7").json()
    assert first["anomaly"] is False and same_16["anomaly"] is False
    far = _get(url, f"/api/v1/codes/{codes.anomalous}", who="198.51.100.7").json()
    assert far["anomaly"] is True and far["queries"]["anomalies"] == 1
    assert any(w["kind"] == "anomaly" for w in far["warnings"])
    assert "不同网络被查询" in _get(url, f"/c/{codes.anomalous}", who="198.51.100.8").text
    # IPv6: another /64 of the same /48 is the same network; another /48 is far
    v6 = [
        _get(url, f"/api/v1/codes/{codes.unbound}", who=who).json()["queries"]["anomalies"]
        for who in ("2001:db8:1:1::5", "2001:db8:1:2::5", "2001:db8:2::5")
    ]
    assert v6 == [0, 0, 1]
    _wait_written(home, lambda figures: figures["anomalies_total"] == 2)


def test_anomaly_from_real_loopback_networks_and_a_spoofed_header_is_ignored(ledger: tuple[Home, Codes]) -> None:
    """No trusted proxy: the connecting address decides. 127.0.0.1 and 127.1.0.1 are in different /16s."""
    home, codes = ledger
    with running(home) as url:
        with client(url, forwarded_for="198.51.100.1") as c:  # a header anyone can send: ignored
            assert c.get(f"/api/v1/codes/{codes.genuine}").json()["anomaly"] is False
        with client(url, forwarded_for="203.0.113.1") as c:
            assert c.get(f"/api/v1/codes/{codes.genuine}").json()["anomaly"] is False
        with client(url, local_address="127.1.0.1") as c:
            body = c.get(f"/api/v1/codes/{codes.genuine}").json()
        assert body["anomaly"] is True and body["queries"]["count"] == 3
    from station.query import stats

    figures = stats(home)
    assert [(a["network"], a["previous_network"]) for a in figures["recent_anomalies"]] == [
        ("127.1.0.0/16", "127.0.0.0/16")
    ]


def _station(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STATION, "--home", str(home.path), "--lang", "en", *args], capture_output=True, text=True, timeout=60
    )


def _wait_written(home: Home, done: Any, timeout: float = 5.0) -> dict[str, Any]:
    from station.query import stats

    deadline = time.monotonic() + timeout
    while True:
        figures = stats(home)
        if done(figures) or time.monotonic() > deadline:
            assert done(figures), figures
            return figures
        time.sleep(0.05)


@pytest.mark.all_backends  # the service on a shared PostgreSQL ledger too
def test_reports_reach_station_reports(service: tuple[str, Home, Codes]) -> None:
    url, home, codes = service
    page = _get(url, f"/c/{codes.genuine}")
    assert 'action="/report"' in page.text and 'value="counterfeit"' in page.text
    with client(url, "203.0.113.77") as c:
        sent = c.post(
            "/report",
            data={"code": codes.genuine, "kind": "quality", "text": "开盖发霉 <b>", "contact": "13800000000"},
        )
        assert sent.status_code == 201 and "举报已收到" in sent.text
        api = c.post("/api/v1/reports", json={"code": codes.forged, "kind": "counterfeit", "text": "超市买到的"})
        assert api.status_code == 201 and api.json()["status"] == "received"
        bad = c.post("/report", data={"code": codes.genuine, "kind": "spam", "text": "x"})
        assert bad.status_code == 400
        empty = c.post("/api/v1/reports", json={"code": codes.genuine, "kind": "other", "text": "  "})
        assert empty.status_code == 400 and empty.json()["status"] == "invalid"
    listed = _station(home, "reports", "--json")
    assert listed.returncode == 0, listed.stderr
    reports = json.loads(listed.stdout)["reports"]
    assert [(r["kind"], r["code"], r["genuine"], r["network"]) for r in reports] == [
        ("quality", codes.genuine, True, "203.0.0.0/16"),
        ("counterfeit", codes.forged, False, "203.0.0.0/16"),
    ]
    assert reports[0]["text"] == "开盖发霉 <b>" and reports[0]["contact"] == "13800000000"
    table = _station(home, "reports")
    assert "开盖发霉 <b>" in table.stdout and "suspected counterfeit" in table.stdout
    assert json.loads(_station(home, "reports", "--json", "--since", "2999-01-01").stdout)["reports"] == []
    assert _station(home, "reports", "--since", "yesterday").returncode == 1


def test_report_rate_limit(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    with running(home, trusted_proxies="127.0.0.1", reports_per_hour=2) as url, client(url, "203.0.113.8") as c:
        statuses = [
            c.post("/api/v1/reports", json={"code": codes.genuine, "kind": "other", "text": f"第 {i} 条"}).status_code
            for i in range(4)
        ]
        assert statuses == [201, 201, 429, 429]
        with client(url, "198.51.100.8") as other:
            assert (
                other.post("/report", data={"code": codes.genuine, "kind": "other", "text": "另一人"}).status_code
                == 201
            )


def test_stats_command(service: tuple[str, Home, Codes]) -> None:
    url, home, codes = service
    for _ in range(3):
        _get(url, f"/c/{codes.genuine}")
    for name in ("unknown", "forged", "typo"):
        _get(url, f"/c/{getattr(codes, name)}")
    _get(url, f"/c/{codes.voided}", who="198.51.100.200")  # the typo's hint left the first client in debt
    figures = _wait_written(home, lambda f: f["queries_total"] == 7)
    result = _station(home, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == figures
    assert figures["queries_today"] == 7 and figures["failed_today"] == 3 and figures["unknown_today"] == 2
    assert figures["by_status_today"] == {"genuine": 3, "unknown": 1, "forged": 1, "check_digit": 1, "voided": 1}
    assert figures["top_codes"][0]["code"] == codes.genuine and figures["top_codes"][0]["queries"] == 3
    text = _station(home, "stats")
    assert "queries today 7" in text.stdout and group(codes.genuine) in text.stdout


def test_head_requests_are_not_counted(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    with client(url, "203.0.113.9") as c:
        assert c.head(f"/c/{codes.unbound}").status_code == 200
        assert c.get(f"/api/v1/codes/{codes.unbound}").json()["queries"]["count"] == 1


def test_guessing_loop_is_stopped_while_a_real_client_gets_its_page(ledger: tuple[Home, Codes]) -> None:
    """Bounded load: one client sends up to 300 made-up codes as fast as it can; with a bucket of 30 and failed
    lookups costing 5, it gets a handful of answers and then 429s, and a consumer elsewhere is still served."""
    home, codes = ledger
    settings = {"trusted_proxies": "127.0.0.1", "rate_per_min": 60.0, "rate_burst": 30, "failed_cost": 5}
    with running(home, **settings) as url:
        answered = limited = 0
        started = time.monotonic()
        deadline = started + 20
        with client(url, "198.51.100.66") as guesser:
            for i in range(300):
                guess = f"{i:019d}"
                from stdnum import damm

                response = guesser.get(f"/api/v1/codes/{guess}{damm.calc_check_digit(guess)}")
                if response.status_code == 429:
                    limited += 1
                    assert int(response.headers["Retry-After"]) >= 1
                    assert response.json()["status"] == "rate_limited"
                else:
                    assert response.json()["status"] == "forged"
                    answered += 1
                if time.monotonic() > deadline:
                    break
            page = guesser.get(f"/c/{codes.genuine}")
            assert page.status_code == 429 and "查询过于频繁" in page.text and "秒后再试" in page.text
        assert answered + limited >= 100
        # 30 tokens pay for 6 failures; then 1 token a second refills one more failure every 5 seconds
        trickle = int((time.monotonic() - started) / 5) + 1
        assert 6 <= answered <= 6 + trickle, (answered, trickle)
        with client(url, "203.0.113.10") as consumer:
            page = consumer.get(f"/c/{codes.genuine}")
            assert page.status_code == 200 and "正品" in page.text
        with client(url, "198.51.100.67") as neighbour:  # another address of the guesser's /16 has its own bucket
            assert neighbour.get(f"/api/v1/codes/{codes.genuine}").status_code == 200


def test_good_lookups_cost_less_than_failed_ones(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    settings = {"trusted_proxies": "127.0.0.1", "rate_per_min": 0.1, "rate_burst": 10, "failed_cost": 5}
    with running(home, **settings) as url:
        with client(url, "198.51.100.1") as good:
            assert [good.get(f"/api/v1/codes/{codes.genuine}").status_code for _ in range(11)] == [200] * 10 + [429]
        with client(url, "198.51.100.2") as bad:
            statuses = [bad.get(f"/api/v1/codes/{codes.forged}").status_code for _ in range(4)]
            assert statuses == [404, 404, 429, 429]


def test_oversized_form_is_refused(service: tuple[str, Home, Codes]) -> None:
    url, _home, codes = service
    with client(url, "203.0.113.9") as c:
        response = c.post("/report", data={"code": codes.genuine, "kind": "other", "text": "长" * 20_000})
        assert response.status_code == 413


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_station_serve_command(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    port = _free_port()
    proc = subprocess.Popen(
        [STATION, "--home", str(home.path), "serve", "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/c/{codes.genuine}", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        assert response.status_code == 200 and "正品" in response.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the last counts are written when the service stops
    from station.query import stats

    assert stats(home)["queries_total"] == 1


def test_station_serve_refuses_an_uninitialised_home(tmp_path: Any) -> None:
    result = subprocess.run(
        [STATION, "--home", str(tmp_path / "nothing"), "--lang", "en", "serve", "--listen", "127.0.0.1:1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "not initialised" in result.stderr
