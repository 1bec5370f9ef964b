"""A virtual camera that films the printer emulator's output and serves it as MJPEG over HTTP on 127.0.0.1.

What it sees is a ``Scene``: the newest printed label, or nothing (plain background). Each frame places the label
roughly in the middle of the picture and applies an imaging model (``Imaging``): a random shift, rotation and
perspective per frame, uneven lighting, focus blur, sensor noise and JPEG compression. Frames are deterministic
given the seed and the frame number. Faults (``CameraFaults``): a frozen pipeline that keeps sending the same frame,
a stream that stops sending frames but keeps the connection open, and a delay (frames show the scene as it was a
while ago, as a slow pipeline or a busy computer does).

HTTP: ``GET /stream.mjpg`` answers ``multipart/x-mixed-replace; boundary=frame`` at ``fps``; ``GET /snapshot.jpg``
one JPEG; anything else 404. Frames are rendered once per tick (only while someone watches) and shared by all
clients. Run it on its own beside a printer emulator that writes PNGs::

    python -m drivers.emulators.camera --folder out/labels --port 8081
"""

from __future__ import annotations

import argparse
import collections
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

_BOUNDARY = "frame"
_WAIT_S = 0.1  # longest a server loop sleeps before it looks at the stop flag again
_NOISE_FIELDS = 4
_NOISE_MARGIN = 32  # each frame takes its noise from a random offset into a larger pre-generated field


@dataclass
class Imaging:
    """How the camera forms a picture; the defaults give a realistic but clean image."""

    width: int = 1280
    height: int = 720
    px_per_dot: float = 1.6  # label dots -> frame pixels
    jitter_px: float = 4.0  # random shift of the label per frame, up to this in x and in y
    rotation_deg: float = 1.5  # random rotation within +-
    perspective: float = 0.01  # random corner displacement as a fraction of the label's size
    blur_sigma: float = 0.6  # Gaussian focus blur, frame pixels
    noise_sigma: float = 3.0  # sensor noise, grey levels
    lighting: float = 0.15  # brightness falls off by up to this fraction across the frame
    jpeg_quality: int = 85
    paper: int = 235  # grey levels
    ink: int = 30
    background: int = 90
    seed: int = 0


@dataclass
class CameraFaults:
    """Faults to inject; change them while the camera runs."""

    frozen: bool = False  # keep sending the same frame (a stuck pipeline)
    no_frames: bool = False  # stop sending frames but keep the connection
    delay_s: float = 0.0  # frames show the scene as it was this long ago (a slow pipeline, a busy computer)


_LABEL_NAME = re.compile(r"label-(\d+)\.png$")


