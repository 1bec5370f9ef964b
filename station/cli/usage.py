"""The `station` command's usage errors and usage line in the clerk's language.

click writes its own sentences ("Usage:", "Missing option", "Error: …", "Try … for help.") through gettext, looked
up when they are said. ``install()`` points click's lookups at the catalogue (``station/texts/usage.py``): each of
click's sentences is keyed below, and a sentence not keyed stays as click wrote it. ``StationCommand`` and
``StationGroup`` name the usage line's parts ([OPTIONS], COMMAND, each argument) from the catalogue too.

The bodies of ``--help`` (a command's description, the line a group lists it by, each option's help) are written in
English in the commands' code; in Chinese they come from ``station/texts/help.py``, keyed as ``help_key`` says, and
are laid out by the width each character takes on a terminal (a Chinese character takes two columns).
"""

from __future__ import annotations

import importlib
import inspect
import unicodedata
from collections.abc import Iterable
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
    "required": "click.required",
}

HELP_STORAGE = "_click_default_help"  # the name click gives its own --help option
SHARED = "*"  # help.*.--json: an option's help shared by every command whose option says the same in English

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


def command_path(ctx: click.Context) -> list[str]:
    """The names typed after ``station`` to reach ``ctx``'s command (none for ``station`` itself)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return names[::-1]


def help_key(path: Iterable[str], option: str | None = None, short: bool = False) -> str:
    """The catalogue key of the help of the command at ``path`` (``help.enterprise.add``; ``help.station`` for
    ``station`` itself), of the line its group lists it by (``….short``) or of its ``option`` (``….--name``)."""
    key = "help." + (".".join(path) or "station")
    if option is not None:
        return f"{key}.{option}"
    return f"{key}.short" if short else key


def option_name(param: click.Parameter) -> str:
    """An option's name in its help key: its longest name, as it is typed (``--roll-size``)."""
    return max(param.opts, key=len)


def option_help_key(path: Iterable[str], param: click.Parameter) -> str | None:
    """The key of an option's help: the command's own, else the one shared by every option of that name that says
    the same in English (``help.*.--json``); None when the catalogue has neither."""
    name = option_name(param)
    own = help_key(path, name)
    if own in TEXTS:
        return own
    shared = help_key([SHARED], name)
    return shared if shared in TEXTS and TEXTS[shared][1] == getattr(param, "help", None) else None


def _english() -> bool:
    return language() == "en"


class _Option(click.Option):
    """An option named in errors with the catalogue's quotes, its help and the kind of value it takes in the
    catalogue's words."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return " / ".join(_quoted(name) for name in self.opts or [self.human_readable_name])

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.name == HELP_STORAGE:  # click words it once, in the language of that moment: word it each time
            self.help = said("Show this message and exit.")
            return super().get_help_record(ctx)
        key = None if _english() or not self.help else option_help_key(command_path(ctx), self)
        if key is None:
            return super().get_help_record(ctx)
        english, self.help = self.help, t(key)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = english

    def make_metavar(self, ctx: click.Context) -> str:
        key = "click.type." + self.type.name.replace(" ", "_")
        if _english() or self.metavar is not None or key not in TEXTS:
            return super().make_metavar(ctx)
        if self.type.get_metavar(param=self, ctx=ctx) is not None:  # a choice's values, as they are typed
            return super().make_metavar(ctx)
        return t(key) + ("..." if self.nargs != 1 else "")


_CLOSING = set("，。、；：！？）》」』”…)]")  # a line never starts with these
_OPENING = set("（《「『“([")  # nor ends with these


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _columns(text: str) -> int:
    return sum(2 if _wide(c) else 1 for c in text)


def _pieces(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces and beside each Chinese character, punctuation kept with
    the character it belongs to."""
    pieces: list[str] = []
    for char in text:
        last = pieces[-1][-1] if pieces else ""
        if not last:
            joins = False
        elif char.isspace() or last.isspace():
            joins = char.isspace() and last.isspace()
        else:
            joins = char in _CLOSING or last in _OPENING or not (_wide(char) or _wide(last))
        if joins:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _lines(text: str, width: int) -> list[str]:
    """One paragraph of ``text`` in lines of at most ``width`` columns (a word longer than that on its own)."""
    lines: list[str] = []
    line, used, gap = "", 0, ""
    for piece in _pieces(" ".join(text.split())):
        if piece.isspace():
            gap = " " if line else ""
            continue
        size = _columns(piece)
        if line and used + len(gap) + size > width:
            lines.append(line)
            line, used = piece, size
        else:
            line, used = line + gap + piece, used + len(gap) + size
        gap = ""
    return [*lines, line]


class _Formatter(click.HelpFormatter):
    """click's help layout; in Chinese, lines measured in terminal columns and broken between characters."""

    def write_heading(self, heading: str) -> None:
        if _english():
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{heading}：\n")
        return None

    def write_text(self, text: str) -> None:
        if _english():
            return super().write_text(text)
        indent = " " * self.current_indent
        paragraphs = [_lines(p, self.width - self.current_indent) for p in inspect.cleandoc(text).split("\n\n")]
        self.write("\n\n".join("\n".join(indent + line for line in lines) for lines in paragraphs) + "\n")
        return None

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        if _english():
            return super().write_dl(rows, col_max, col_spacing)
        rows = list(rows)
        first_col = min(max((_columns(first) for first, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if _columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _columns(first)))
            else:
                self.write("\n" + margin)
            lines = _lines(second, max(self.width - first_col - 2, 10))
            self.write("\n".join([lines[0], *(margin + line for line in lines[1:])]) + "\n")
        return None


class _Context(click.Context):
    formatter_class = _Formatter


def _localised(command: click.Command) -> None:
    for param in command.params:  # the decorators made plain click parameters: name them in the catalogue's words
        if type(param) is click.Argument:
            param.__class__ = _Argument
        elif type(param) is click.Option:
            param.__class__ = _Option


class StationCommand(click.Command):
    """A command whose usage line and usage errors speak the clerk's language."""

    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _localised(self)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        key = help_key(command_path(ctx))
        if _english() or self.help is None or key not in TEXTS:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t(key))
        return None

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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _english():
            return super().format_commands(ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                key = help_key([*command_path(ctx), name], short=True)
                rows.append((name, t(key) if key in TEXTS else command.get_short_help_str()))
        if rows:
            with formatter.section(t("click.commands")):
                formatter.write_dl(rows)
        return None


__all__ = [
    "CLICK_KEYS",
    "StationCommand",
    "StationGroup",
    "command_path",
    "help_key",
    "install",
    "option_help_key",
    "option_name",
    "said",
    "said_n",
]
