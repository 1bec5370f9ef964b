"""Keeping native libraries off the app's screen.

OpenCV and FFmpeg (under it) write their own log lines straight to the process's standard error, file descriptor
2 — "[tcp @ 0x…] Connection … refused" whenever the camera cannot be reached. In a terminal that is where the app
draws, so the lines land over the screens. While the app runs, their log levels are turned down and descriptor 2
goes to a log file in the data directory; the app itself draws on a copy of the terminal's descriptor.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_NAME = "app.log"  # in the data directory: what native libraries wrote while the app ran
OPENCV_LOG_LEVEL = "ERROR"  # no warnings ("[ WARN:0@0.08] global cap.cpp…"); errors go to the log file
FFMPEG_LOG_LEVEL = "-8"  # AV_LOG_QUIET: FFmpeg's own lines ("[tcp @ 0x…] Connection … refused") not at all


def quiet_native_libraries() -> None:
    """Turn OpenCV's and FFmpeg's logging down. The environment is read when OpenCV loads its FFmpeg backend, so
    this comes before cv2 is imported; an OpenCV already loaded is told directly as well."""
    os.environ["OPENCV_LOG_LEVEL"] = OPENCV_LOG_LEVEL
    os.environ["OPENCV_FFMPEG_LOGLEVEL"] = FFMPEG_LOG_LEVEL
    cv2 = sys.modules.get("cv2")
    if cv2 is not None:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


@contextmanager
def native_output_to(log: Path) -> Iterator[None]:
    """Within the block, descriptor 2 writes to ``log`` (appended); the app's own output (Textual draws on
    ``sys.__stderr__``) goes to a copy of the terminal's descriptor. Both are put back afterwards."""
    sys.stderr.flush()
    terminal = os.dup(2)
    drawn_on = sys.__stderr__
    log.parent.mkdir(parents=True, exist_ok=True)
    written = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    encoding = getattr(drawn_on, "encoding", None) or "utf-8"
    screen = os.fdopen(os.dup(terminal), "w", encoding=encoding, errors="replace", buffering=1)
    try:
        os.dup2(written, 2)
        sys.__stderr__ = screen  # type: ignore[misc]
        yield
    finally:
        screen.flush()
        sys.__stderr__ = drawn_on  # type: ignore[misc]
        sys.stderr.flush()
        os.dup2(terminal, 2)
        os.close(terminal)
        os.close(written)
        screen.close()
