"""The `station` command as outside scripts use it: exact commands, exit codes and JSON keys."""

from __future__ import annotations

import csv
import io
import os
import stat

from station.codes import load_key_file, make_code
from tests.conftest import STATION


def _setup(station) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    station("init", check=True)
    ent = station(
        "enterprise", "add", "--name", "牟定县测试腐乳厂", "--credit-code", "91532323MA6N0FRU1E", "--json", check=True
    ).json()
    assert ent["status"] == "pending"
    station("enterprise", "approve", str(ent["id"]), check=True)
    prod = station(
        "product",
        "add",
        "--enterprise",
        str(ent["id"]),
        "--name",
        "牟定腐乳",
        "--origin",
        "532323101001",
        "--json",
        check=True,
    ).json()
    return ent["id"], prod["id"]


def test_init_creates_private_key_and_is_idempotent(station) -> None:  # type: ignore[no-untyped-def]
    first = station("init", check=True)
    key_file = station.home / "code.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    before = key_file.read_bytes()
    second = station("init", check=True)
    assert "already" in second.out and "initialised" in first.out
    assert key_file.read_bytes() == before
    assert (station.home / "station.toml").exists()


def test_commands_need_init(station) -> None:  # type: ignore[no-untyped-def]
    result = station("check", "12345678901234567890")
    assert result.code == 1 and "station init" in (result.out + result.err)


