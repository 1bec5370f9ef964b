"""Round trip: random payloads rendered in each template decode back exactly with zxing-cpp and with zbar."""

from __future__ import annotations

import dataclasses
import random

import pytest

from station.errors import TemplateError
from station.labels import Renderer, load_template
from station.labels.template import Element
from station.verify.decode import decode_zbar, decode_zxing
from tests.labels_helpers import fixed_values, gray

CJK = "牟定腐乳油核桃花椒白芸豆云南楚雄彝族自治州合格证追溯防伪生产日期保质期产地批号检测绿色有机无公害"
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&%:"


def _payload(rng: random.Random, max_bytes: int) -> str:
    kind = rng.choice(("url", "chinese", "mixed"))
    while True:
        if kind == "url":
            tail = "".join(rng.choice(ASCII) for _ in range(rng.randint(1, max_bytes - 20)))
            text = f"https://t.example.org/{tail}"
        elif kind == "chinese":
            text = "".join(rng.choice(CJK) for _ in range(rng.randint(1, max_bytes // 3)))
        else:
            text = "".join(
                rng.choice(CJK) if rng.random() < 0.4 else rng.choice(ASCII + " ")
                for _ in range(rng.randint(1, max_bytes // 2))
            )
        if len(text.encode("utf-8")) <= max_bytes:
            return text


def _qr_on_payload(name: str):  # type: ignore[no-untyped-def]
    """The template with its QR bound to {payload}; the roll header binds its QR to the roll id, which also
    feeds Code 128, so there the QR element is rebound and the barcode kept on an ASCII roll id."""
    template = load_template(name)
    elements = tuple(
        Element(el.kind, el.index, {**el.settings, "data": "{payload}"}) if el.kind == "qr" else el
        for el in template.elements
    )
    return dataclasses.replace(template, elements=elements)


# (template, largest payload in bytes that its QR box holds at >= 3 dots per module)
CASES = [("trace-40x30", 120), ("hegezheng-60x40", 120), ("roll-header-40x30", 40)]


@pytest.mark.slow
def test_payloads_at_300_dpi_decode_exactly() -> None:
    template = _qr_on_payload("trace-40x30").with_dpi(300)
    renderer = Renderer()
    rng = random.Random("roundtrip-300")
    for _ in range(200):
        payload = _payload(rng, 120)
        label = renderer.render(template, {**fixed_values(), "payload": payload})
        assert label.qrs[0].module_dots >= 4
        frame = gray(label.image)
        assert [d.text for d in decode_zxing(frame)] == [payload]
        assert [d.text for d in decode_zbar(frame)] == [payload]


@pytest.mark.slow
def test_pickup_slip_barcode_decodes_exactly() -> None:
    """The slip carries no QR; its Code 128 (the slip number) must read back with both readers."""
    import zxingcpp
    from pyzbar import pyzbar

    from tests.labels_helpers import fixed_rows

    template = load_template("pickup-slip-58mm")
    renderer = Renderer()
    rng = random.Random("slip")
    for _ in range(200):
        slip = "P" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ-") for _ in range(rng.randint(4, 9)))
        label = renderer.render(template, {**fixed_values(), "slip.id": slip}, fixed_rows())
        frame = gray(label.image)
        assert [r.text for r in zxingcpp.read_barcodes(frame)] == [slip]
        assert [r.data.decode() for r in pyzbar.decode(frame)] == [slip]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "max_bytes"), CASES)
def test_thousand_random_payloads_decode_exactly(name: str, max_bytes: int) -> None:
    template = _qr_on_payload(name)
    renderer = Renderer()
    rng = random.Random(f"roundtrip-{name}")
    values = fixed_values()
    failures = []
    for i in range(1000):
        payload = _payload(rng, max_bytes)
        label = renderer.render(template, {**values, "payload": payload})
        assert all(q.module_dots >= 3 for q in label.qrs)
        frame = gray(label.image)
        zx = [d.text for d in decode_zxing(frame)]
        zb = [d.text for d in decode_zbar(frame)]
        if zx != [payload] or zb != [payload]:
            failures.append((i, payload, zx, zb))
    assert not failures, failures[:5]


def test_payload_too_big_for_the_box_is_an_error_not_a_scaled_symbol() -> None:
    template = _qr_on_payload("roll-header-40x30")
    with pytest.raises(TemplateError) as info:
        Renderer().render(template, {**fixed_values(), "payload": "x" * 200})
    assert info.value.key == "tpl.qr_too_big"
    assert "roll-header-40x30" in info.value.message and "qr" in info.value.message
