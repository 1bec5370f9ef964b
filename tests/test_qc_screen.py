"""The QC screen and the pictures of the app, driven with Pilot on an order printed and verified on the emulators
(two labels spoiled by the printer, so two real rejects with their saved pictures), and pinned as snapshots in
Chinese and English. Pictures are half-blocks here: the tests never ask the terminal for graphics."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from station.home import Home
from station.texts import t
from station.tui import build
from tests.snapshot_county import KEY_HEX, LedgerClock, frozen_time

SPOILED = frozenset({4, 11})  # printed labels 1 and 14 are roll headers: these are two codes' labels


def print_spoiled(home: Home, order_id: int) -> Any:
    """Print and verify an order with the real drivers, the printer emulator on 127.0.0.1 spoiling two labels and
    the virtual camera held still (the same frame, and grade, whichever frame the run reads)."""
    from drivers.cameras import open_camera
    from drivers.emulators.camera import Imaging, Scene, VirtualCamera
    from drivers.emulators.printer import PrinterFaults, VirtualPrinter
    from drivers.emulators.servers import TcpPrinterServer
    from drivers.printers.encoders import JobOptions
    from drivers.printers.printer import LabelPrinter
    from station.run import PrintRun, RunOptions

    faults = PrinterFaults(spoil_labels=SPOILED)
    printer = VirtualPrinter("tspl", faults=faults, out_dir=home.path / "printed", speed_mm_s=300)
    scene = Scene()
    scene.attach(printer)
    still = Imaging(jitter_px=0, rotation_deg=0, perspective=0, noise_sigma=0, seed=7)
    with (
        TcpPrinterServer(printer) as server,
        VirtualCamera(scene, still, fps=30) as camera_server,
        open_camera(camera_server.url) as camera,
        LabelPrinter(server.uri, "tspl", JobOptions()) as driver,
    ):
        camera.latency_s = home.config.verify.latency_s
        options = RunOptions(order_id=order_id, roll_size=12, fault_timeout_s=30)
        return PrintRun(home, options, driver, camera).execute()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A data directory with one order of 22 codes printed: 22 verified, 2 rejected, each reject's picture saved."""
    import os

    from station.issue import issue_codes
    from station.registry import add_enterprise, add_product, review_enterprise
    from station.texts import set_language

    set_language("en")  # the reasons are recorded in the language of the day
    path = tmp_path_factory.mktemp("qc") / "home"
    path.mkdir()
    key = path / "code.key"
    key.write_text(KEY_HEX + "\n", encoding="ascii")
    os.chmod(key, 0o600)
    with pytest.MonkeyPatch.context() as mp, frozen_time(mp, LedgerClock()):
        home = Home.open(path, operator="质检员")
        home.init()
        eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
        review_enterprise(home.ledger, eid, "approve")
        pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
        order = issue_codes(home, eid, pid, 22).order
        report = print_spoiled(home, order)
        waiting = issue_codes(home, eid, pid, 5).order  # another order, not printed: nothing checked
        home.close()
    assert report.status == "done" and report.verified == 22, report
    assert len(report.rejected) == 2 and all(r.picture for r in report.rejected), report.rejected
    yield {"path": path, "order": order, "waiting": waiting, "report": report}


def test_the_run_records_each_checks_parameters_and_each_rejects_causes(printed: dict[str, Any]) -> None:
    from station.qc import PARAMETERS

    home = Home.open(printed["path"])
    try:
        checks = list(home.ledger.events_of(["code.verify", "code.reject"]))
    finally:
        home.close()
    assert len(checks) == 24
    for event in checks:
        recorded = event["data"]["parameters"]
        assert set(recorded) == set(PARAMETERS) and all(0 <= grade <= 4 for _v, grade in recorded.values())
        if event["kind"] == "code.verify":
            assert min(grade for _v, grade in recorded.values()) == int(event["data"]["grade"])
    causes = [e["data"]["causes"] for e in checks if e["kind"] == "code.reject"]
    assert len(causes) == 2 and all(c and all(":" in x or x in ("no_code", "wrong_code") for x in c) for c in causes)


