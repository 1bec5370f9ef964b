"""No internal words in Chinese: every screen of the app and every command's output for people, read whole.

A county with a day's work behind it (issued, printed with a reject, picked up, bound, voided, queried, reported)
is shown on every screen the app registers (StationApp.MODES, so a screen added later is read too) and run
through every `station` command that shows something (a command added later fails here until it is listed). What
they show in Chinese may hold ASCII only as codes, numbers, units, addresses and file paths, the names the
county's own data gives, and the few names below that have no Chinese of their own. Anything else is a word from
inside the program (an event kind, a setting's key, a status, a library's English) that a clerk cannot read.
`--help` and `--json` are left out: help is for whoever installs the station, JSON for scripts.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from station.home import Home
from station.tui import build
from tests.snapshot_county import LedgerClock, build_busy_county, frozen_time, print_still

# Names a clerk reads as they are, in Chinese too, kept short:
# - formats, protocols and filings as the devices, their boxes and the forms print them (ICP备案);
NAMES = {"ESC", "POS", "TSPL", "ZPL", "QR", "GTIN", "USB", "CSV", "XLSX", "JSON", "HTTP", "HTTPS", "UTC", "ICP"}
# - the databases by their names, and the PIN a clerk types;
NAMES |= {"SQLite", "PostgreSQL", "PIN"}
# - keys as printed on their caps;
NAMES |= {"Ctrl", "Esc", "Enter", "Tab", "Shift", "Space", "Backspace", "PgUp", "PgDn", "Home", "End", "Del", "Ins"}
# - the printers' own calibration commands (TSPL GAPDETECT, BLINEDETECT; ZPL ~JC), as their manuals name them;
NAMES |= {"GAPDETECT", "BLINEDETECT", "JC"}
# - the other language's own name, on the key that switches to it.
NAMES |= {"English"}
# Units are written as their symbols.
UNITS = {"mm", "dpi", "ms", "s", "fps", "px", "KB", "MB", "GB", "min", "h"}
FILE_ENDINGS = ("toml", "log", "csv", "xlsx", "json", "xml", "png", "svg", "key", "db", "bin", "tar", "gz")
# what a device search finds on this machine is fixed (the makers are names the devices report)
FOUND = {
    "printers": [{"uri": "usb://1fc9:2016", "maker": "Xprinter"}],
    "scanners": [{"uri": "usb://05e0:1200", "maker": "Zebra / Symbol"}],
    "serial_ports": [{"uri": "serial:///dev/ttyACM0?baudrate=9600", "description": "USB CDC"}],
    "cameras": [{"uri": "/dev/video0"}],
    "notes": [],
}
DEVICE_NAMES = {"Xprinter", "Zebra", "Symbol", "CDC"}
TOKEN = re.compile(r"[A-Za-z0-9_.:/@\-~%#=?&']+")


def internal_words(text: str, names: set[str]) -> list[str]:
    """The ASCII words of ``text`` that are not codes, numbers, units, addresses, paths or ``names``."""
    found = []
    for token in TOKEN.findall(text):
        if token.startswith("--") or "://" in token:  # a command's option as it is typed, an address's scheme
            continue
        word = token.strip(".:-/'#=?&~%")
        if not re.search("[A-Za-z]", word):
            continue
        if "://" in word or "/" in word or "@" in word:  # an address, a path, operator@station
            continue
        if re.search("[0-9]", word):  # a code, a number with its unit, a key such as F12
            continue
        if "." in word and word.rsplit(".", 1)[1].lower() in FILE_ENDINGS:  # a file's name
            continue
        if len(word) == 1 or word in NAMES or word in UNITS or word in names:  # a grade, a unit, a name
            continue
        if re.fullmatch("STATION_[A-Z_]+", word):  # an environment variable a script sets, named as it is typed
            continue
        found.append(word)
    return found


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The snapshots' county, and then an order printed with a spoiled label (a reject), a lost roll voided, the
    order waiting to print cancelled, and an order whose run paused when the paper ran out."""
    from drivers.emulators.printer import PrinterFaults
    from station.issue import issue_codes
    from station.texts import set_language
    from station.voids import cancel_order, void_roll

    path = tmp_path_factory.mktemp("words") / "home"
    with pytest.MonkeyPatch.context() as mp, frozen_time(mp, LedgerClock()):
        facts = build_busy_county(path)
        home = Home.open(path, operator="快照")
        try:
            ledger: Any = home.ledger
            first = ledger.orders()[0]
            waiting = ledger.orders()[-1]["id"]
            order = issue_codes(home, first["enterprise_id"], first["product_id"], 6).order
            set_language("zh")  # the office works in Chinese: a reject's and a pause's reasons are recorded in it
            result = print_still(home, order, PrinterFaults(spoil_labels=frozenset({3})))
            assert result.status == "done" and result.rejected, result
            void_roll(home, facts["rolls"][1], "整卷丢失")
            cancel_order(home, waiting, "企业改订")
            paused = issue_codes(home, first["enterprise_id"], first["product_id"], 4).order
            result = print_still(home, paused, PrinterFaults(paper_out_after=2), fault_timeout_s=1)
            assert result.status == "paused", result
            names = {ent["name"] for ent in ledger.enterprises()} | {p["name"] for p in ledger.products()}
            names |= {home.config.station.id, home.operator}
        finally:
            home.close()
    words = {w for name in names for w in re.findall("[A-Za-z]+", name)}
    facts.update(path=path, order=order, paused=paused, names=words | DEVICE_NAMES)
    yield facts