class Scene:
    """What the camera sees: the newest printed label, or nothing (plain background). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._label: np.ndarray | None = None  # grey levels 0..255, 255 = white paper
        self._version = 0
        self._folder: Path | None = None
        self._folder_index = 0
        self._next_poll = 0.0

    def show(self, label: Image.Image) -> None:
        """Put ``label`` (mode "1" or "L": black ink on white) in front of the camera."""
        array = np.asarray(label.convert("L"), dtype=np.uint8).copy()
        with self._lock:
            self._label = array
            self._version += 1

    def clear(self) -> None:
        """Take the label away: the camera sees plain background."""
        with self._lock:
            self._label = None
            self._version += 1

    def attach(self, printer: Any) -> None:
        """Show every label ``printer`` (a VirtualPrinter) prints, keeping any ``on_label`` callback it already has."""
        previous: Callable[[Any], None] | None = printer.on_label

        def on_label(printed: Any) -> None:
            self.show(printed.image)
            if previous is not None:
                previous(printed)

        printer.on_label = on_label

    @staticmethod
    def from_folder(path: str | Path) -> Scene:
        """A scene that shows the newest ``label-NNNNN.png`` in ``path`` (a printer emulator's ``out_dir``)."""
        scene = Scene()
        scene._folder = Path(path)
        return scene

    @property
    def version(self) -> int:
        """Goes up by one whenever the scene changes."""
        self._poll_folder()
        return self._version

    def current(self) -> tuple[int, np.ndarray | None]:
        """The scene's version and label (grey levels, 255 = paper), or None for an empty scene."""
        self._poll_folder()
        with self._lock:
            return self._version, self._label

    def _poll_folder(self) -> None:
        if self._folder is None or time.monotonic() < self._next_poll:
            return
        self._next_poll = time.monotonic() + 0.05
        try:
            names = [entry.name for entry in self._folder.iterdir()]
        except OSError:
            return
        newest = max(((int(m.group(1)), n) for n in names if (m := _LABEL_NAME.match(n))), default=None)
        if newest is None or newest[0] == self._folder_index:
            return
        try:
            with Image.open(self._folder / newest[1]) as image:
                self.show(image)
        except OSError:
            return  # not readable yet; the next poll tries again
        self._folder_index = newest[0]


class VirtualCamera:
    """Films a ``Scene`` with an imaging model and serves MJPEG over HTTP; ``render`` works without HTTP."""

    def __init__(
        self,
        scene: Scene,
        imaging: Imaging | None = None,  # not a shared default instance: Imaging is mutable
        faults: CameraFaults | None = None,
        fps: float = 30.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.scene = scene
        self.imaging = imaging or Imaging()
        self.faults = faults or CameraFaults()
        self.fps = fps
        self.host = host
        self.port = port
        self.frames_sent = 0  # JPEG parts written to stream clients, all clients together
        self.frames_rendered = 0
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._tick = threading.Condition()
        self._jpeg: bytes | None = None  # the current tick's frame, shared by every client
        self._tick_no = 0
        self._clients = 0
        self._count_lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._label_key: tuple[Any, ...] | None = None
        self._label_scaled: np.ndarray | None = None
        self._light_key: tuple[Any, ...] | None = None
        self._light: np.ndarray | None = None
        self._noise_key: tuple[Any, ...] | None = None
        self._noise: list[tuple[np.ndarray, np.ndarray]] = []
        self._history: collections.deque[tuple[float, int, np.ndarray | None]] = collections.deque()

    # --- the picture ---------------------------------------------------------------------------------

    def render(self, frame_no: int = 0) -> np.ndarray:
        """One grayscale uint8 frame (height x width) of the scene; the same ``frame_no`` gives the same frame."""
        im = self.imaging
        rng = np.random.default_rng((im.seed, frame_no))
        with self._render_lock:
            label = self._scaled_label()
            frame: np.ndarray
            if label is None:
                frame = np.full((im.height, im.width), im.background, np.uint8)
            else:
                frame = cv2.warpPerspective(
                    label,
                    self._placement(label.shape[1], label.shape[0], rng),
                    (im.width, im.height),
                    flags=cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT,
                    borderValue=im.background,
                )
            if im.lighting > 0:
                frame = cv2.multiply(frame, self._lighting_field(), scale=1 / 255)
            if im.blur_sigma > 0:
                frame = cv2.GaussianBlur(frame, (0, 0), im.blur_sigma)
            if im.noise_sigma > 0:
                plus, minus = self._noise_fields()[int(rng.integers(_NOISE_FIELDS))]
                y, x = (int(v) for v in rng.integers(_NOISE_MARGIN, size=2))
                cv2.add(frame, plus[y : y + im.height, x : x + im.width], dst=frame)
                cv2.subtract(frame, minus[y : y + im.height, x : x + im.width], dst=frame)
        return frame

    def _scaled_label(self) -> np.ndarray | None:
        """The scene's label in frame pixels and grey levels, recomputed only when the scene or imaging changes."""
        im = self.imaging
        version, label = self._seen_scene()
        key = (version, im.px_per_dot, im.paper, im.ink)
        if key != self._label_key:
            self._label_key = key
            if label is None:
                self._label_scaled = None
            else:
                levels = np.round(im.ink + (im.paper - im.ink) * np.arange(256) / 255).astype(np.uint8)
                grey = levels[label]
                h, w = grey.shape
                size = (max(1, round(w * im.px_per_dot)), max(1, round(h * im.px_per_dot)))
                # INTER_AREA integrates each frame pixel over the dots it covers, as a sensor does
                self._label_scaled = grey if size == (w, h) else cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
        return self._label_scaled

    def _seen_scene(self) -> tuple[int, np.ndarray | None]:
        """The scene as this camera shows it now: as it was ``faults.delay_s`` ago, or as it is without a delay."""
        version, label = self.scene.current()
        now = time.monotonic()
        history = self._history
        if not history or history[-1][1] != version:
            history.append((now, version, label))
        while len(history) > 1 and history[1][0] <= now - self.faults.delay_s:
            history.popleft()
        _, version, label = history[0]
        return version, label

    def _placement(self, w: int, h: int, rng: np.random.Generator) -> np.ndarray:
        """The homography from the scaled label to the frame: centred, then shifted, rotated and tilted."""
        im = self.imaging
        # a whole-pixel offset, so that with every effect at zero the label is copied exactly
        offset = np.array([round((im.width - w) / 2), round((im.height - h) / 2)], np.float64)
        src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
        centre = np.array([w / 2, h / 2])
        angle = math.radians(rng.uniform(-im.rotation_deg, im.rotation_deg)) if im.rotation_deg > 0 else 0.0
        rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        shift = rng.uniform(-im.jitter_px, im.jitter_px, size=2) if im.jitter_px > 0 else np.zeros(2)
        corners = rng.uniform(-im.perspective, im.perspective, size=(4, 2)) * (w, h) if im.perspective > 0 else 0.0
        dst = (src - centre) @ rot.T + centre + offset + shift + corners
        return cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))

    def _lighting_field(self) -> np.ndarray:
        """Gain per pixel (255 = 1.0): brightest near a point off-centre, falling off by up to ``lighting``."""
        im = self.imaging
        key = (im.width, im.height, im.lighting, im.seed)
        if key != self._light_key or self._light is None:
            rng = np.random.default_rng((im.seed, 0x11647))
            cx, cy = rng.uniform(0.25, 0.75) * im.width, rng.uniform(0.25, 0.75) * im.height
            ys, xs = np.mgrid[0 : im.height, 0 : im.width].astype(np.float32)
            dist = np.hypot(xs - cx, ys - cy)
            gain = 1.0 - im.lighting * dist / dist.max()
            self._light = np.round(gain * 255).astype(np.uint8)
            self._light_key = key
        return self._light

    def _noise_fields(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Pre-generated Gaussian noise as (positive part, negative part) pairs, larger than the frame."""
        im = self.imaging
        key = (im.width, im.height, im.noise_sigma, im.seed)
        if key != self._noise_key:
            rng = np.random.default_rng((im.seed, 0x0015E))
            shape = (im.height + _NOISE_MARGIN, im.width + _NOISE_MARGIN)
            self._noise = []
            for _ in range(_NOISE_FIELDS):
                noise = np.clip(np.round(rng.normal(0.0, im.noise_sigma, shape)), -255, 255).astype(np.int16)
                self._noise.append((np.clip(noise, 0, 255).astype(np.uint8), np.clip(-noise, 0, 255).astype(np.uint8)))
            self._noise_key = key
        return self._noise

    def encode(self, frame: np.ndarray) -> bytes:
        """``frame`` as JPEG bytes at the imaging model's quality."""
        ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, int(self.imaging.jpeg_quality)])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return data.tobytes()

    # --- serving -------------------------------------------------------------------------------------

    def start(self) -> VirtualCamera:
        """Listen on ``host:port`` (port 0: any free port) and start rendering; returns self."""
        if self._server is not None:
            return self
        self._stop.clear()
        server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        server.daemon_threads = True  # handlers leave within _WAIT_S of stop(); stop() need not join them
        self._server = server
        self.port = server.server_address[1]
        self._threads = [
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": _WAIT_S}, daemon=True),
            threading.Thread(target=self._run_ticks, name="virtual-camera-ticks", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; open streams end within about 0.1 s."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()
        with self._tick:
            self._tick.notify_all()
        server.shutdown()
        server.server_close()
        for thread in self._threads:
            thread.join(timeout=1.0)
        self._threads = []

    def __enter__(self) -> VirtualCamera:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The MJPEG stream's address, e.g. ``http://127.0.0.1:PORT/stream.mjpg``."""
        if self._server is None:
            raise RuntimeError("the virtual camera is not started")
        return f"http://{self.host}:{self.port}/stream.mjpg"

    @property
    def snapshot_url(self) -> str:
        """The single-JPEG address."""
        return self.url.replace("/stream.mjpg", "/snapshot.jpg")

    def _run_ticks(self) -> None:
        """Render one frame per tick while anyone watches; a frozen camera repeats its last frame."""
        period = 1.0 / self.fps
        next_at = time.monotonic()
        frame_no = 0
        while not self._stop.is_set():
            now = time.monotonic()
            if now < next_at:
                self._stop.wait(min(next_at - now, _WAIT_S))
                continue
            next_at = next_at + period if now - next_at < period else now + period  # drop ticks when behind
            if self._clients == 0 or self.faults.no_frames:
                continue
            if self._jpeg is None or not self.faults.frozen:
                jpeg = self.encode(self.render(frame_no))
                frame_no += 1
                self.frames_rendered += 1
            else:
                jpeg = self._jpeg
            with self._tick:
                self._jpeg = jpeg
                self._tick_no += 1
                self._tick.notify_all()

    def _snapshot(self) -> bytes | None:
        """The current frame for /snapshot.jpg: the stream's, or a fresh one when nobody streams."""
        if self.faults.no_frames:
            return None
        if self._clients > 0 or (self.faults.frozen and self._jpeg is not None):
            return self._jpeg
        self._jpeg = self.encode(self.render(self.frames_rendered))
        self.frames_rendered += 1
        return self._jpeg

    def _stream(self, handler: BaseHTTPRequestHandler) -> None:
        """Write one multipart part per tick to ``handler`` until the client leaves or the camera stops."""
        with self._count_lock:
            self._clients += 1
        try:
            seen = self._tick_no
            while not self._stop.is_set():
                with self._tick:
                    if self._tick_no == seen:
                        self._tick.wait(_WAIT_S)
                    if self._tick_no == seen or self._jpeg is None:
                        continue
                    seen, jpeg = self._tick_no, self._jpeg
                head = f"--{_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
                handler.wfile.write(head.encode("ascii") + jpeg + b"\r\n")
                handler.wfile.flush()
                with self._count_lock:
                    self.frames_sent += 1
        except OSError:
            pass  # the client went away
        finally:
            with self._count_lock:
                self._clients -= 1


def _handler_for(camera: VirtualCamera) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 5.0  # a client that stops reading cannot hold a handler for longer than this per write

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path.split("?", 1)[0]
            if path == "/stream.mjpg":
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={_BOUNDARY}")
                self.send_header("Cache-Control", "no-cache, no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                camera._stream(self)
            elif path == "/snapshot.jpg":
                jpeg = camera._snapshot()
                if jpeg is None:
                    self.send_error(503, "no frame")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(jpeg)))
                self.end_headers()
                self.wfile.write(jpeg)
            else:
                self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve a folder's newest label as an MJPEG stream until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folder", type=Path, required=True, help="a printer emulator's output folder")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds the pictures lag behind the printer")
    args = parser.parse_args(argv)
    imaging = Imaging(seed=args.seed)
    faults = CameraFaults(delay_s=args.delay)
    with VirtualCamera(Scene.from_folder(args.folder), imaging, faults, fps=args.fps, port=args.port) as camera:
        print(f"virtual camera: {camera.url}", flush=True)
        try:
            while True:
                time.sleep(1.0)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
