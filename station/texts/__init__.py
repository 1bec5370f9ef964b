"""The one catalogue of user-facing texts, Chinese first, English second.

Every message a clerk sees (errors, command output, the app's screens, the query pages) is looked up here by key,
so a translation is a change to this package only: its modules hold the texts by area, merged into ``TEXTS``.
``{name}`` placeholders are filled with ``str.format``.
"""

from __future__ import annotations

import os

from station.texts import app, events, hidden, printing, query, registry, settings, voids

LANGUAGES = ("zh", "en")


def _merged() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in (registry, printing, app, query, events, voids, hidden, settings):
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
