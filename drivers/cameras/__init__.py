"""Cameras that film labels as they come out of the printer.

``open_camera(uri)`` picks a backend by URI (``drivers.registry``); each backend's dependency (OpenCV) is imported
only when it opens::

    /dev/video0, video://0                 a V4L2 device by index (cv2.CAP_V4L2)
    http://…, https://…, rtsp://…          a network stream, e.g. MJPEG over HTTP (cv2.CAP_FFMPEG)
    file:///path/frame_%04d.png            an image sequence (cv2.CAP_IMAGES); any other file: a video (FFMPEG)
    dir:///path                            a folder: every *.png/*.jpg in name order, then each new one as it appears

``Camera`` holds the shared logic; a backend implements three hooks (``_connect``, ``_read``, ``_disconnect``).
``open()`` starts a grab thread that reads frames as fast as the source gives them, converts each to grayscale and
keeps only the newest. If the source stops delivering, the thread keeps trying (network and device sources are opened
again about once a second) while ``frame_after`` times out: an old frame is never handed out as a new one.

Timing. ``Frame.captured_at`` is ``time.monotonic()`` taken when the read *returns*, not when the sensor was exposed.
Between exposure and that moment lie the camera's exposure and readout, its encoder, the network, FFMPEG's buffers and
the decoder: a frame read just after a label finished printing may still show the label before it. So "this frame
was exposed after moment t" holds only once that pipeline latency is accounted for: set ``Camera.latency_s`` to an
upper bound of it (measured for the installed camera), and ``frame_after(t)`` returns only a frame with
``captured_at - latency_s > t``. A frozen source (a stuck pipeline that repeats its last picture) still yields fresh
``captured_at`` values: the camera layer cannot see that, and verification must judge the content.

Errors: every failure is a ``CameraError`` (a ``drivers.errors.DeviceFault``) whose ``code`` names the kind of
failure (``dev.camera.*``, listed in ``drivers.errors.ENGLISH``) and whose ``params`` name the URI.
"""

from __future__ import annotations

import collections
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import numpy as np

from drivers.errors import DeviceFault, DriverError
from drivers.registry import open_device

_READ_TIMEOUT_S = 0.5  # longest one read of a network stream may block: bounds how quickly close() takes effect
_REOPEN_INTERVAL_S = 1.0
_IDLE_WAIT_S = 0.02  # pause after a read that gave nothing, so a dead source does not spin
_FPS_WINDOW_S = 2.0


RECENT_FRAMES = 32  # frames kept for frame_after: about a second at 30 fps (30 MB at 1280×720)


class CameraError(DeviceFault):
    """A camera cannot be opened, or stopped delivering frames."""

    title = "camera"

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, **params)


@dataclass(frozen=True)
class Frame:
    """One picture from a camera."""

    image: np.ndarray  # grayscale uint8, H x W
    seq: int  # 1, 2, 3 … per camera, in capture order
    captured_at: float  # time.monotonic() when the read returned (see the module docstring)
    source: str  # the camera URI