def test_full_flow_with_exact_commands(station) -> None:  # type: ignore[no-untyped-def]
    eid, pid = _setup(station)
    issued = station(
        "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "25", "--json", check=True
    ).json()
    assert set(issued) >= {"order", "first", "last", "count", "seconds"}
    assert issued["count"] == 25 and len(issued["first"]) == 20

    ok = station("check", issued["first"])
    assert ok.code == 0 and "valid" in ok.out
    spaced = " ".join(issued["last"][i : i + 4] for i in range(0, 20, 4))
    assert station("check", spaced).code == 0
    assert station("check", issued["last"][:10] + "-" + issued["last"][10:]).code == 0

    lookup = station("lookup", issued["first"], "--json", check=True).json()
    assert lookup["state"] == "issued"
    assert lookup["enterprise"]["id"] == eid and lookup["product"]["id"] == pid
    assert lookup["order"]["id"] == issued["order"]
    assert [e["kind"] for e in lookup["events"]] == ["order.issued"]

    listed = station("enterprise", "list", "--json", check=True).json()
    assert [e["id"] for e in listed["enterprises"]] == [eid]
    products = station("product", "list", "--json", check=True).json()
    assert [p["id"] for p in products["products"]] == [pid]

    audit = station("audit", "verify")
    assert audit.code == 0 and "intact" in audit.out

    out = station.home / "codes.csv"
    station("export", "codes", "--order", str(issued["order"]), "--format", "csv", "--out", str(out), check=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 25
    assert rows[0]["code"] == issued["first"] and rows[-1]["code"] == issued["last"]
    assert {"code", "serial", "state", "payload"} <= set(rows[0])
    assert rows[0]["payload"].endswith("/" + issued["first"])
    assert "牟定腐乳" in raw.decode("utf-8-sig")


def test_check_reasons_and_exit_codes(station) -> None:  # type: ignore[no-untyped-def]
    eid, pid = _setup(station)
    code = station(
        "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "3", "--json", check=True
    ).json()["first"]
    short = station("check", code[:-1])
    assert short.code == 1 and "20 digits" in short.out

    typo = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    bad_digit = station("check", typo)
    assert bad_digit.code == 1 and "check digit" in bad_digit.out
    assert "position 6" in bad_digit.out and " ".join(code[i : i + 4] for i in range(0, 20, 4)) in bad_digit.out

    from stdnum import damm

    forged_body = code[:9] + "0123456789"
    forged = forged_body + damm.calc_check_digit(forged_body)
    bad_mac = station("check", forged)
    assert bad_mac.code == 1 and "counterfeit" in bad_mac.out

    key = load_key_file(station.home / "code.key")
    unknown = station("check", make_code(key, 999_999))
    assert unknown.code == 1 and "no such code" in unknown.out

    assert station("check", "abc").code == 1
    as_json = station("check", typo, "--json").json()
    assert as_json["valid"] is False and as_json["key"] == "code.bad_check"


def test_chinese_is_the_default_language(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    result = station("check", "1234", lang="zh")
    assert result.code == 1 and "20 位" in result.out


def test_clear_errors_for_bad_input(station) -> None:  # type: ignore[no-untyped-def]
    eid, pid = _setup(station)
    bad_credit = station("enterprise", "add", "--name", "乙", "--credit-code", "123")
    assert bad_credit.code == 1 and "credit code" in bad_credit.err
    bad_json = station("enterprise", "add", "--name", "乙", "--credit-code", "123", "--json")
    assert bad_json.code == 1 and "error" in bad_json.json()
    unknown = station("issue", "--enterprise", "99", "--product", str(pid), "--count", "5")
    assert unknown.code == 1 and "no enterprise with id 99" in unknown.err
    zero = station("issue", "--enterprise", str(eid), "--product", str(pid), "--count", "0")
    assert zero.code == 1 and "count 0" in zero.err
    assert "Traceback" not in bad_credit.err + unknown.err + zero.err


def test_bad_config_file_is_named(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    (station.home / "station.toml").write_text("[codes]\nmax_per_order = -5\n")
    result = station("enterprise", "list")
    assert result.code == 1 and "codes.max_per_order" in result.err and "-5" in result.err


def test_every_command_has_help(station) -> None:  # type: ignore[no-untyped-def]
    import click

    from station.cli import cli

    def walk(group, prefix):  # type: ignore[no-untyped-def]
        ctx = click.Context(group)
        for name in group.list_commands(ctx):  # as help lists them: a command's module loads when it is asked for
            command = group.get_command(ctx, name)
            yield [*prefix, name]
            if isinstance(command, click.Group):
                yield from walk(command, [*prefix, name])

    commands = list(walk(cli, []))
    assert ["enterprise", "unblacklist"] in commands and ["emulate", "camera"] in commands
    for args in [[], *commands]:
        result = station(*args, "--help")
        assert result.code == 0 and "Usage" in result.out, args


def test_blacklist_through_cli(station) -> None:  # type: ignore[no-untyped-def]
    eid, pid = _setup(station)
    station("enterprise", "blacklist", str(eid), "--reason", "假冒", check=True)
    refused = station("issue", "--enterprise", str(eid), "--product", str(pid), "--count", "5")
    assert refused.code == 1 and "blacklisted" in refused.err and "假冒" in refused.err
    listed = station("enterprise", "list", "--json", check=True).json()["enterprises"][0]
    assert listed["blacklisted"] is True


def test_demo_seeds_the_county(station) -> None:  # type: ignore[no-untyped-def]
    result = station("demo", check=True)
    assert "check" in result.out
    enterprises = station("enterprise", "list", "--json", check=True).json()["enterprises"]
    assert len(enterprises) == 3 and any("腐乳" in e["name"] for e in enterprises)
    again = station("demo", check=True)
    assert len(station("enterprise", "list", "--json", check=True).json()["enterprises"]) == 3
    assert again.code == 0


def test_apply_with_documents_and_review(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    applied = station(
        "enterprise",
        "apply",
        "--name",
        "牟定县新申请合作社",
        "--credit-code",
        "91110000600037341L",
        "--licence",
        "business:91110000600037341L",
        "--licence",
        "food:JY15323230001",
        "--qualification",
        "绿色食品",
        "--json",
        check=True,
    ).json()
    assert applied["status"] == "pending"
    assert applied["documents"] == {
        "licences": {"business": "91110000600037341L", "food": "JY15323230001"},
        "qualifications": ["绿色食品"],
    }
    bad = station("enterprise", "apply", "--name", "乙", "--credit-code", "91532323MA6N0FRU1E", "--licence", "tax:1")
    assert bad.code == 1 and "unknown licence kind tax" in bad.err
    refused = station("enterprise", "review", str(applied["id"]), "--decision", "reject")
    assert refused.code == 1 and "reason" in refused.err
    approved = station("enterprise", "review", str(applied["id"]), "--decision", "approve", "--json", check=True)
    assert approved.json()["status"] == "approved"
    assert station("pickup-undo", "7", "--reason", "x").code == 1


def test_apply_with_expiry_dates_and_correct_a_product(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    args = ["enterprise", "apply", "--name", "牟定县有期合作社", "--credit-code", "91110000600037341L"]
    applied = station(*args, "--licence", "food:JY15323230001:2028-06-30", "--json", check=True).json()
    assert applied["documents"]["licences"] == {"food": "JY15323230001"}
    assert applied["documents"]["licence_expiry"] == {"food": "2028-06-30"}
    bad_date = station(*args[:3], "乙", *args[4:], "--licence", "food:JY1:2028-13-01")
    assert bad_date.code == 1 and "2028-13-01" in bad_date.err
    no_number = station(*args[:3], "丙", *args[4:], "--licence", "food::2028-06-30")
    assert no_number.code != 0 and "KIND:NUMBER[:EXPIRY]" in no_number.err
    station("enterprise", "approve", str(applied["id"]), check=True)
    pid = station(
        "product",
        "add",
        "--enterprise",
        str(applied["id"]),
        "--name",
        "牟定腐乳",
        "--origin",
        "532323101001",
        "--cert",
        "地理标志",
        "--shelf-life",
        "180",
        "--json",
        check=True,
    ).json()["id"]
    edited = station("product", "edit", str(pid), "--shelf-life", "240", "--json", check=True).json()
    assert edited["changed"] == ["shelf_life_days"]
    product = edited["product"]
    assert (product["shelf_life_days"], product["name"], product["certifications"]) == (240, "牟定腐乳", ["地理标志"])
    again = station("product", "edit", str(pid), "--shelf-life", "240", check=True)
    assert again.out.strip() == f"product {pid} is unchanged"
    named = station("product", "edit", str(pid), "--name", "牟定腐乳（块装）", "--cert", "绿色食品", check=True)
    assert named.out.strip() == f"corrected product {pid}: name, certifications"
    assert station("audit", "verify").code == 0


def test_emulate_scanner_types_scripted_scans(station, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from drivers.scanners import open_scanner

    link = tmp_path / "scanner"
    proc = subprocess.Popen(
        [
            STATION,
            "--lang",
            "en",
            "emulate",
            "scanner",
            "--link",
            str(link),
            "--scan",
            "R0000010001",
            "--scan",
            "牟定",
            "--interval",
            "0.8",
            "--seconds",
            "6",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert "ready at serial://" in line
        uri = line.split("ready at ", 1)[1].split(";", 1)[0].strip()
        with open_scanner(uri) as scanner:
            got = [scanner.read(3.0), scanner.read(3.0)]
        assert [s.text for s in got if s is not None] == ["R0000010001", "牟定"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
