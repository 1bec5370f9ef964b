"""The one catalogue of user-facing texts, Chinese first, English second.

Every message a clerk sees (errors, command output, the app's screens, the query pages) is looked up here by key,
so a translation is a change to this package only: its modules hold the texts by area, merged into ``TEXTS``.
``{name}`` placeholders are filled with ``str.format``.

What the station records for people to read later (a reject's reason, why a run paused) is a ``Said``: the text
in the language of the moment that also keeps its key and parameters. ``to_store`` gives what the ledger keeps,
``from_store`` says it again in the language on when it is shown (a text stored before, as it was stored).
"""

from __future__ import annotations

import json
import os

from station.texts import app, events, help, help_more, hidden, printing, query, registry, settings, usage, voids

LANGUAGES = ("zh", "en")


def _merged() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in (registry, printing, app, query, events, voids, hidden, settings, usage, help, help_more):
        twice = merged.keys() & area.TEXTS.keys()
        if twice:  # one key, one text: an area must not silently replace another's
            raise ValueError(f"text keys defined twice: {', '.join(sorted(twice))}")
        merged.update(area.TEXTS)
    return merged


# key: (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = _merged()

_language = os.environ.get("STATION_LANG", "zh") if os.environ.get("STATION_LANG") in LANGUAGES else "zh"


def set_language(lang: str) -> None:
    """Choose the language of every later text ("zh" or "en")."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _language = lang


def language() -> str:
    """The language texts are currently given in."""
    return _language


def event_name(kind: str) -> str:
    """A ledger event kind as a person reads it; a kind the catalogue does not name yet is shown as it is."""
    key = "event." + kind
    return t(key) if key in TEXTS else kind


def t(text_key: str, /, **params: object) -> str:
    """The text for ``text_key`` in the current language (the command's, or the app session's), with ``params``
    filled in."""
    return tr(_language, text_key, **params)


def tr(lang: str, text_key: str, /, **params: object) -> str:
    """The text for ``text_key`` in ``lang``, whatever the current language: the query service answers each
    request in the language that request asked for."""
    zh, en = TEXTS[text_key]
    return (en if lang == "en" else zh).format(**params)


class Said(str):
    """A text in the current language that remembers its catalogue key and parameters (a parameter may be a Said
    too), so that what is recorded can be said again in another language. It is a ``str``: shown, compared and
    formatted as the text it is now."""

    node: dict[str, object]  # {"said": key, "params": {...}} or {"join": key, "parts": [...]}, params as stored

    @classmethod
    def _make(cls, text: str, node: dict[str, object]) -> Said:
        made = super().__new__(cls, text)
        made.node = node
        return made


def said(text_key: str, /, **params: object) -> Said:
    """``t(text_key, **params)``, remembering the key and parameters."""
    stored = {name: _node(value) for name, value in params.items()}
    return Said._make(t(text_key, **params), {"said": text_key, "params": stored})


def said_joined(separator_key: str, parts: list[str]) -> Said:
    """``parts`` joined by the catalogue's ``separator_key`` (such as "、"), each part remembered."""
    return Said._make(t(separator_key).join(parts), {"join": separator_key, "parts": [_node(p) for p in parts]})


def _node(value: object) -> object:
    if isinstance(value, Said):
        return value.node
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def to_store(text: str | None) -> str | None:
    """What the ledger keeps for ``text``: a Said as its key and parameters (and its text, should the key go),
    JSON in one string; any other text as it is."""
    if not isinstance(text, Said):
        return text
    return json.dumps({**text.node, "text": str.__str__(text)}, ensure_ascii=False, sort_keys=True)


def from_store(value: object, lang: str | None = None) -> str:
    """A text ``to_store`` gave, in ``lang`` (else the current language); a text stored as plain text as it was."""
    if not isinstance(value, str):
        return "" if value is None else str(value)
    if not value.startswith("{"):
        return value
    try:
        node = json.loads(value)
    except ValueError:  # a plain text that starts with a brace
        return value
    if not isinstance(node, dict) or "text" not in node:
        return value
    try:
        return _said(node, lang or _language)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):  # a key this version no longer knows
        return str(node["text"])


def _said(node: object, lang: str) -> str:
    if not isinstance(node, dict):
        return str(node)
    if "join" in node:
        return tr(lang, node["join"]).join(_said(part, lang) for part in node["parts"])
    params = {name: _said(value, lang) if isinstance(value, dict) else value for name, value in node["params"].items()}
    return tr(lang, node["said"], **params)
