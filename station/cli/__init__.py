"""The ``station`` command. Every subcommand is a thin wrapper over a core function; one module per area."""

from station.cli import codes, devices, labels, registry, run, trace, verify  # noqa: F401 - they register commands
from station.cli.root import cli, main

__all__ = ["cli", "main"]
