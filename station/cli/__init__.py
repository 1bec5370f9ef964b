"""The ``station`` command. Every subcommand is a thin wrapper over a core function; one module per area, imported
when one of its commands runs (``station.cli.root.COMMAND_MODULES``)."""

from station.cli.root import cli, main

__all__ = ["cli", "main"]