class Camera:
    """A frame source with a background grab thread that keeps only the newest frame."""

    reopen: bool = False  # open the source again when it stops delivering (network streams, devices)

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.latency_s = 0.0  # upper bound of exposure-to-read latency; see frame_after
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        # the last few frames, oldest first: a reader slower than the camera for a moment still gets every frame
        self._recent: collections.deque[Frame] = collections.deque(maxlen=RECENT_FRAMES)
        self._seq = 0
        self._times: collections.deque[float] = collections.deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closing: threading.Thread | None = None  # a grab thread close() stopped waiting for
        self._failure: BaseException | None = None
        self._reopen_timeout_s = 1.0

    # --- what users call -----------------------------------------------------------------------------

    def open(self, timeout_s: float = 5.0) -> None:
        """Connect to the source (CameraError if it cannot be opened within ``timeout_s``) and start grabbing."""
        if self._thread is not None:
            return
        if self._closing is not None:  # it still owns the source: let it finish releasing it first
            self._closing.join(timeout=timeout_s)
            if self._closing.is_alive():
                raise CameraError("dev.camera.closing", uri=self.uri)
            self._closing = None
        started = time.monotonic()
        self._connect(timeout_s)
        # reopening a stalled stream must not hold close() up for long, yet must allow a slow source to answer
        self._reopen_timeout_s = min(timeout_s, max(_READ_TIMEOUT_S, 3 * (time.monotonic() - started)))
        self._stop.clear()
        self._failure = None
        self._thread = threading.Thread(target=self._grab, name=f"camera {self.uri}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop grabbing and release the source; returns within 0.6 s, however slow the source.

        A read blocks for at most 0.5 s; reopening a stalled source for at most three times as long as the first
        open took (0.5 s at least), so longer on a slow source or a busy machine. close() waits for one read only:
        if the thread is still inside a read or a reopen then, it releases the source itself when that returns,
        and ``open()`` waits for it.
        """
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout=_READ_TIMEOUT_S + 0.1)
        if thread.is_alive():
            self._closing = thread

    def __enter__(self) -> Camera:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def latest(self) -> Frame | None:
        """The newest frame, or None before the first."""
        with self._cond:
            return self._latest

    def frame_after(self, t: float, timeout_s: float = 2.0) -> Frame:
        """The first frame exposed after monotonic ``t`` (``captured_at - latency_s > t``); CameraError on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                for frame in self._recent:
                    if frame.captured_at - self.latency_s > t:
                        return frame
                failure = self._failure
                if isinstance(failure, DriverError):  # already says what went wrong
                    raise CameraError(failure.code, **failure.params) from failure
                if failure is not None:
                    raise CameraError("dev.camera.failed", uri=self.uri, reason=str(failure)) from failure
                if self._thread is None:
                    raise CameraError("dev.camera.not_open", uri=self.uri)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CameraError("dev.camera.stalled", uri=self.uri, seconds=f"{timeout_s:g}")
                self._cond.wait(left)

    @property
    def frames_read(self) -> int:
        """Frames read since the camera was made."""
        return self._seq

    @property
    def fps(self) -> float:
        """Frames per second over the last ~2 s (0 when the source has stalled)."""
        now = time.monotonic()
        with self._cond:
            recent = [t for t in self._times if t > now - _FPS_WINDOW_S]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-6)

    # --- the grab thread -----------------------------------------------------------------------------

    def _grab(self) -> None:
        """Read until stopped. Each pass is bounded: a read by ``_READ_TIMEOUT_S``, a reopen by its timeout."""
        last_frame = next_reopen = time.monotonic()
        try:
            while not self._stop.is_set():
                image = self._read()
                now = time.monotonic()
                if image is None:
                    if self.reopen and now - last_frame >= _REOPEN_INTERVAL_S and now >= next_reopen:
                        next_reopen = now + _REOPEN_INTERVAL_S
                        self._disconnect()
                        try:
                            self._connect(self._reopen_timeout_s)
                        except CameraError:
                            pass  # still gone; try again in a second
                    else:
                        self._stop.wait(_IDLE_WAIT_S)
                    continue
                last_frame = now
                if self._stop.is_set():
                    break
                self._publish(_to_gray(image), now)
        except Exception as err:  # noqa: BLE001 - a thread boundary: keep the error for frame_after to report
            with self._cond:
                self._failure = err
                self._cond.notify_all()
        finally:
            self._disconnect()

    def _publish(self, gray: np.ndarray, captured_at: float) -> None:
        with self._cond:
            self._seq += 1
            self._latest = Frame(gray, self._seq, captured_at, self.uri)
            self._recent.append(self._latest)
            self._times.append(captured_at)
            while self._times and self._times[0] < captured_at - _FPS_WINDOW_S:
                self._times.popleft()
            self._cond.notify_all()

    # --- hooks for backends --------------------------------------------------------------------------

    def _connect(self, timeout_s: float) -> None:
        """Open the source; CameraError naming the URI and what to check if it cannot be opened."""
        raise NotImplementedError

    def _read(self) -> np.ndarray | None:
        """One frame (grayscale or BGR), or None if none came; blocks for at most about ``_READ_TIMEOUT_S``."""
        raise NotImplementedError

    def _disconnect(self) -> None:
        """Release the source; safe to call when it is not open."""
        raise NotImplementedError


