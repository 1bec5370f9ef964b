"""The rules a template passes before it prints: each rule refuses its mistake with the file's line, and the near
miss beside it passes; a refused template never reaches the printer; a template's gap goes in the print job."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from station.errors import TemplateError
from station.home import Home
from station.issue import issue_codes
from station.labels import Renderer, check_template, load_template
from station.labels.checks import GAP_LIMITS_MM, MANDATORY_TRACE_FIELDS, located
from station.labels.template import TEMPLATE_DIR, load_template_file, source_lines
from station.texts import set_language

TRACE = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8")
RENDERER = Renderer()


def _write(tmp_path: Path, text: str, name: str = "mine") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _edit(old: str, new: str, text: str = TRACE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _problems(tmp_path: Path, text: str, lang: str | None = None) -> list[tuple[str, int | None]]:
    """(catalogue key, line) of every problem `station label check` finds."""
    problems, _ = check_template(load_template_file(_write(tmp_path, text)), RENDERER, lang)
    return [(p.key, p.params.get("line")) for p in problems]


def _line(text: str, fragment: str) -> int:
    (number,) = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return number


# --- placeholders -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "key"),
    [
        ('text = "{lot.status"', "tpl.placeholder_open"),
        ('text = "{lot.status} {code"', "tpl.placeholder_open"),
        ('text = "lot.status}"', "tpl.placeholder_stray"),
        ('text = "{lot.status[0]}"', "tpl.placeholder_bad"),
        ('text = "{lot.status!r}"', "tpl.placeholder_bad"),
        ('text = "{lot.status:>8}"', "tpl.placeholder_bad"),
        ('text = "{}"', "tpl.placeholder_bad"),
        ('text = "{ lot.status }"', "tpl.placeholder_bad"),
        ('text = "{lot.stauts}"', "tpl.unknown_field"),
        ('text = "{lot.status.x}"', "tpl.placeholder_bad"),
    ],
)
def test_malformed_or_unknown_placeholders_are_refused_on_their_line(tmp_path: Path, bad: str, key: str) -> None:
    text = _edit('text = "{lot.status}"', bad)
    assert _problems(tmp_path, text) == [(key, _line(text, bad))]


@pytest.mark.parametrize(
    "fine", ['text = "{{lot.status}}"', 'text = "{{ {lot.status} }}"', 'text = "}}{{"', 'text = "状态 {lot.status}"']
)
def test_braces_written_twice_and_known_fields_pass(tmp_path: Path, fine: str) -> None:
    assert _problems(tmp_path, _edit('text = "{lot.status}"', fine)) == []


def test_a_placeholder_in_a_qr_data_is_checked_too(tmp_path: Path) -> None:
    text = _edit('data = "{payload}"', 'data = "{payload[0]}"')
    problems = _problems(tmp_path, text)
    assert ("tpl.placeholder_bad", _line(text, "{payload[0]}")) in problems


def test_a_field_in_a_default_is_refused_since_a_default_prints_as_written(tmp_path: Path) -> None:
    text = _edit('default = "扫码或输入数字码查询真伪"', 'default = "批号 {lot.number}"')
    assert _problems(tmp_path, text) == [("tpl.placeholder_in_default", _line(text, "批号 {lot.number}"))]
    assert _problems(tmp_path, _edit('default = "扫码或输入数字码查询真伪"', 'default = "批号见包装"')) == []


def test_messages_say_what_to_write() -> None:
    path = TEMPLATE_DIR.parent / "x.toml"
    err = TemplateError("tpl.placeholder_bad", template="mine", where="element 9", key="text", text="{payload[0]}")
    assert err.message == (
        "label template mine, element 9: {payload[0]} in text is not a field; write {field} with a field name "
        "(e.g. {product.name}), no indexing, format or empty braces; a brace itself is {{ or }}"
    )
    err.params["line"] = 12
    assert located(err, path.name).startswith("x.toml, line 12: label template mine")
    set_language("zh")
    try:
        assert located(err, "x.toml").startswith("x.toml 第 12 行：标签模板 mine")
    finally:
        set_language("en")


# --- ids ----------------------------------------------------------------------------------------------------


def test_two_elements_with_one_id_are_refused_naming_both(tmp_path: Path) -> None:
    text = _edit('id = "footer"', 'id = "code"')
    problems, _ = check_template(load_template_file(_write(tmp_path, text)), RENDERER)
    (problem,) = problems
    first, second = [i for i, s in enumerate(text.splitlines(), 1) if s == 'id = "code"']
    assert (problem.key, problem.params["line"], problem.params["other_line"]) == ("tpl.duplicate_id", second, first)
    assert "element 8 (code, code)" in problem.message and "element 9 (text, code)" in problem.message


def test_own_ids_and_elements_without_id_pass(tmp_path: Path) -> None:
    assert _problems(tmp_path, _edit('id = "footer"', 'id = "code2"')) == []
    assert _problems(tmp_path, _edit('id = "footer"\n', "")) == []
    assert _problems(tmp_path, _edit('id = "footer"\n', "", _edit('id = "cert"\n', ""))) == []


# --- placement ----------------------------------------------------------------------------------------------

FOOTER_Y = "x_mm = 0.8\ny_mm = 26.4"


def test_an_element_off_the_label_is_refused_on_its_element_line(tmp_path: Path) -> None:
    text = _edit(FOOTER_Y, "x_mm = 0.8\ny_mm = 26.7")
    footer_header = _line(text, 'id = "footer"') - 1
    assert _problems(tmp_path, text) == [("tpl.outside", footer_header)]
    assert _problems(tmp_path, _edit(FOOTER_Y, "x_mm = 0.8\ny_mm = 26.6")) == []  # its bottom on the margin


def test_overlapping_elements_are_refused_and_touching_ones_pass(tmp_path: Path) -> None:
    text = _edit(FOOTER_Y, "x_mm = 0.8\ny_mm = 25.7")  # the code ends at 25.8
    problems, _ = check_template(load_template_file(_write(tmp_path, text)), RENDERER)
    assert [(p.key, p.params["line"]) for p in problems] == [("tpl.overlap", _line(text, 'id = "footer"') - 1)]
    assert "element 9 (text, footer) overlaps element 8 (code, code)" in problems[0].message
    assert _problems(tmp_path, _edit(FOOTER_Y, "x_mm = 0.8\ny_mm = 25.8")) == []


FRAMED = """\
width_mm = 60
height_mm = 40
kind = "other"