async def _open_qc(pilot: Any) -> Any:
    await pilot.press("f7")
    screen = pilot.app.screen
    await _until(pilot, lambda: getattr(screen, "summary", None) is not None)
    return screen


async def _until(pilot: Any, done: Any, timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there in time")


def _app(printed: dict[str, Any], lang: str = "en") -> Any:
    return build(lang).StationApp(printed["path"], "质检员", "qc")


async def test_pages_of_checks_and_of_rejects(printed: dict[str, Any]) -> None:
    app = _app(printed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_qc(pilot)
        table = screen.query_one("#rejects")
        assert table.row_count == 2  # the rejects, newest first
        assert [r["rejected"] for r in screen.rows] == [True, True] and screen.rows[0]["id"] > screen.rows[1]["id"]
        page = screen.query_one("#page")
        view = t("tui.qc.view_rejects")
        assert str(page.content) == t("tui.qc.page", page=1, pages=1, view=view)
        await pilot.press("v")  # every check: 24, twenty a page
        await _until(pilot, lambda: table.row_count == 20)
        assert str(page.content) == t("tui.qc.page", page=1, pages=2, view=t("tui.qc.view_all"))
        newest = [r["id"] for r in screen.rows]
        await pilot.press("pagedown")
        await _until(pilot, lambda: table.row_count == 4)
        assert str(page.content) == t("tui.qc.page", page=2, pages=2, view=t("tui.qc.view_all"))
        assert max(r["id"] for r in screen.rows) < min(newest)
        await pilot.press("pagedown")  # no page after the last
        await pilot.pause(0.2)
        assert screen.page == 1 and table.row_count == 4
        await pilot.press("pageup")
        await _until(pilot, lambda: table.row_count == 20)
        assert [r["id"] for r in screen.rows] == newest


async def test_filters_narrow_every_figure(printed: dict[str, Any]) -> None:
    app = _app(printed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_qc(pilot)
        letters = screen.query_one("#letters")

        async def filtered(box: str, text: str) -> str:
            for name in ("order", "roll", "since", "until"):
                screen.query_one(f"#{name}").value = ""
            screen.query_one(f"#{box}").focus()
            await pilot.press(*text, "enter")
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            return str(letters.content)

        def totals(checks: int, rejected: int) -> str:
            return t("tui.qc.totals", checks=checks, rejected=rejected, letters="")

        assert str(letters.content).startswith(totals(24, 2).rstrip())
        assert (await filtered("order", str(printed["waiting"]))).startswith(totals(0, 0).rstrip())
        assert (await filtered("order", str(printed["order"]))).startswith(totals(24, 2).rstrip())
        roll = printed["report"].rejected[-1].roll  # a roll with a spoiled label, typed in small letters
        home = Home.open(printed["path"])
        try:
            labels = [state for _pos, serial, state in home.ledger.roll(roll)["labels"] if serial is not None]
        finally:
            home.close()
        voided = sum(1 for r in printed["report"].rejected if r.roll == roll)
        text = await filtered("roll", roll.lower())
        assert text.startswith(totals(len(labels), voided).rstrip()), text
        assert screen.query_one("#rejects").row_count == voided and screen.rows[0]["roll"] == roll
        assert (await filtered("since", "2026-11-21")).startswith(totals(0, 0).rstrip())
        assert (await filtered("until", "2026-11-20")).startswith(totals(24, 2).rstrip())
        assert await filtered("since", "20.11.2026") == t("tui.qc.bad_date", value="20.11.2026")
        assert await filtered("roll", "R0000990001") == t("roll.unknown", id="R0000990001")


async def test_f12_keeps_the_filters_and_shows_the_figures_in_the_other_language(printed: dict[str, Any]) -> None:
    from station.texts import language

    app = _app(printed)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_qc(pilot)
            screen.query_one("#order").value = str(printed["order"])
            await pilot.press("v")
            await pilot.press("f12")
            await _until(pilot, lambda: language() == "zh")
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            assert app.screen.query_one("#order").value == str(printed["order"])
            letters = str(app.screen.query_one("#letters").content)
            assert letters.startswith(t("tui.qc.totals", checks=24, rejected=2, letters="").rstrip()), letters
            assert str(app.screen.query_one("#page").content) == t(
                "tui.qc.page", page=1, pages=2, view=t("tui.qc.view_all")
            )
    finally:
        build("en")


async def test_a_rejects_picture_opens_with_enter_and_closes_with_esc(printed: dict[str, Any]) -> None:
    from station.tui.picture import HalfBlocks, PictureView
    from station.tui.qc_screen import QcScreen

    app = _app(printed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_qc(pilot)
        screen.query_one("#rejects").focus()
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, PictureView))
        view = app.screen
        picture = view.query_one(HalfBlocks)
        saved = _saved(screen.rows[0]["picture"])
        assert picture.gray is not None and picture.gray.shape[2] == 3  # in colour: what was found is drawn in red
        assert 0.2 < picture.gray.shape[0] / saved.shape[0] < 0.9  # cut to the label
        assert picture.region.width <= 110 and picture.region.height <= 30  # within the box, not over the screen
        assert screen.rows[0]["code"] in str(view.query_one("#picture-title").content)
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, QcScreen))
        assert app.screen is screen
        await pilot.press("v")  # every check: Enter on a label that passed opens nothing
        await _until(pilot, lambda: len(screen.rows) == 20)
        table = screen.query_one("#rejects")
        table.move_cursor(row=next(i for i, r in enumerate(screen.rows) if not r["rejected"]))
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is screen