def _text(app: Any) -> str:
    """Everything the screen shows, as plain text (read from the app's own screenshot)."""
    svg = app.export_screenshot(title=" ")  # the screen, not the window's title
    return html.unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")


async def _until(pilot: Any, done: Any, timeout_s: float = 10.0) -> None:
    """Wait until ``done()`` holds (a worker's rows, a question shown)."""
    for _ in range(int(timeout_s / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there in time")


async def _settled(pilot: Any, timeout_s: float = 10.0) -> str:
    """The screen once its workers have filled it and it stops changing, and every row of its tables (those
    scrolled out of sight too)."""
    before = _text(pilot.app)
    for _ in range(int(timeout_s / 0.15)):
        await pilot.pause(0.15)
        now = _text(pilot.app)
        if now == before:
            break
        before = now
    return before + "\n" + _rows(pilot.app)


def _rows(app: Any) -> str:
    """Every cell of every table on the screen, as the table draws it."""
    from textual.widgets import DataTable

    cells = []
    for table in app.screen.query(DataTable):
        cells += [str(column.label) for column in table.columns.values()]
        for row in range(table.row_count):
            cells += [str(cell) for cell in table.get_row_at(row)]
    return "\n".join(cells)


@contextmanager
def emulated_devices(home: Path) -> Iterator[None]:
    """The printer, camera and scanner the home's settings name, running on loopback as the demo runs them."""
    from drivers.emulators.camera import Imaging, Scene, VirtualCamera
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.scanner import VirtualScanner
    from drivers.emulators.servers import TcpPrinterServer

    printer = VirtualPrinter("tspl", out_dir=home / "printed-words")
    scene = Scene()
    scene.attach(printer)
    with (
        TcpPrinterServer(printer) as server,
        VirtualCamera(scene, Imaging(seed=7), fps=10) as camera,
        VirtualScanner(suffix="CR", link=home / "scanner-tty") as scanner,
    ):
        (home / "station.toml").write_text(
            f'[printer]\nuri = "{server.uri}"\nlang = "tspl"\n[verify]\ncamera = "{camera.url}"\n'
            f'[pickup]\nscanner = "{scanner.uri}"\n'
            '[codes]\nbase_url = "https://trace.mouding.gov.cn/c"\n',  # orders issued from now on can be printed
            encoding="utf-8",
        )
        yield


FORMS = (  # name, the screen it opens over, its key, a field it shows first
    ("register", "enterprises", "g", "#r-name"),
    ("product_edit", "enterprises", "m", "#p-name"),
    ("new_lot", "lots", "n", "#l-product"),
    ("bind", "lots", "k", "#scanner"),
)


def test_every_screen_speaks_chinese(county: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each screen of StationApp.MODES, the sign-in screen, and the lookup screen answering a code with a
    history; in Chinese, with the county's rows in the tables and its devices (emulated) answering."""
    monkeypatch.setattr("station.devices.list_devices", lambda: FOUND)
    home = tmp_path / "home"
    shutil.copytree(county["path"], home)
    module = build("zh")
    shown: dict[str, str] = {}

    async def walk(pilot: Any) -> None:
        shown["sign_in"] = await _settled(pilot)
        app = pilot.app
        app.operator, app.role = "快照", "admin"
        app.signed_in()
        for mode in module.StationApp.MODES:
            await app.switch_mode(mode)
            await pilot.pause()
            if mode == "lookup":
                app.screen.query_one("#code").value = county["code"]
                await app.screen.query_one("#code").action_submit()
            shown[mode] = await _settled(pilot)
        await app.switch_mode("issue")  # the question before issuing, naming how many codes for whom
        await _until(pilot, lambda: app.screen.query_one("#choices").row_count > 0)
        app.screen.query_one("#choices").focus()
        await pilot.press("enter", *"2000", "enter")
        await _until(pilot, lambda: bool(app.screen.query("#question")))
        shown["confirm"] = await _settled(pilot)
        await pilot.press("escape")
        for name, mode, key, first in FORMS:  # the forms opened over a screen's list
            await app.switch_mode(mode)
            await _until(pilot, lambda: app.screen.query_one("#list").row_count > 0)
            await pilot.pause(0.2)
            await pilot.press(key)
            await _until(pilot, lambda first=first: bool(app.screen.query(first)))
            shown[name] = await _settled(pilot)
            await pilot.press("escape")
        app.role = "clerk"  # a clerk asks for the settings: refused, naming the role and what it may not do
        app.action_open("settings")
        await _settled(pilot)
        shown["refusal"] = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))  # over the keys

    try:
        app = module.StationApp(home, "快照", None)
        with pytest.MonkeyPatch.context() as mp, frozen_time(mp), emulated_devices(home):

            async def run() -> None:
                async with app.run_test(size=(160, 50), notifications=True) as pilot:
                    await walk(pilot)

            import asyncio

            asyncio.run(run())
    finally:
        build("en")
    assert set(shown) == {"sign_in", "confirm", "refusal", *module.StationApp.MODES, *(f[0] for f in FORMS)}
    assert "2000" in shown["confirm"], shown["confirm"]
    assert "办事员" in shown["refusal"], shown["refusal"]
    assert "发码" in shown["lookup"], shown["lookup"]  # the code's history is there to be read
    leaks = {screen: sorted(set(internal_words(text, county["names"]))) for screen, text in shown.items()}
    assert not any(leaks.values()), "\n".join(_told(leaks[s], shown[s], s) for s in shown if leaks[s])


NOT_RUN = {  # commands that show nothing to read here, each with why
    "demo": "opens the app on its own emulated devices (the app's screens are read above)",
    "emulate camera": "a device emulator, running until stopped",
    "emulate printer": "a device emulator, running until stopped",
    "emulate scanner": "a device emulator, running until stopped",
    "serve": "the query service, running until stopped (its pages are checked in test_query_public_text)",
    "export epcis": "GS1 EPCIS, a document for other systems",
    "export lot": "a lot's whole trace as JSON, a document for other systems",
}


def _commands(group: click.Group, prefix: str = "") -> Iterator[str]:
    """The full name of every command (``void roll``), and of each group that shows something when run alone."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the root lists the commands it imports on demand too
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + name + " ")
            if command.invoke_without_command:
                yield prefix + name
        else:
            yield prefix + name


def _runs(county: dict[str, Any], tmp: Path) -> list[tuple[str, list[str]]]:
    """Each command with the arguments it is run with: reading first, then changing the county's copy."""
    code, rolls, order, paused = county["code"], county["rolls"], county["order"], county["paused"]
    new = paused + 1  # the order `station issue` makes below
    bad_code = code[:-1] + str((int(code[-1]) + 1) % 10)
    printed = sorted((county["path"] / "printed").glob("*.png"))[1]
    label = Path(__file__).resolve().parent.parent / "label_templates" / "trace-40x30.toml"
    for printer in ("test.bin", "header.bin", "slip.bin"):  # a file:// printer writes to a device that exists
        (tmp / printer).touch()
    return [
        ("lookup", [code]),
        ("lookup", [bad_code]),
        ("check", [code]),
        ("check", [bad_code]),
        ("stats", []),
        ("reports", []),
        ("audit verify", []),
        ("audit anchor", ["--out", str(tmp / "anchor.txt")]),
        ("devices", []),
        ("enterprise list", []),
        ("product list", []),
        ("lot list", []),
        ("operator list", []),
        ("settings", []),
        ("label list", []),
        ("label check", [str(label)]),
        ("label render", ["--code", code, "--out", str(tmp / "label.png")]),
        ("verify-image", [str(printed), "--expect", code]),
        ("export codes", ["--order", "1", "--lang", "zh"]),  # without --lang: column names for scripts
        ("export grades", ["--order", str(order)]),
        ("export orders", []),
        ("export pickups", []),
        ("export runs", []),
        ("backup", ["--out", str(tmp / "backup.tar")]),
        ("init", []),
        ("print-test", ["--printer", f"file://{tmp}/test.bin"]),
        ("reprint header", [rolls[0], "--reason", "标签破损", "--printer", f"file://{tmp}/header.bin", "--yes"]),
        ("reprint slip", ["1", "--reason", "企业遗失", "--slip-printer", f"file://{tmp}/slip.bin", "--yes"]),
        ("enterprise add", ["--name", "牟定县测试厂", "--credit-code", "91532323MA6N0FRU1X"]),
        ("enterprise apply", ["--name", "牟定县新厂", "--credit-code", "91532323MA6N0ABC1X"]),
        (
            "enterprise apply",
            ["--name", "牟定县新厂", "--credit-code", "91532323MA6N0ABC1B", "--qualification", "绿色食品"]
            + ["--licence", "business:91532323MA6N0ABC1B", "--licence", "food:JY15323230012345:2026-01-31"],
        ),
        ("enterprise apply", ["--name", "牟定县又一厂", "--credit-code", "91532323MA6N0ABC1B", "--licence", "x:1"]),
        ("enterprise add", ["--name", "牟定县测试厂", "--credit-code", "91532323MA6N0FRU1E", "--contact", "0878"]),
        ("enterprise review", ["4", "--decision", "approve"]),
        ("enterprise approve", ["3", "--reason", "材料齐全"]),
        ("enterprise reject", ["4", "--reason", "材料不全"]),
        ("enterprise blacklist", ["3", "--reason", "假冒"]),
        ("enterprise unblacklist", ["3", "--reason", "整改完成"]),
        (
            "product add",
            ["--enterprise", "1", "--name", "牟定酱", "--origin", "532323101001", "--gtin", "6901234567890"],
        ),
        ("product add", ["--enterprise", "1", "--name", "牟定酱", "--origin", "532323101001"]),
        ("product edit", ["2", "--shelf-life", "200", "--cert", "地理标志"]),
        ("product edit", ["2", "--gtin", "6901234567890"]),
        ("lot add", ["--product", "1", "--number", "MD20261201", "--date", "2026-12-01", "--quantity", "10 瓶"]),
        ("lot inspect", ["4", "--result", "pass", "--report", "楚雄州食品检验所 2026-1201"]),
        ("lot release", ["4"]),
        ("lot recall", ["4", "--reason", "抽检不合格"]),
        ("issue", ["--enterprise", "1", "--product", "1", "--count", "5"]),
        ("run", ["--order", str(new), "--roll-size", "10"]),  # the order just issued
        ("run", ["--order", str(paused), "--resume"]),  # the run that paused on paper out
        ("export runs", []),
        ("pickup", ["--enterprise", "1", "--receiver", "李四", "--codes", f"R{new:06d}0001"]),
        ("pickup-undo", ["2", "--reason", "领错"]),
        ("pickup", ["--enterprise", "1", "--receiver", "李四", "--codes", f"R{new:06d}0001"]),
        ("bind", ["--lot", "1", "--roll", f"R{new:06d}0001"]),
        ("bind", ["--lot", "2", "--roll", rolls[0]]),
        ("issue", ["--enterprise", "1", "--product", "1", "--count", "5"]),
        ("void code", [code, "--reason", "企业报失", "--yes"]),
        ("void roll", [rolls[0], "--reason", "整卷丢失", "--yes"]),
        ("void order", [str(new + 1), "--reason", "企业改订", "--yes"]),
        ("printer models", []),
        ("printer calibrate", []),  # the emulated printer measures the label
        ("certificate issue", ["--lot", "1", "--count", "2"]),
        ("certificate list", []),
        ("export certificates", ["--lang", "zh"]),
        ("issue", ["--enterprise", "1", "--product", "1", "--count", "3"]),
        ("hidden mark", ["--order", str(new + 2)]),
        ("run", ["--order", str(new + 2), "--roll-size", "10"]),
        ("export hidden", ["--order", str(new + 2), "--out", str(tmp / "hidden.csv"), "--for", "楚雄刮刮膜印刷厂"]),
        ("hidden prune", []),
        ("verify-camera", ["--expect", code]),
        ("print-test", ["--printer", "socket://127.0.0.1:9"]),  # nothing listens there: the system's refusal
        ("settings set", ["station.timezone", "Mars/Olympus"]),
        ("settings set", ["printer.uri", "socket://127.0.0.1:9100"]),
        ("operator add", ["王五", "--role", "clerk", "--pin", "135790"]),
        ("operator pin", ["王五", "--pin", "246801"]),
        ("operator disable", ["王五"]),
        ("operator enable", ["王五"]),
        ("restore", [str(tmp / "backup.tar"), "--replace"]),
    ]


AS_CLERK = [  # what a clerk may not do: the refusal names the role and the action in words
    ("enterprise approve", ["3", "--reason", "材料齐全"]),
    ("settings set", ["station.timezone", "UTC"]),
    ("void code", ["65092431050208598440", "--reason", "企业报失", "--yes"]),
]


def test_every_command_speaks_chinese(county: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command run as a clerk would, on a copy of the county, its output (and errors) in Chinese."""
    import importlib

    from drivers.printers.models import catalogue
    from station.cli.root import COMMAND_MODULES, cli
    from station.config import Config
    from station.settings import all_settings

    for module in set(COMMAND_MODULES.values()):  # in one process: every command registered before any runs
        importlib.import_module(f"station.cli.{module}")
    monkeypatch.setattr("station.devices.list_devices", lambda: FOUND)
    home = tmp_path / "home"
    shutil.copytree(county["path"], home)
    runs = _runs(county, tmp_path)
    listed = {name for name, _ in runs} | set(NOT_RUN)
    keys = {s.key for s in all_settings(Config())}  # what `station settings set` takes, shown beside each name
    makers = {w for m in catalogue().values() for w in re.findall("[A-Za-z]+", m.name)}  # `station printer models`
    assert sorted(set(_commands(cli)) - listed) == [], "a command nobody reads here: list it in _runs or NOT_RUN"
    runner = CliRunner(env={"STATION_BACKUP_PASSPHRASE": "牟定县 backup 2026"})  # as a script gives it
    leaks: dict[str, list[str]] = {}
    outputs: dict[str, str] = {}
    try:
        with emulated_devices(home):
            for name, args, who in [(n, a, "管理员") for n, a in runs] + [(n, a, "张三") for n, a in AS_CLERK]:
                pin = {"管理员": "0000", "张三": "1111"}[who]  # station.demo.DEMO_OPERATORS
                result = runner.invoke(
                    cli,
                    ["--home", str(home), "--lang", "zh", "--operator", who, *name.split(), *args],
                    env={"STATION_PIN": pin},
                )
                shown = result.output  # standard output and standard error, as a terminal shows them
                assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
                assert shown.strip(), f"station {name} showed nothing"
                outputs[f"{name} {' '.join(args)}"] = shown
                words = sorted(set(internal_words(shown, county["names"] | keys | makers)))
                if words:
                    leaks[f"{name} {' '.join(args)}"] = words
    finally:
        build("en")
    assert not leaks, "\n".join(_told(words, outputs[name], "station " + name) for name, words in leaks.items())


def _told(words: list[str], text: str, where: str) -> str:
    """Each internal word found, with the text around it."""
    lines = [f"{where}:"]
    for word in words:
        at = text.find(word)
        lines.append(f"  {word}: …{text[max(0, at - 40) : at + 40]}…".replace("\n", " "))
    return "\n".join(lines)


def test_a_printer_that_refuses_is_said_in_words(county: dict[str, Any], tmp_path: Path) -> None:
    """The home screen with nothing listening at the printer's address: the system's refusal in Chinese."""
    home = tmp_path / "home"
    shutil.copytree(county["path"], home)
    module = build("zh")
    shown: list[str] = []

    async def run() -> None:
        app = module.StationApp(home, "快照", "admin")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            shown.append(await _settled(pilot))

    try:
        with emulated_devices(home):
            text = (home / "station.toml").read_text(encoding="utf-8")
            (home / "station.toml").write_text(re.sub(r"socket://[0-9.:]+", "socket://127.0.0.1:9", text))
            import asyncio

            asyncio.run(run())
    finally:
        build("en")
    assert "对方拒绝连接" in shown[0], shown[0]
    assert internal_words(shown[0], county["names"]) == []


@pytest.mark.parametrize("uri", ["http://127.0.0.1:9/stream.mjpg", "/dev/video97"])
def test_a_camera_that_fails_is_said_in_words(uri: str) -> None:
    """A camera that cannot be opened is told in Chinese: the driver's key, looked up in the catalogue."""
    from station.devices import camera_status
    from station.texts import set_language

    set_language("zh")
    error = camera_status(uri).error or ""
    assert error.startswith("摄像头故障")
    assert internal_words(error, set()) == [], error


def test_a_scanner_that_fails_is_said_in_words(tmp_path: Path) -> None:
    """A scanner whose port is not there is told in Chinese, the system's reason too."""
    from station.devices import check_scanner
    from station.texts import set_language

    set_language("zh")
    error = check_scanner(f"serial://{tmp_path}/no-scanner?suffix=CR").error or ""
    assert error.startswith("扫码枪故障")
    assert internal_words(error, set()) == [], error


def test_every_driver_error_has_a_text_in_both_languages() -> None:
    """Each code the drivers list (drivers.errors.ENGLISH) is in the catalogue, in Chinese and English, with the
    same parameters; and every code the drivers' sources raise is on that list."""
    import string

    import drivers
    from drivers.errors import ENGLISH
    from station.texts import TEXTS

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    missing = sorted(set(ENGLISH) - set(TEXTS))
    assert missing == [], "driver error codes with no text in station/texts"
    for code, english in ENGLISH.items():
        zh, en = TEXTS[code]
        assert fields(zh) == fields(en) == fields(english), code
        assert zh != en and re.search("[\u4e00-\u9fff]", zh), code
    raised: set[str] = set()
    for source in Path(drivers.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        raised |= set(re.findall(r"(?:Fault|Error)\(\s*\"([a-z_.]*[a-z_])\"", text))
        raised |= {"dev.scanner." + kind for kind in re.findall(r"_fail\(\s*\"([a-z_]+)\"", text)}
        raised |= set(re.findall(r"\"(dev\.camera\.[a-z_]+)\"", text))  # the codes a camera keeps for later
    assert len(raised) > 30 and sorted(raised - set(ENGLISH)) == []


def test_every_setting_has_a_name_and_a_hint() -> None:
    """A setting added to station.toml is named, with what it accepts, in both languages (station/texts/settings.py)."""
    from station.config import Config
    from station.settings import all_settings
    from station.texts import TEXTS

    keys = [s.key for s in all_settings(Config())]
    missing = [k for k in keys for key in (f"setting.{k}", f"setting.{k}.allowed") if key not in TEXTS]
    assert missing == []
    unnamed = {
        k: internal_words(TEXTS[f"setting.{k}"][0] + " " + TEXTS[f"setting.{k}.allowed"][0], set()) for k in keys
    }
    assert {k: w for k, w in unnamed.items() if w} == {}