def _cv2() -> Any:
    try:
        import cv2
    except ImportError as err:
        raise CameraError("dev.camera.no_opencv") from err
    return cv2


def _to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        gray = image
    else:
        cv2 = _cv2()
        code = {3: cv2.COLOR_BGR2GRAY, 4: cv2.COLOR_BGRA2GRAY}.get(image.shape[2])
        gray = image[:, :, 0] if code is None else cv2.cvtColor(image, code)
    if gray.dtype != np.uint8:
        gray = (gray >> 8).astype(np.uint8) if gray.dtype == np.uint16 else gray.astype(np.uint8)
    return gray


class OpenCvCamera(Camera):
    """A source OpenCV's VideoCapture reads: a V4L2 device, a network stream, an image sequence or a video file."""

    def __init__(self, uri: str, target: int | str, api: str, hint: str, reopen: bool, pace_fps: float = 0.0) -> None:
        super().__init__(uri)
        self.target = target
        self.api = api  # the cv2.CAP_* name
        self.hint = hint  # the error code saying what to check when it cannot be opened
        self.reopen = reopen
        self.pace_fps = pace_fps  # files: read at this rate rather than all at once
        self._cap: Any = None
        self._cap_lock = threading.Lock()
        self._next_read = 0.0

    def _connect(self, timeout_s: float) -> None:
        cv2 = _cv2()
        api = getattr(cv2, self.api)
        params: list[int] = []
        if self.api == "CAP_FFMPEG" and isinstance(self.target, str) and "://" in self.target:
            timeout_ms = max(1, round(timeout_s * 1000))
            read_ms = round(_READ_TIMEOUT_S * 1000)
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, timeout_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, read_ms]
        try:
            cap = cv2.VideoCapture(self.target, api, params)
        except cv2.error as err:  # OpenCV's own words stay with the cause, for the log
            raise CameraError(self.hint, uri=self.uri, path=self.target) from err
        if not cap.isOpened():  # VideoCapture fails silently
            cap.release()
            raise CameraError(self.hint, uri=self.uri, path=self.target)
        if self.api == "CAP_V4L2":
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keep the driver's queue short, so frames are fresh
        with self._cap_lock:
            self._cap = cap
        self._next_read = time.monotonic()

    def _read(self) -> np.ndarray | None:
        cap = self._cap
        if cap is None:
            return None
        if self.pace_fps > 0:
            wait = self._next_read - time.monotonic()
            if wait > 0:
                self._stop.wait(min(wait, _READ_TIMEOUT_S))
                if wait > _READ_TIMEOUT_S or self._stop.is_set():
                    return None
            self._next_read = max(self._next_read + 1 / self.pace_fps, time.monotonic())
        ok, image = cap.read()
        return image if ok and image is not None and image.size else None

    def _disconnect(self) -> None:
        with self._cap_lock:
            cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()