[[element]]
id = "frame"
type = "box"
x_mm = 1
y_mm = 1
w_mm = 58
h_mm = 38

[[element]]
id = "title"
type = "text"
x_mm = 3
y_mm = 3
w_mm = 40
h_mm = 5
text = "食用农产品承诺达标合格证"

[[element]]
id = "rule"
type = "line"
x_mm = 1.2
y_mm = 9
x2_mm = 58.8
y2_mm = 9
"""


def test_a_frame_may_hold_elements_and_rules_may_cross_it(tmp_path: Path) -> None:
    assert _problems(tmp_path, FRAMED) == []


def test_elements_touching_side_by_side_or_one_under_another_pass(tmp_path: Path) -> None:
    beside = 'id = "side"\ntype = "text"\nx_mm = 43\ny_mm = 3\nw_mm = 10\nh_mm = 5\ntext = "合格"\n'
    under = 'id = "under"\ntype = "text"\nx_mm = 3\ny_mm = 8\nw_mm = 20\nh_mm = 0.85\ntext = "·"\n'
    under += "size_mm = 0.8\nmin_size_mm = 0.8\n"
    left = 'id = "left"\ntype = "box"\nx_mm = 1.5\ny_mm = 3\nw_mm = 1.5\nh_mm = 5\nfill = true\n'  # up to the title
    above = 'id = "above"\ntype = "box"\nx_mm = 3\ny_mm = 1.5\nw_mm = 20\nh_mm = 1.5\nfill = true\n'
    text = FRAMED + "".join("\n[[element]]\n" + el for el in (beside, under, left, above))
    problems, _ = check_template(load_template_file(_write(tmp_path, text)), RENDERER)
    assert [p.key for p in problems if p.key != "tpl.text_too_tall"] == []
    for touching, overlapping in (
        ("x_mm = 43", "x_mm = 42.9"),
        ("y_mm = 8\n", "y_mm = 7.9\n"),
        ("x_mm = 1.5\ny_mm = 3\nw_mm = 1.5", "x_mm = 1.5\ny_mm = 3\nw_mm = 1.6"),
        ("y_mm = 1.5\nw_mm = 20\nh_mm = 1.5", "y_mm = 1.5\nw_mm = 20\nh_mm = 1.6"),
    ):
        assert [k for k, _ in _problems(tmp_path, text.replace(touching, overlapping))] == ["tpl.overlap"], overlapping


def test_a_rule_through_text_a_filled_box_under_it_and_text_on_a_frame_edge_are_refused(tmp_path: Path) -> None:
    through = _edit("y_mm = 9\nx2_mm = 58.8\ny2_mm = 9", "y_mm = 5\nx2_mm = 58.8\ny2_mm = 5", FRAMED)
    assert [k for k, _ in _problems(tmp_path, through)] == ["tpl.overlap"]
    filled = _edit("h_mm = 38\n", "h_mm = 38\nfill = true\n", FRAMED)
    assert [k for k, _ in _problems(tmp_path, filled)] == ["tpl.overlap"]
    on_edge = _edit("x_mm = 3\ny_mm = 3", "x_mm = 1.1\ny_mm = 3", FRAMED)
    assert [k for k, _ in _problems(tmp_path, on_edge)] == ["tpl.overlap"]
    inside_edge = _edit("x_mm = 3\ny_mm = 3", "x_mm = 1.25\ny_mm = 3", FRAMED)  # the edge is 0.25 mm wide
    assert _problems(tmp_path, inside_edge) == []


def test_anything_in_a_qr_box_is_its_quiet_zone(tmp_path: Path) -> None:
    text = _edit('type = "line"\nx_mm = 1.2\ny_mm = 9', 'type = "line"\nx_mm = 40\ny_mm = 12', FRAMED)
    text += '\n[[element]]\nid = "qr"\ntype = "qr"\nx_mm = 38\ny_mm = 10\nw_mm = 20\nh_mm = 20\n'
    assert [k for k, _ in _problems(tmp_path, text)] == ["tpl.quiet_zone"]


# --- the six fields of a package label ---------------------------------------------------------------------

SIX = {
    "产品名称": ('text = "{product.name}"', 'text = "牟定腐乳"'),
    "产地编码": ('text = "产地 {product.origin_code}"', 'text = "产地 牟定县"'),
    "生产日期": ('text = "生产 {lot.production_date}"', 'text = "生产 见包装"'),
    "保质期": ('text = "保质期 {product.shelf_life}"', 'text = "保质期 180天"'),
    "生产者": ('text = "{enterprise.name}"', 'text = "牟定县彝乡腐乳食品有限公司"'),
    "产品认证": ('text = "{product.certifications}"', 'text = "绿色食品"'),
}


@pytest.mark.parametrize("item", list(SIX))
def test_a_trace_label_without_one_of_the_six_fields_is_refused(tmp_path: Path, item: str) -> None:
    old, new = SIX[item]
    text = _edit(old, new)
    problems, _ = check_template(load_template_file(_write(tmp_path, text)), RENDERER)
    assert [(p.key, p.params["line"]) for p in problems] == [("tpl.mandatory_missing", _line(text, 'kind = "trace"'))]
    english = next(en for zh, en, _ in MANDATORY_TRACE_FIELDS if zh == item)
    assert f'required package-label item "{english}"' in problems[0].message
    set_language("zh")
    try:
        assert f"缺少包装标识必备项「{item}」" in problems[0].message
    finally:
        set_language("en")


def test_other_fields_that_show_an_item_pass(tmp_path: Path) -> None:
    best_before = _edit('text = "保质期 {product.shelf_life}"', 'text = "保质期至 {lot.best_before}"')
    assert _problems(tmp_path, best_before) == []
    days = _edit('text = "保质期 {product.shelf_life}"', 'text = "保质期 {product.shelf_life_days} 天"')
    assert _problems(tmp_path, days) == []


def test_a_field_only_in_the_qr_does_not_show_it(tmp_path: Path) -> None:
    text = _edit('text = "{product.certifications}"', 'text = "绿色食品"')
    text = _edit('data = "{payload}"', 'data = "{payload}#{product.certifications}"', text)
    assert [k for k, _ in _problems(tmp_path, text)] == ["tpl.mandatory_missing"]


def test_which_templates_are_trace_labels(tmp_path: Path) -> None:
    bare = _edit('text = "{product.name}"', 'text = "牟定腐乳"')
    undeclared = _edit('kind = "trace"\n', "", bare)  # its QR carries the label's own code: a trace label
    assert [k for k, _ in _problems(tmp_path, undeclared)] == ["tpl.mandatory_missing"]
    assert _problems(tmp_path, _edit('kind = "trace"', 'kind = "other"', bare)) == []
    no_code = _edit('data = "{payload}"', 'data = "{roll.id}"', undeclared)
    no_code = _edit('type = "code"\n', 'type = "text"\ntext = "{roll.id}"\n', no_code)
    assert _problems(tmp_path, no_code) == []


# --- the gap ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gap", "ok"), [(0, True), (1.9, False), (2, True), (3.5, True), (25.4, True), (25.5, False)])
def test_a_gap_the_printer_cannot_follow_is_refused(tmp_path: Path, gap: float, ok: bool) -> None:
    text = _edit('kind = "trace"\n', f'kind = "trace"\ngap_mm = {gap}\n')
    for lang in (None, *GAP_LIMITS_MM):
        expected = [] if ok else [("tpl.gap_unprintable", _line(text, "gap_mm"))]
        assert _problems(tmp_path, text, lang) == expected


# --- where the checks run -----------------------------------------------------------------------------------


def test_every_shipped_template_passes_for_every_printer() -> None:
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        for lang in (None, *GAP_LIMITS_MM):
            problems, _ = check_template(load_template_file(path), RENDERER, lang)
            assert problems == [], (path.name, lang, [p.message for p in problems])


def test_a_template_loaded_to_print_is_refused_with_every_problem_and_line(tmp_path: Path) -> None:
    text = _edit('id = "footer"', 'id = "code"', _edit('text = "{lot.status}"', 'text = "{lot.status"'))
    path = _write(tmp_path, text, "trace-40x30")
    with pytest.raises(TemplateError) as info:
        load_template("trace-40x30", tmp_path)
    assert info.value.key == "tpl.refused"
    message = info.value.message
    assert f"trace-40x30.toml, line {_line(text, '{lot.status')}: " in message and "has no closing }" in message
    assert "id 'code' is already used by element 8 (code, code)" in message
    with pytest.raises(TemplateError, match="fails its checks"):
        load_template(str(path))
    assert load_template_file(path).name == "trace-40x30"  # reading alone, as `label check` does, still works


def test_source_lines_find_keys_past_multi_line_strings_and_quoted_keys() -> None:
    text = 'title = """a\nb = 1\n"""\n"width_mm" = 40\n[[element]]\n  type = "qr"\n[[ element ]]\nx_mm = 1\n'
    lines = source_lines(text)
    assert lines[(0, "title")] == 1 and (0, "b") not in lines and lines[(0, "width_mm")] == 4
    assert lines[(1, "")] == 5 and lines[(1, "type")] == 6 and lines[(2, "")] == 7 and lines[(2, "x_mm")] == 8


def test_a_bad_setting_names_its_line(tmp_path: Path) -> None:
    text = _edit("size_mm = 3.2\n", "size_mm = 3.2\ncolour = 1\n")
    with pytest.raises(TemplateError) as info:
        load_template_file(_write(tmp_path, text))
    assert info.value.params["line"] == _line(text, "colour")


def test_label_check_prints_each_problem_with_its_line(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    text = _edit(
        'text = "{lot.status}"', 'text = "{lot.status[0]}"', _edit('kind = "trace"\n', 'kind = "trace"\ngap_mm = 1\n')
    )
    path = _write(tmp_path, text)
    human = station("label", "check", str(path))
    assert human.code == 1
    assert f"mine.toml, line {_line(text, 'lot.status[0]')}: label template mine, element 9" in human.out
    assert f"mine.toml, line {_line(text, 'gap_mm')}: label template mine: gap_mm = 1 is beyond the printer (tspl)" in (
        human.out
    )
    report = station("label", "check", str(path), "--json").json()
    assert report["ok"] is False and len(report["problems"]) == 2
    assert [(d["key"], d["line"]) for d in report["details"]] == [
        ("tpl.placeholder_bad", _line(text, "lot.status[0]")),
        ("tpl.gap_unprintable", _line(text, "gap_mm")),
    ]
    broken = _write(tmp_path, _edit("size_mm = 3.2\n", "size_mm = 3.2\ncolour = 1\n"), "broken")
    refused = station("label", "check", str(broken), "--json")
    assert refused.code == 1 and refused.json()["details"][0]["key"] == "tpl.unknown_key"


# --- the gap in the print job ---------------------------------------------------------------------------------


class _Collector:
    """A TCP peer that keeps every byte sent to it: what the printer would have received."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.data = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def uri(self) -> str:
        return f"socket://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk

    def close(self) -> bytes:
        self.thread.join(timeout=5)
        self.sock.close()
        return bytes(self.data)


