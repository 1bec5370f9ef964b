"""No input makes the query service fail: arbitrary bodies (JSON, forms, deep nesting, lone surrogates, huge
numbers, bytes) sent to every route get a 2xx or a 4xx, never a 5xx; and a refused report costs nothing: no
report is stored, and neither the client's report allowance nor its lookup allowance is charged."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from station.home import Home
from station.ledger.query_store import REPORT_KINDS
from station.query.app import QueryApp, create_app
from tests.query_helpers import Codes, build_ledger, write_settings

POST_ROUTES = ("/", "/report", "/api/v1/reports")
REPORT_ROUTES = ("/report", "/api/v1/reports")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, QueryApp, Codes]]:
    """The service in process (Starlette's test client drives the ASGI app and its lifespan), on one ledger for
    every example."""
    from station.registry import add_enterprise, add_product, review_enterprise

    home = Home.open(tmp_path_factory.mktemp("inputs") / "home", operator="tester")
    home.init()
    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    codes = build_ledger(home, eid, pid)
    config = write_settings(home, reports_per_hour=10000, rate_burst=1000000, rate_per_min=1e9)
    app = create_app(home.path, config)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        counters: Any = app.service.counters if app.service else None
        for name in ("count", "tally"):  # every query counted goes through one of these
            counters.__dict__[name] = _spy(getattr(counters, name))
        yield test_client, app, codes
    home.close()


# JSON values: huge integers and floats, every kind of character (lone surrogates included, as JSON escapes them)
_chars = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=False)
    | _chars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_chars, inner, max_size=4),
    max_leaves=12,
)
_report_like = st.fixed_dictionaries(
    {},
    optional={
        "code": _json_values | _chars,
        "kind": st.sampled_from(REPORT_KINDS) | _json_values,
        "text": _chars | _json_values,
        "contact": _chars,
        "lang": st.sampled_from(["en", "zh"]) | _chars,
    },
)


def _json_body(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()  # \ud800 and the like travel as escapes


_bodies = st.one_of(
    _report_like.map(_json_body),
    _json_values.map(_json_body),
    st.dictionaries(_chars, _chars, max_size=6).map(lambda d: urlencode(d, errors="surrogatepass").encode()),
    _report_like.map(lambda d: urlencode({k: str(v) for k, v in d.items()}, errors="surrogatepass").encode()),
    st.binary(max_size=300),
    st.integers(1, 20000).map(lambda n: b"[" * n),
    st.integers(1, 20000).map(lambda n: b"{" * n),
    st.integers(1, 6000).map(lambda n: b"9" * n),
)
_content_types = st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", ""]
)


COUNTED = [0]


def _spy(method: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        COUNTED[0] += 1
        return method(*args, **kwargs)

    return counted


def _state(app: QueryApp) -> tuple[Any, ...]:
    """What a request may charge: stored reports, the report and lookup buckets, counted queries."""
    service = app.service
    assert service is not None
    return (
        len(service.store.reports()),
        dict(service.reports._buckets),
        dict(service.lookups._buckets),
        dict(service.network_lookups._buckets),
        COUNTED[0],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(POST_ROUTES), body=_bodies, content_type=_content_types)
@example(route="/api/v1/reports", body=b"[" * 16000, content_type="application/json")
@example(route="/api/v1/reports", body=b'{"code":"x","kind":"other","text":"\\ud800"}', content_type="")
@example(route="/api/v1/reports", body=b'{"code":"\\udfff","kind":"quality","text":"t"}', content_type="")
@example(route="/api/v1/reports", body=b'{"code":"1","kind":"other","text":"t","contact":1e999}', content_type="")
@example(route="/report", body=b"code=1&kind=other&text=%ED%A0%80", content_type="application/x-www-form-urlencoded")
@example(route="/", body=b"code=" + b"9" * 5000, content_type="application/x-www-form-urlencoded")
def test_any_body_to_any_route_is_answered_and_a_refusal_costs_nothing(
    served: tuple[TestClient, QueryApp, Codes], route: str, body: bytes, content_type: str
) -> None:
    test_client, app, _ = served
    before = _state(app)
    headers = {"content-type": content_type} if content_type else {}
    response = test_client.post(route, content=body, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text)
    after = _state(app)
    if route in REPORT_ROUTES:
        if response.status_code == 201:
            assert after[0] == before[0] + 1
        else:
            assert after == before, response.text
    if response.status_code in (405, 413) or (route == "/" and response.status_code == 200):
        assert after == before  # nothing was asked, nothing is charged


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
    template=st.sampled_from(
        ["/c/{x}", "/api/v1/codes/{x}", "/c/01/{x}/21/{x}", "/c/01/{x}/10/{x}/21/{x}", "/?code={x}", "/{x}"]
    ),
    segment=_chars,
    body=_bodies,
)
@example(method="GET", template="/c/{x}", segment="\ud800", body=b"")
@example(method="GET", template="/?code={x}", segment="[" * 2000, body=b"")
def test_any_path_and_method_is_answered(
    served: tuple[TestClient, QueryApp, Codes], method: str, template: str, segment: str, body: bytes
) -> None:
    test_client, _, _ = served
    path = template.format(x=quote(segment, safe="", errors="surrogatepass"))
    response = test_client.request(method, path, content=body)
    assert response.status_code < 500, (method, path, response.status_code, response.text)


def test_a_report_is_still_stored_and_charged(served: tuple[TestClient, QueryApp, Codes]) -> None:
    test_client, app, codes = served
    before = _state(app)
    sent = test_client.post("/api/v1/reports", json={"code": codes.genuine, "kind": "quality", "text": "瓶盖鼓起"})
    assert sent.status_code == 201
    after = _state(app)
    assert after[0] == before[0] + 1 and after[1] != before[1]
