"""A command typed wrong is told in the clerk's language: click's own sentences (the usage line, what is missing
or wrong, where help is) come from the catalogue, with exit status 2 as click gives it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli.root import cli
from tests.test_no_internal_words import internal_words

# each kind of usage error: what is typed, and the words besides those typed that it may name as they are typed (the
# values a choice takes, the command it suggests)
TYPED_WRONG = [
    ("no such command", ["不存在的命令"], set()),
    ("a command that is nearly there", ["enterprise", "aprove"], {"approve"}),
    ("a missing option", ["enterprise", "add", "--credit-code", "91532323MA6N0FRU1E"], set()),
    ("a missing argument", ["enterprise", "approve"], set()),
    ("an argument too many", ["enterprise", "approve", "1", "2"], set()),
    ("no such option", ["lookup", "--不存在", "1"], set()),
    ("an option with no value", ["issue", "--count"], set()),
    ("a flag given a value", ["lookup", "--json=是", "1"], set()),
    ("not a number", ["issue", "--enterprise", "1", "--product", "1", "--count", "许多"], set()),
    ("a number out of range", ["enterprise", "approve", "0"], set()),
    ("not one of the choices", ["export", "codes", "--format", "表格"], {"csv", "xlsx"}),
    ("a file that is not there", ["restore", "/nonexistent/backup.tar"], set()),
]


@pytest.mark.parametrize(("kind", "args", "names"), TYPED_WRONG, ids=[k for k, _, _ in TYPED_WRONG])
def test_a_usage_error_is_told_in_chinese(kind: str, args: list[str], names: set[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--lang", "zh", *args], prog_name="station")
    shown = result.output
    assert result.exit_code == 2, shown
    assert "错误：" in shown and "Error" not in shown and "Usage" not in shown, shown
    typed = {word for arg in ["station", *args] for word in arg.split()}
    assert internal_words(shown, typed | names) == [], shown


def test_the_usage_line_names_the_arguments_in_chinese(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "home"), "--lang", "zh", "void", "code"], prog_name="station"
    )
    assert result.exit_code == 2
    assert "用法： station void code [选项] 码..." in result.output
    assert "运行 station void code --help 查看用法。" in result.output


def test_a_usage_error_in_english_is_as_click_says_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "home"), "--lang", "en", "enterprise", "approve"], prog_name="station"
    )
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Usage: station enterprise approve [OPTIONS] ENTERPRISE_ID",
        "Try 'station enterprise approve --help' for help.",
        "",
        "Error: Missing argument 'ENTERPRISE_ID'.",
    ]


def test_the_language_asked_for_tells_a_command_that_is_not_there(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--lang", "en", "nosuch"], prog_name="station")
    assert result.exit_code == 2 and "Error: No such command 'nosuch'." in result.output
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--lang", "zh", "nosuch"], prog_name="station")
    assert result.exit_code == 2 and "错误：没有这个命令：“nosuch”。" in result.output


def test_every_sentence_of_click_keyed_has_a_text_in_both_languages() -> None:
    """Each click sentence keyed has its text in both languages, the English being click's own, with the
    placeholders click fills."""
    import string

    from station.cli.usage import CLICK_KEYS
    from station.texts import TEXTS

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for sentence, key in CLICK_KEYS.items():
        zh, en = TEXTS[key]
        assert en == sentence, key
        assert fields(zh) <= fields(sentence), key  # Chinese may leave out a word click fills in English
