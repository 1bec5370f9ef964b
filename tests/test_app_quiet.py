"""Native libraries never write over the app: OpenCV's and FFmpeg's lines about a camera that cannot be reached go
to app.log in the data directory, not to the terminal the app draws on."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFUSING_CAMERA = "http://127.0.0.1:1/"  # nothing listens on port 1: FFmpeg says "Connection … refused"
# what OpenCV and FFmpeg write about such a camera
NATIVE = ("tcp @", "WARN:", "failed: Connection", "cap.cpp", "VIDEOIO")


def _settings(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.toml").write_text(
        f'[verify]\ncamera = "{REFUSING_CAMERA}"\n[printer]\nuri = "file:///dev/null"\n', encoding="utf-8"
    )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")}
    env.update(PYTHONPATH=str(ROOT), STATION_NO_POSTGRES="1", TERM="xterm-256color", COLUMNS="120", LINES="40")
    return env


def test_native_lines_go_to_the_log_file_and_descriptor_2_comes_back(tmp_path: Path) -> None:
    """Without the log levels turned down, the libraries do write; within native_output_to it lands in the log
    file, not on the process's standard error, and afterwards standard error is the terminal's again."""
    log = tmp_path / "app.log"
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from station.devices import camera_status
        from station.tui.quiet import native_output_to

        before = sys.__stderr__
        with native_output_to(Path({str(log)!r})):
            assert sys.__stderr__ is not before and sys.__stderr__.fileno() != 2
            print(camera_status({REFUSING_CAMERA!r}).live, file=sys.__stderr__)  # the app's own drawing
        assert sys.__stderr__ is before
        os.write(2, b"after the app\\n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=_env(), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "False\nafter the app\n"  # the app's own line and the one after; nothing native
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "tcp @" in written and "Connection" in written  # the libraries did speak: into the log


def test_the_app_started_with_an_unreachable_camera_draws_no_native_lines(tmp_path: Path) -> None:
    """`station` in a terminal (a pseudo-terminal here) with a camera that refuses: the home screen checks the
    camera, and nothing but the app's own drawing reaches the terminal."""
    import pty

    home = tmp_path / "home"
    _settings(home)
    main, sub = pty.openpty()
    os.set_blocking(main, False)
    command = [sys.executable, "-c", "from station.cli import main; main()", "--home", str(home)]
    proc = subprocess.Popen(command, stdin=sub, stdout=sub, stderr=sub, env=_env(), cwd=tmp_path, close_fds=True)
    os.close(sub)
    shown = b""

    def read(seconds: float) -> None:
        nonlocal shown
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.1)
            if ready:
                try:
                    shown += os.read(main, 65536)
                except OSError:  # the app has exited and closed the terminal
                    return

    try:
        deadline = time.monotonic() + 30
        while "摄像头".encode() not in shown:  # the home screen's camera panel, filled by its check
            assert time.monotonic() < deadline and proc.poll() is None, shown.decode(errors="replace")[-2000:]
            read(0.2)
        read(1.5)  # anything a library would write after its failed attempt
        os.write(main, b"\x11")  # Ctrl+Q
        proc.wait(timeout=20)
        read(0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    text = shown.decode(errors="replace")
    assert "摄像头" in text
    found = [word for word in NATIVE if word in text]
    assert not found, f"native library output on the app's terminal: {found}"
    assert (home / "app.log").exists()  # where anything they still write goes while the app runs


def test_opencv_and_ffmpeg_log_levels_are_turned_down_before_opencv_loads(tmp_path: Path) -> None:
    """With the levels set (as the app sets them when it starts), the libraries say nothing about the camera
    even on an unredirected standard error; OpenCV is told its level whether or not it was loaded first."""
    script = textwrap.dedent(
        f"""
        import os, sys
        from station.tui.quiet import quiet_native_libraries
        quiet_native_libraries()
        from station.devices import camera_status
        import cv2
        assert cv2.utils.logging.getLogLevel() <= cv2.utils.logging.LOG_LEVEL_ERROR
        assert not camera_status({REFUSING_CAMERA!r}).live
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_INFO)
        quiet_native_libraries()
        assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_ERROR
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=_env(), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_only_a_terminal_known_to_draw_images_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from station.tui.picture import detect_graphics, graphics_terminal

    for name in ("STATION_PICTURES", "TERM", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert not graphics_terminal() and not detect_graphics()  # asking would print the question as text
    monkeypatch.setenv("TERM", "xterm-kitty")
    assert graphics_terminal()
    monkeypatch.setenv("STATION_PICTURES", "blocks")
    assert not graphics_terminal()
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("STATION_PICTURES", "graphics")
    assert graphics_terminal()
    monkeypatch.delenv("STATION_PICTURES")
    monkeypatch.setenv("TERM_PROGRAM", "WezTerm")
    assert graphics_terminal()
