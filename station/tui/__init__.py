"""The Textual station app: a thin shell over the same functions the `station` command calls.

Only this package imports Textual; the core never does (a test checks it).
"""

from __future__ import annotations

import importlib
from typing import Any


def build(lang: str) -> Any:
    """The app module with every screen's texts, key labels included, in ``lang`` ("zh" or "en")."""
    from station.texts import set_language
    from station.tui import (
        app,
        device_screen,
        enterprise_screen,
        keybar,
        lot_screen,
        query_screen,
        settings_screen,
        work_screens,
    )

    set_language(lang)
    importlib.reload(keybar)
    importlib.reload(work_screens)
    importlib.reload(lot_screen)
    importlib.reload(enterprise_screen)
    importlib.reload(device_screen)
    importlib.reload(settings_screen)
    importlib.reload(query_screen)
    return importlib.reload(app)


def run_app(home: Any, virtual_scanner: Any = None) -> None:
    """Run the app; F12 rebuilds it in the other language and carries on with the same operator.

    ``virtual_scanner`` (the demo's emulated scanner) lets the pickup screen scan a roll with a key."""
    from station.texts import language

    module = build(language())
    app = module.make_app(home)
    app.virtual_scanner = virtual_scanner
    while app.run() == "switch-language":
        module = build("en" if language() == "zh" else "zh")
        app = module.StationApp(home.path, app.operator, app.role)
        app.virtual_scanner = virtual_scanner