def _print_one_label(home: Home, template_text: str | None) -> bytes:
    from station.run_setup import open_run, run_options

    if template_text is not None:
        (home.path / "label_templates").mkdir(exist_ok=True)
        (home.path / "label_templates" / "trace-40x30.toml").write_text(template_text, encoding="utf-8")
    eid, pid = _enterprise_product(home)
    order = issue_codes(home, eid, pid, 1).order
    collector = _Collector()
    frames = home.path / "frames"
    frames.mkdir(exist_ok=True)
    options = run_options(home.config, order)
    with open_run(home, options, printer_uri=collector.uri, lang="tspl", camera_uri=f"dir://{frames}") as run:
        image = Renderer().render(run.template, run.shared | {"payload": "https://t.example.org/c/1"}).image
        run.printer.print_image(image, confirm=False)
        run.printer.close()
    return collector.close()


def _enterprise_product(home: Home) -> tuple[int, int]:
    from station.registry import add_enterprise, add_product, review_enterprise

    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    return eid, add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)


def _reachable_home(path: Path) -> Home:
    """A new data directory whose labels point at an address a print run accepts."""
    from tests.run_helpers import REACHABLE_SETTINGS

    path.mkdir(mode=0o700)
    (path / "station.toml").write_text(REACHABLE_SETTINGS, encoding="utf-8")
    home = Home.open(path, operator="tester")
    home.init()
    return home


