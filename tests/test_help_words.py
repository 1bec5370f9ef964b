"""`station … --help` in the clerk's language: every command's description, the line its group lists it by and
every option's help come from the catalogue (station/texts/help.py) in Chinese and English, the English being the
code's own; Chinese help reads without internal words; English help is as click lays it out."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from station.cli.root import cli
from station.cli.usage import HELP_STORAGE, SHARED, help_key, option_help_key
from station.texts import TEXTS
from tests.test_no_internal_words import FILE_ENDINGS, internal_words

CHINESE = re.compile("[\u4e00-\u9fff]")
# the data directory's folders and the endings of its files, named as they are on disk
ON_DISK = {"printers", "label_templates", "before-restore", *FILE_ENDINGS}
STANDARDS = {"EPCIS", "JSON-LD"}  # GS1's standard for trace events, and its format: names with no Chinese of their own


def _commands(
    command: click.Command = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``station`` (and ``station`` itself), by the names typed to reach it."""
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):  # as help lists them: each command's module loads when asked for
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))


def _every_command() -> list[tuple[tuple[str, ...], click.Command]]:
    import importlib

    from station.cli.root import COMMAND_MODULES

    for module in set(COMMAND_MODULES.values()):  # a group gets commands from several modules: all of them first
        importlib.import_module(f"station.cli.{module}")
    return list(_commands())


COMMANDS = _every_command()


def _options(command: click.Command) -> list[click.Option]:
    """The options of ``command`` that say something in help (click's own --help aside: the catalogue keys it)."""
    return [p for p in command.params if isinstance(p, click.Option) and p.help and p.name != HELP_STORAGE]


def _expected() -> dict[str, str]:
    """Each help key the commands need, with the English the code gives for it."""
    needed: dict[str, str] = {}
    for path, command in COMMANDS:
        assert command.help, f"station {' '.join(path)} has no description"
        needed[help_key(path)] = inspect.cleandoc(command.help).partition("\f")[0]
        if path:  # listed by its group
            needed[help_key(path, short=True)] = command.get_short_help_str(10**6)
        told = [p.name for p in command.params if isinstance(p, click.Argument) and p.help]
        assert told == [], f"station {' '.join(path)}: an argument's help needs a catalogue key, as options have"
        for option in _options(command):
            key = option_help_key(path, option) or help_key(path, max(option.opts, key=len))
            assert needed.setdefault(key, option.help or "") == option.help, key
    return needed


def test_every_command_and_option_has_its_help_in_both_languages() -> None:
    """A command or option added without its Chinese fails here, and so does English changed in the code only."""
    assert len(COMMANDS) > 70
    needed = _expected()
    missing = sorted(key for key in needed if key not in TEXTS)
    assert missing == [], "help without a catalogue entry (station/texts/help.py)"
    assert {key: TEXTS[key][1] for key in needed if TEXTS[key][1] != needed[key]} == {}, "English unlike the code's"
    untranslated = sorted(key for key in needed if not CHINESE.search(TEXTS[key][0]))
    assert untranslated == []
    kept = {key for key in TEXTS if key.startswith("help.")}
    assert sorted(kept - set(needed)) == [], "an entry no command or option uses"
    assert all(not key.startswith(f"help.{SHARED}.") or key in needed for key in kept)


def _allowed(path: tuple[str, ...], command: click.Command) -> set[str]:
    """What a command's Chinese help may show as it is typed: the station's command names, the values its
    options take (a choice's, a licence's kind) and the settings' keys it names."""
    from station.config import Config
    from station.registry import LICENCES
    from station.settings import all_settings

    names = {word for p, _ in COMMANDS for name in p for word in name.split("-")} | {n for p, _ in COMMANDS for n in p}
    choices = {str(c) for p in command.params if isinstance(p.type, click.Choice) for c in p.type.choices}
    return {"station"} | names | choices | set(LICENCES) | ON_DISK | STANDARDS | {s.key for s in all_settings(Config())}


@pytest.mark.parametrize("part", range(3))
def test_chinese_help_has_no_internal_words(part: int, tmp_path: Path) -> None:
    """`station --lang zh … --help` of every command, read whole (in three parts, to keep each short)."""
    runner = CliRunner()
    leaks = {}
    for path, command in COMMANDS[part::3]:
        args = ["--home", str(tmp_path / "home"), "--lang", "zh", *path, "--help"]
        result = runner.invoke(cli, args, prog_name="station")
        shown = result.output
        assert result.exit_code == 0, (path, shown)
        assert "用法：" in shown and "选项：" in shown and "Usage" not in shown, shown
        words = internal_words(shown, _allowed(path, command))
        if words:
            leaks[" ".join(path)] = sorted(set(words))
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())


def _help(lang: str, *path: str, home: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "--lang", lang, *path, "--help"], prog_name="station")
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_english_help_is_as_it_was(tmp_path: Path) -> None:
    """English help is click's layout of the code's English, whatever language was asked for before."""
    home = tmp_path / "home"
    assert "  企业：登记、审核、黑名单、列出。" in _help("zh", "enterprise", home=home)
    assert _help("en", "enterprise", home=home) == [
        "Usage: station enterprise [OPTIONS] COMMAND [ARGS]...",
        "",
        "  Enterprises: register, review, blacklist, list.",
        "",
        "Options:",
        "  --help  Show this message and exit.",
        "",
        "Commands:",
        "  add          Register an enterprise application (pending review); prints...",
        "  apply        An enterprise applies for admission with its licences and...",
        "  approve      Admit an enterprise (准入): it may then be issued codes.",
        "  blacklist    Put a dishonest enterprise on the blacklist: no more codes...",
        "  list         List enterprises with their status.",
        "  reject       Refuse an application, with the reason.",
        "  review       Review an application: approve (准入) or reject with the reason.",
        "  unblacklist  Take an enterprise off the blacklist.",
    ]
    _help("zh", "enterprise", "apply", home=home)
    assert _help("en", "enterprise", "apply", home=home) == [
        "Usage: station enterprise apply [OPTIONS]",
        "",
        "  An enterprise applies for admission with its licences and qualifications; it",
        "  waits for review.",
        "",
        "Options:",
        "  --name TEXT           Registered name.  [required]",
        "  --credit-code TEXT    18-character unified social credit code.  [required]",
        "  --contact TEXT        Contact person and phone.",
        "  --licence TEXT        KIND:NUMBER[:EXPIRY], KIND one of business (营业执照),",
        "                        hygiene (卫生许可证), food (食品流通经营许可证); EXPIRY as yyyy-mm-dd",
        "                        where the licence has one.",
        "  --qualification TEXT  地理标志, 中华老字号, 云南老字号, 绿色食品, 有机, 无公害…; repeatable.",
        "  --json                Print one JSON object.",
        "  --help                Show this message and exit.",
    ]
    assert _help("en", home=home)[-1].startswith("  void ")  # `station --lang en --help` is in English too
    assert "  --help           Show this message and exit." in _help("en", home=home)


def test_chinese_help_is_laid_out_in_terminal_columns(tmp_path: Path) -> None:
    """A Chinese character takes two columns: no line of Chinese help is wider than click's 80."""
    from station.cli.usage import _columns

    for path in [("run",), ("enterprise", "apply"), ("void", "code"), ()]:
        shown = _help("zh", *path, home=tmp_path / "home")
        assert max(_columns(line) for line in shown) <= 80, "\n".join(shown)
        assert any(CHINESE.search(line) and _columns(line) > 70 for line in shown)  # and the width is used
