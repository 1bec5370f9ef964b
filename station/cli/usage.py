"""The `station` command's usage errors and usage line in the clerk's language.

click writes its own sentences ("Usage:", "Missing option", "Error: …", "Try … for help.") through gettext, looked
up when they are said. ``install()`` points click's lookups at the catalogue (``station/texts/usage.py``): each of
click's sentences is keyed below, and a sentence not keyed stays as click wrote it. ``StationCommand`` and
``StationGroup`` name the usage line's parts ([OPTIONS], COMMAND, each argument) from the catalogue too.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from station.texts import LANGUAGES, TEXTS, language, t

# click's sentence -> the catalogue's key
CLICK_KEYS: dict[str, str] = {
    "Usage:": "click.usage",
    "Try '{command} {option}' for help.": "click.try_help",
    "Error: {message}": "click.error",
    "Missing argument": "click.missing_argument",
    "Missing option": "click.missing_option",
    "Missing parameter": "click.missing_parameter",
    "Missing {param_type}": "click.missing_kind",
    "Missing parameter: {param_name}": "click.missing_named",
    "Missing command.": "click.missing_command",
    "Invalid value for {param_hint}: {message}": "click.invalid_for",
    "Invalid value: {message}": "click.invalid",
    "No such option {name!r}.": "click.no_option",
    "No such command {name!r}.": "click.no_command",
    "Did you mean {possibility}?": "click.did_you_mean",
    "(Did you mean one of: {possibilities}?)": "click.did_you_mean_one_of",
    "Got unexpected extra argument ({args})": "click.extra_argument",
    "Got unexpected extra arguments ({args})": "click.extra_arguments",
    "Option {name!r} requires an argument.": "click.needs_value",
    "Option {name!r} requires {nargs} arguments.": "click.needs_values",
    "Option {name!r} does not take a value.": "click.takes_no_value",
    "Argument {name!r} takes {nargs} values.": "click.argument_values",
    "Takes {nargs} values but 1 was given.": "click.takes_one",
    "Takes {nargs} values but {len} were given.": "click.takes_many",
    "{value!r} is not {choice}.": "click.not_choice",
    "{value!r} is not one of {choices}.": "click.not_one_of",
    "Choose from:\n\t{choices}": "click.choose_from",
    "{value!r} is not a valid {number_type}.": "click.not_number",
    "{value} is not in the range {range}.": "click.out_of_range",
    "{value!r} is not a valid boolean. Recognized values: {states}": "click.not_boolean",
    "{name} {filename!r} does not exist.": "click.path_missing",
    "{name} {filename!r} is a file.": "click.path_is_file",
    "{name} {filename!r} is a directory.": "click.path_is_directory",
    "{name} {filename!r} is not readable.": "click.path_unreadable",
    "{name} {filename!r} is not writable.": "click.path_unwritable",
    "{name} {filename!r} is not executable.": "click.path_not_executable",
    "Could not open file {filename!r}: {message}": "click.cannot_open",
    "unknown error": "click.unknown_error",
    "Aborted!": "click.aborted",
    "Repeat for confirmation": "click.repeat",
    "Error: The two entered values do not match.": "click.mismatch",
    "Error: invalid input": "click.invalid_input",
    "Press any key to continue...": "click.any_key",
    "Options": "click.options",
    "Positional arguments": "click.arguments",
    "Commands": "click.commands",
    "default: {default}": "click.default",
    "env var: {var}": "click.env_var",
    "(dynamic)": "click.dynamic",
    "Show this message and exit.": "click.help_option",
}

# click's modules that say something through gettext
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


def said(message: str) -> str:
    """click's ``message`` (a format string) in the current language: the catalogue's text, with the same
    placeholders; a sentence the catalogue does not key, as click wrote it."""
    key = CLICK_KEYS.get(message)
    return message if key is None else TEXTS[key][LANGUAGES.index(language())]


def said_n(singular: str, plural: str, n: int) -> str:
    """click's sentence for ``n`` things, in the current language."""
    return said(singular if n == 1 else plural)


def install() -> None:
    """Have click say its sentences through the catalogue; safe to call again."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = said  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = said_n  # type: ignore[attr-defined]


def _quoted(name: str) -> str:
    return t("click.quoted", name=name)


class _Argument(click.Argument):
    """An argument named in the usage line and its errors as the catalogue names it (``cli.arg.<name>``)."""

    def make_metavar(self, ctx: click.Context) -> str:
        key = f"cli.arg.{self.name}"
        if self.metavar is not None or key not in TEXTS:
            return super().make_metavar(ctx)
        var = t(key)
        if not self.required:
            var = f"[{var}]"
        return var + ("..." if self.nargs != 1 else "")

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return _quoted(self.make_metavar(ctx)) if ctx is not None else super().get_error_hint(ctx)


class _Option(click.Option):
    """An option named in errors with the catalogue's quotes."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return " / ".join(_quoted(name) for name in self.opts or [self.human_readable_name])


def _localised(command: click.Command) -> None:
    for param in command.params:  # the decorators made plain click parameters: name them in the catalogue's words
        if type(param) is click.Argument:
            param.__class__ = _Argument
        elif type(param) is click.Option:
            param.__class__ = _Option


class StationCommand(click.Command):
    """A command whose usage line and usage errors speak the clerk's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _localised(self)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [t("click.options_metavar")] if self.options_metavar else []
        for param in self.get_params(ctx):
            pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None and type(option) is click.Option:
            option.__class__ = _Option
        return option


class StationGroup(StationCommand, click.Group):
    """A group of commands, its usage line and usage errors in the clerk's language; its commands and groups too."""

    command_class = StationCommand
    group_class: type[click.Group] | type[type] | None = type  # a group made inside is one of these too

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*StationCommand.collect_usage_pieces(self, ctx), t("click.command_metavar")]


__all__ = ["CLICK_KEYS", "StationCommand", "StationGroup", "install", "said", "said_n"]
