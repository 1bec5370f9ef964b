"""The hidden code on the label: a hidden element frames it for its scratch-off patch, the checks keep it out of
every other element, a roll carries it exactly when its order says so, and the verification gate reads its digits
glyph by glyph, so one hidden digit printed wrong is a reject."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from drivers.emulators.printer import PrinterFaults
from station.codes import make_code
from station.errors import TemplateError
from station.hidden import hidden_code, hidden_grouped, hidden_key, issue_hidden, require_template_fits
from station.home import Home
from station.labels import Renderer, load_template
from station.labels.checks import template_problems
from station.labels.template import parse_template
from station.ledger import State
from station.verify.reference import reference_for
from station.verify.verifier import verify_frame
from tests.conftest import STATION
from tests.run_helpers import print_line
from tests.verify_helpers import demo_values, film, print_label

HIDDEN_TEMPLATE = "trace-40x40-hidden"
CODE = "17806008427909203676"
HIDDEN = "39270518"


def _values(hidden: str = HIDDEN) -> dict[str, str]:
    return {**demo_values(CODE), "hidden": hidden, "hidden_grouped": hidden_grouped(hidden)}


def test_the_bundled_template_frames_the_hidden_digits() -> None:
    template = load_template(HIDDEN_TEMPLATE)
    assert template_problems(template) == []
    label = Renderer().render(template, _values())
    lines = {p.element: p.text for p in label.texts}
    assert lines["element 11 (hidden, hidden)"] == "3927 0518"
    [hidden] = [el for el in template.elements if el.kind == "hidden"]
    image = label.image.convert("L")
    x0, y0 = template.dots(hidden.x_mm), template.dots(hidden.y_mm)
    x1, y1 = template.dots(hidden.x_mm + hidden.w_mm) - 1, template.dots(hidden.y_mm + hidden.h_mm) - 1
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1), ((x0 + x1) // 2, y0), (x0, (y0 + y1) // 2)):
        assert image.getpixel((x, y)) == 0, (x, y)  # the frame marking the scratch-off patch is inked
    placed = next(p for p in label.texts if p.element.startswith("element 11"))
    assert x0 < placed.x and y0 < placed.y < y1


@pytest.mark.parametrize(
    ("kind", "setting", "text"),
    [("qr", "data", "{payload}{hidden}"), ("text", "text", "暗码 {hidden_grouped}"), ("code128", "data", "{hidden}")],
)
def test_the_hidden_code_is_refused_outside_a_hidden_element(kind: str, setting: str, text: str) -> None:
    box = "x_mm = 2\ny_mm = 2\nw_mm = 30\nh_mm = 20\n"
    source = f'width_mm = 40\nheight_mm = 30\nkind = "other"\n[[element]]\ntype = "{kind}"\n{box}{setting} = "{text}"\n'
    import tomllib

    template = parse_template("leak", tomllib.loads(source), Path("leak.toml"))
    problems = [p.key for p in template_problems(template)]
    assert "hidden.template_field" in problems


def test_a_roll_carries_a_hidden_code_exactly_when_its_order_says_so(seeded: tuple[Home, int, int]) -> None:
    from station.issue import issue_codes

    home, eid, pid = seeded
    hidden = issue_hidden(home, eid, pid, 2)
    plain = issue_codes(home, eid, pid, 2)
    with_it, without = load_template(HIDDEN_TEMPLATE), load_template("trace-40x30")
    require_template_fits(home, hidden.order, with_it)
    require_template_fits(home, plain.order, without)
    for order, template, key in (
        (hidden.order, without, "hidden.template_needed"),
        (plain.order, with_it, "hidden.template_unwanted"),
    ):
        with pytest.raises(TemplateError) as err:
            require_template_fits(home, order, template)
        assert err.value.key == key


def test_a_sound_print_with_its_hidden_code_passes_the_gate() -> None:
    template = load_template(HIDDEN_TEMPLATE)
    values = _values()
    label = Renderer().render(template, values)
    reference = reference_for(label, template)
    printed = print_label(label.image, PrinterFaults())
    result = verify_frame(film(printed, 3), values["payload"], reference)
    assert result.passed, result.reason


@pytest.mark.parametrize("position", [1, 5, 8])
def test_one_hidden_digit_printed_wrong_is_rejected(position: int) -> None:
    template = load_template(HIDDEN_TEMPLATE)
    values = _values()
    reference = reference_for(Renderer().render(template, values), template)
    right = HIDDEN[position - 1]
    wrong_digit = {"3": "8", "9": "8", "2": "7", "7": "1", "0": "8", "5": "6", "1": "7", "8": "3"}[right]
    wrong = HIDDEN[: position - 1] + wrong_digit + HIDDEN[position:]
    misprinted = Renderer().render(template, _values(wrong)).image
    result = verify_frame(film(print_label(misprinted, PrinterFaults()), position), values["payload"], reference)
    assert result.match  # the QR is the right one: only the hidden digits tell
    assert not result.passed
    defects = [(d.location["position"], d.detail) for d in result.defects if d.kind == "code_glyph"]
    assert defects == [
        (
            position,
            f"element 11 (hidden, hidden), line 1, character {position}: reads as {wrong_digit!r}, not {right!r}",
        )
    ], result.reason


def test_a_hidden_order_prints_through_the_line_and_its_captures_are_private(tmp_path: Path) -> None:
    from station.issue import issue_codes
    from tests.run_helpers import order as reachable_order

    home, first = reachable_order(tmp_path, 1)  # labels that point at an address a run accepts
    eid, pid = home.ledger.order(first)["enterprise_id"], home.ledger.order(first)["product_id"]
    order = issue_hidden(home, eid, pid, 3).order
    plain = issue_codes(home, eid, pid, 1).order
    key, code_key = hidden_key(home), home.key
    home.close()
    env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "STATION_LANG": "en"}
    with print_line() as line:

        def run(order_id: int, template: str) -> subprocess.CompletedProcess[str]:
            args = ["run", "--order", str(order_id), "--roll-size", "10", "--template", template]
            args += ["--printer", line.server.uri, "--lang", "tspl", "--camera", line.camera.url]
            return subprocess.run(
                [STATION, "--lang", "en", *args], env=env, capture_output=True, text=True, timeout=300
            )

        refused = run(order, "trace-40x30")
        assert refused.returncode == 1 and "has no hidden element" in refused.stderr
        assert run(plain, HIDDEN_TEMPLATE).returncode == 1
        done = run(order, HIDDEN_TEMPLATE)
        assert done.returncode == 0, done.stderr + done.stdout
    home = Home.open(tmp_path / "home")
    counts = home.ledger.order_state_counts(order)
    assert counts.get(State.VERIFIED) == 3, counts
    assert len(line.printer.labels) >= 3
    # every label passed the gate, which compared its hidden digits with the ones computed for its code
    first = home.ledger.order(order)["ranges"][0][0]
    assert len(hidden_code(key, make_code(code_key, first))) == 8


def test_a_preview_of_a_hidden_order_shows_no_hidden_code(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    from station.labels.render_job import render_labels
    from station.labels.values import code_values

    home, eid, pid = seeded
    order = issue_hidden(home, eid, pid, 2)
    assert code_values(home, order.first_serial)["hidden"] == hidden_code(
        hidden_key(home), make_code(home.key, order.first_serial)
    )
    result = render_labels(home, HIDDEN_TEMPLATE, None, order.order, 2, tmp_path / "preview.png")
    template = load_template(HIDDEN_TEMPLATE)
    expected = Renderer().render(template, {**code_values(home, order.first_serial), "hidden_grouped": "XXXX XXXX"})
    assert result.first is not None and result.first.tobytes() == expected.image.tobytes()
