"""The Textual station app: a thin shell over the same functions the `station` command calls.

Only this package imports Textual; the core never does (a test checks it).
"""

from __future__ import annotations

from typing import Any


def build(lang: str) -> Any:
    """The app module, its texts in ``lang`` ("zh" or "en") until F12 switches them in place."""
    from station.texts import set_language
    from station.tui import app

    set_language(lang)
    return app


def run_app(home: Any, virtual_scanner: Any = None) -> None:
    """Run the app in the station's language (F12 switches it in place).

    ``virtual_scanner`` (the demo's emulated scanner) lets the pickup screen scan a roll with a key. Native
    libraries' log lines go to app.log in the data directory meanwhile, not over the screens (station.tui.quiet)."""
    from station.texts import language
    from station.tui.picture import detect_graphics
    from station.tui.quiet import LOG_NAME, native_output_to, quiet_native_libraries

    quiet_native_libraries()
    detect_graphics()  # the terminal is asked before the app takes it over
    app = build(language()).make_app(home)
    app.virtual_scanner = virtual_scanner
    with native_output_to(home.path / LOG_NAME):
        app.run()
