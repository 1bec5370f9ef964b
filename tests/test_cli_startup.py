"""The `station` command loads a command's module only when that command runs, and the table that says where each
command lives names every command there is."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import station.cli
from station.cli.root import COMMAND_MODULES, cli

# what a command that runs before any other module may import (checked in a fresh interpreter)
_NOT_FOR_VERSION = ("station.home", "station.config", "station.codes", "station.ledger", "numpy", "textual")
# the root command and the words its usage errors are told in: every command loads them
_ROOT = ["station.cli.root", "station.cli.usage"]


def _loaded_alone(name: str) -> list[str]:
    """The command ``name`` as a fresh `station` finds it: its name, then its subcommands' names if a group."""
    code = (
        "import click\nfrom station.cli import cli\n"
        f"command = cli.get_command(click.Context(cli), {name!r})\n"
        "print(command.name, *sorted(getattr(command, 'commands', {})))"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_every_command_is_in_the_table_and_whole_when_loaded_alone() -> None:
    for info in pkgutil.iter_modules(station.cli.__path__):
        importlib.import_module(f"station.cli.{info.name}")
    assert sorted(COMMAND_MODULES) == sorted(name for name in cli.commands if name != "init")  # init: the root's
    for name in COMMAND_MODULES:  # a group whose commands live in two modules has them all
        command = cli.commands[name]
        assert _loaded_alone(name) == [name, *sorted(getattr(command, "commands", {}))]


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom station.cli import cli\n"
        f"try:\n    cli.main({args!r}, prog_name='station', standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_version_imports_no_command_and_nothing_heavy() -> None:
    loaded = _modules_after(["--version"])
    assert not [m for m in loaded if m.startswith(_NOT_FOR_VERSION)]
    assert not [m for m in loaded if m.startswith("station.cli.") and m not in _ROOT]


def test_a_command_imports_its_own_module_only() -> None:
    loaded = _modules_after(["check", "--help"])
    assert sorted(m for m in loaded if m.startswith("station.cli.")) == sorted(["station.cli.codes", *_ROOT])