def _saved(path: str) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("L"))


async def test_the_issue_screen_previews_the_products_label(printed: dict[str, Any]) -> None:
    from station.tui.picture import HalfBlocks, LabelPreview, PictureView

    app = _app(printed)
    app.role = "admin"
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("f3")
        preview = app.screen.query_one(LabelPreview)
        await _until(pilot, lambda: preview.gray is not None)
        assert preview.gray.shape == (240, 320)  # 40 × 30 mm at 203 dpi
        blocks = preview.query_one(HalfBlocks)
        await pilot.pause(0.1)
        assert (blocks.region.width, blocks.region.height) == (80, 30)  # 4 dots a column, 8 a row
        assert "牟定腐乳" in str(preview.query_one("#preview-title").content)
        preview.focus()
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, PictureView))
        await pilot.press("escape")
        await _until(pilot, lambda: not isinstance(app.screen, PictureView))


async def test_the_print_screen_previews_an_orders_next_label(printed: dict[str, Any]) -> None:
    from station.labels.preview import order_label
    from station.tui.picture import LabelPreview

    app = _app(printed)
    app.role = "admin"
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f5")
        preview = app.screen.query_one(LabelPreview)
        await _until(pilot, lambda: preview.gray is not None)
        assert t("tui.preview.order", order=printed["waiting"]) == str(preview.query_one("#preview-title").content)
        home = Home.open(printed["path"])
        try:
            assert np.array_equal(preview.gray, order_label(home, printed["waiting"]))
            assert order_label(home, printed["order"]) is None  # every code printed
        finally:
            home.close()
        app.screen.run = object()  # a run prints: its own pictures need the room
        await _until(pilot, lambda: not preview.display)
        app.screen.run = None
        await _until(pilot, lambda: preview.display)


