"""The ``station`` command. Every subcommand is a thin wrapper over a core function; one module per area."""

# each module registers its commands
from station.cli import codes, devices, exchange, labels, query, registry, run, settings, trace, verify  # noqa: F401
from station.cli.root import cli, main

__all__ = ["cli", "main"]