def test_the_templates_gap_goes_in_the_print_job_and_the_settings_gap_without_one(tmp_path: Path) -> None:
    home = _reachable_home(tmp_path / "a")
    own = _print_one_label(home, _edit('kind = "trace"\n', 'kind = "trace"\ngap_mm = 3.5\n'))
    assert b"\r\nGAP 3.5 mm,0 mm\r\n" in own
    other = _reachable_home(tmp_path / "b")
    assert b"\r\nGAP 2 mm,0 mm\r\n" in _print_one_label(other, None)  # [printer] gap_mm


def test_a_run_with_a_bad_template_sends_nothing_to_the_printer(tmp_path: Path) -> None:
    from station.run_setup import open_run, run_options

    home = _reachable_home(tmp_path / "a")
    (home.path / "label_templates").mkdir(exist_ok=True)
    bad = _edit('kind = "trace"\n', 'kind = "trace"\ngap_mm = 1\n')
    (home.path / "label_templates" / "trace-40x30.toml").write_text(bad, encoding="utf-8")
    eid, pid = _enterprise_product(home)
    order = issue_codes(home, eid, pid, 1).order
    collector = _Collector()
    with (
        pytest.raises(TemplateError) as info,
        open_run(home, run_options(home.config, order), printer_uri=collector.uri),
    ):
        pass
    assert info.value.key == "tpl.refused" and "gap_mm = 1 is beyond the printer (tspl)" in info.value.message
    with socket.create_connection(("127.0.0.1", collector.sock.getsockname()[1])):
        pass  # lets the collector finish: nothing was sent before
    assert collector.close() == b""