def test_pictures_are_half_blocks_unless_the_terminal_draws_images(monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphics only where the terminal answers that it has them: never with STATION_PICTURES=blocks, never when
    the output is not a terminal (as here), never without textual-image."""
    import station.tui.picture as picture

    monkeypatch.setattr(picture, "_graphics", None)
    monkeypatch.setenv("STATION_PICTURES", "blocks")
    assert picture.detect_graphics() is False and picture._graphics is None
    monkeypatch.delenv("STATION_PICTURES")
    assert picture.detect_graphics() is False and picture._graphics is None
    monkeypatch.setitem(__import__("sys").modules, "textual_image.renderable", None)  # not installed
    assert picture.detect_graphics() is False


async def test_a_picture_goes_to_textual_image_where_the_terminal_draws_images(
    printed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graphics path, with textual-image's own half-cell widget standing in for its Kitty and sixel ones (a
    test has no terminal to answer): the label reaches it as an image of the label's own pixels."""
    widgets = pytest.importorskip("textual_image.widget")
    import station.tui.picture as picture

    monkeypatch.setattr(picture, "_graphics", widgets.HalfcellImage)
    app = _app(printed)
    app.role = "admin"
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("f3")
        preview = app.screen.query_one(picture.LabelPreview)
        await _until(pilot, lambda: preview.gray is not None)
        shown = preview.query_one(widgets.HalfcellImage).image
        assert shown is not None and np.array_equal(np.asarray(shown), preview.gray)


def test_the_half_blocks_are_the_label_read_back() -> None:
    """Each cell's two greys are the label's pixels at 4 dots a pixel: the QR read from the cells decodes."""
    import zxingcpp
    from PIL import Image

    from station.labels.preview import cell_pairs, fit_gray

    label = np.asarray(Image.open(Path(__file__).parent / "golden" / "trace-40x30.png").convert("L"))
    pairs = cell_pairs(fit_gray(label, 80, 30))
    assert pairs.shape == (30, 80, 2)
    pixels = pairs.transpose(0, 2, 1).reshape(60, 80)
    assert np.array_equal(pixels[:, :], np.asarray(Image.fromarray(label).resize((80, 60), Image.Resampling.BOX)))
    big = np.kron(pixels, np.ones((4, 4), dtype=np.uint8))
    assert zxingcpp.read_barcodes(big)[0].text.startswith("https://")


def test_the_terminal_preview_scales_by_whole_dots() -> None:
    """On a 100-column terminal a 40 mm label at 203 dpi is shown at 4 dots a column (80 columns), where its QR
    modules stay whole pixels and the code reads; at 3.2 dots a column they would blur."""
    import zxingcpp
    from PIL import Image

    from station.labels.preview import ansi_text

    label = Image.open(Path(__file__).parent / "golden" / "trace-40x30.png")
    text = ansi_text(label, 100)
    palette = {16: 0, 231: 255, **{232 + i: 8 + 10 * i for i in range(24)}}
    rows = []
    for line in text.splitlines():
        upper, lower, colours = [], [], ("231", "231")
        for fg, bg in re.findall(r"(?:\x1b\[38;5;(\d+);48;5;(\d+)m)?▀", line):
            colours = (fg, bg) if fg else colours
            upper.append(palette[int(colours[0])])
            lower.append(palette[int(colours[1])])
        rows += [upper, lower]
    picture = np.array(rows, dtype=np.uint8)
    assert picture.shape == (60, 80)
    assert zxingcpp.read_barcodes(np.kron(picture, np.ones((4, 4), dtype=np.uint8)))[0].text.startswith("https://")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("what", ["qc", "picture", "label"])
def test_snapshot(snap_compare: Any, printed: dict[str, Any], what: str, lang: str) -> None:
    """The QC screen, a reject's picture over it, and the issue screen's label preview at full size (80 × 30)."""
    app = _app(printed, lang)

    async def open_screen(pilot: Any) -> None:
        if what == "label":
            from station.tui.picture import LabelPreview, PictureView

            app.role = "admin"
            await pilot.press("f3")
            preview = app.screen.query_one(LabelPreview)
            await _until(pilot, lambda: preview.gray is not None)
            preview.focus()
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, PictureView))
            await pilot.pause(0.3)
            return
        screen = await _open_qc(pilot)
        if what == "picture":
            screen.query_one("#rejects").focus()
            await pilot.press("enter")
            await _until(pilot, lambda: app.screen is not screen)
        await pilot.pause(0.3)

    try:
        with pytest.MonkeyPatch.context() as mp, frozen_time(mp):
            assert snap_compare(app, terminal_size=(120, 40), run_before=open_screen)
    finally:
        build("en")


def _text(app: Any) -> str:
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")