class FolderCamera(Camera):
    """A folder of pictures: every *.png/*.jpg in name order, then each new file as it appears."""

    suffixes = (".png", ".jpg", ".jpeg")
    max_tries = 25  # a file that cannot be decoded this many times (partly written or broken) is skipped

    def __init__(self, uri: str, path: Path) -> None:
        super().__init__(uri)
        self.path = path
        self._seen: set[str] = set()
        self._tries: dict[str, int] = {}

    def _connect(self, timeout_s: float) -> None:
        if not self.path.is_dir():
            raise CameraError("dev.camera.not_folder", uri=self.uri, path=str(self.path))

    def _read(self) -> np.ndarray | None:
        try:
            names = sorted(n for n in os.listdir(self.path) if n.lower().endswith(self.suffixes))
        except OSError:
            return None  # the folder went away; keep looking
        for name in names:
            if name in self._seen:
                continue
            image = self._decode(self.path / name)
            if image is None:
                self._tries[name] = self._tries.get(name, 0) + 1
                if self._tries[name] >= self.max_tries:
                    self._seen.add(name)
                return None  # try again shortly: the writer may not have finished
            self._seen.add(name)
            self._tries.pop(name, None)
            return image
        return None

    @staticmethod
    def _decode(path: Path) -> np.ndarray | None:
        """The picture, or None while the file is incomplete: a cut-off JPEG would otherwise decode half grey."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        complete = data.endswith(_PNG_END) if data.startswith(b"\x89PNG") else data.rstrip(b"\0").endswith(b"\xff\xd9")
        if not complete:
            return None
        cv2 = _cv2()
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
        return None if image is None else np.asarray(image)

    def _disconnect(self) -> None:
        pass


_PNG_END = b"IEND\xaeB`\x82"
_DEVICE = re.compile(r"/dev/video(\d+)$")


def device_camera(uri: str) -> Camera:
    """A V4L2 device: /dev/videoN (or a link to one) or video://N."""
    if uri.startswith("video://"):
        text = uri[len("video://") :]
    else:
        match = _DEVICE.match(os.path.realpath(uri))  # /dev/v4l/by-id/… links resolve to /dev/videoN
        text = match.group(1) if match else ""
    if not text.isdigit():
        raise CameraError("dev.camera.bad_device", uri=uri)
    return OpenCvCamera(uri, int(text), "CAP_V4L2", "dev.camera.open_device", reopen=True)


def url_camera(uri: str) -> Camera:
    """A network stream read through FFMPEG."""
    return OpenCvCamera(uri, uri, "CAP_FFMPEG", "dev.camera.open_stream", reopen=True)


def _split_query(uri: str, scheme: str) -> tuple[str, dict[str, list[str]]]:
    path, _, query = uri[len(scheme) :].partition("?")
    if not path.startswith("/"):
        raise CameraError("dev.camera.bad_path", uri=uri, example=f"{scheme}/srv/frames")
    return path, parse_qs(query)


def file_camera(uri: str) -> Camera:
    """An image sequence (a name with %) or a video file, read at ``fps`` (30 unless the URI says)."""
    path, query = _split_query(uri, "file://")
    fps = float(query.get("fps", ["30"])[-1])
    sequence = "%" in path
    hint = "dev.camera.open_sequence" if sequence else "dev.camera.open_file"
    api = "CAP_IMAGES" if sequence else "CAP_FFMPEG"
    return OpenCvCamera(uri, path, api, hint, reopen=False, pace_fps=fps)


def folder_camera(uri: str) -> Camera:
    """A folder of pictures."""
    path, _ = _split_query(uri, "dir://")
    return FolderCamera(uri, Path(path))


def unknown_address(uri: str, prefixes: list[str]) -> CameraError:
    """The refusal of a camera URI no backend takes."""
    return CameraError("dev.camera.unknown", uri=uri, prefixes=", ".join(p + "…" for p in prefixes))


def open_camera(uri: str) -> Camera:
    """The camera for ``uri`` (not yet opened: call ``open()`` or use it as a context manager)."""
    camera: Camera = open_device("camera", uri)
    return camera


__all__ = [
    "Camera",
    "CameraError",
    "FolderCamera",
    "Frame",
    "OpenCvCamera",
    "device_camera",
    "file_camera",
    "folder_camera",
    "open_camera",
    "url_camera",
]
