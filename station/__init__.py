"""Trace Station: issue, print, verify and hand out traceability codes.

The package never imports Textual; the terminal app lives in ``station.tui`` and is a shell over the same
functions the ``station`` command calls.
"""

__version__ = "0.1.0"
