"""Cameras and the virtual camera: the real OpenCV path over MJPEG/HTTP on 127.0.0.1, frame freshness, faults."""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp
from PIL import Image

from drivers.cameras import Camera, CameraError, open_camera
from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrintedLabel, VirtualPrinter
from drivers.printers.encoders import encode_tspl
from tests.printer_helpers import label as golden_label

NEW = "https://trace.example.org/c/12345678901234567890"
OLD = "https://trace.example.org/c/00000000000000000001"
# Upper bound of the emulator's render -> JPEG -> HTTP -> FFMPEG -> grab latency: a frame read just after a label
# changed may have been rendered just before it (measured here: up to ~20 ms, so 40% of first reads are stale).
LATENCY_S = 0.1


def qr_label(text: str) -> Image.Image:
    """A 320 x 240 mode "1" label with the QR of ``text`` in the middle, 4 px per module, 4-module border."""
    qr = segno.make_qr(text, error="m")
    matrix = np.array([list(row) for row in qr.matrix], dtype=bool)  # True = dark module
    matrix = np.pad(matrix, 4)
    dots = np.kron(matrix, np.ones((4, 4), dtype=bool))
    canvas = np.zeros((240, 320), dtype=bool)
    y, x = (240 - dots.shape[0]) // 2, (320 - dots.shape[1]) // 2
    canvas[y : y + dots.shape[0], x : x + dots.shape[1]] = dots
    return Image.fromarray(~canvas)  # mode "1": white paper, black ink


def decoded(gray: np.ndarray) -> list[str]:
    """The texts zxing-cpp finds in a grayscale frame."""
    return [r.text for r in zxingcpp.read_barcodes(gray)]


def closed_port() -> int:
    """A 127.0.0.1 port that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def scene() -> Scene:
    s = Scene()
    s.show(qr_label(OLD))
    return s


@pytest.fixture
def faults() -> CameraFaults:
    return CameraFaults()


@pytest.fixture
def virtual(scene: Scene, faults: CameraFaults) -> Iterator[VirtualCamera]:
    with VirtualCamera(scene, faults=faults) as cam:
        yield cam


@pytest.fixture
def camera(virtual: VirtualCamera) -> Iterator[Camera]:
    cam = open_camera(virtual.url)
    cam.latency_s = LATENCY_S
    with cam:
        yield cam


# --- the virtual camera over the real OpenCV path ----------------------------------------------------------


def test_opencv_reads_the_mjpeg_stream(virtual: VirtualCamera) -> None:
    cap = cv2.VideoCapture(virtual.url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000])
    assert cap.isOpened()
    try:
        shapes: list[tuple[int, ...]] = []
        deadline = time.monotonic() + 5.0
        while len(shapes) < 30 and time.monotonic() < deadline:
            ok, frame = cap.read()
            if ok:
                shapes.append(frame.shape[:2])
    finally:
        cap.release()
    assert len(shapes) >= 30
    assert set(shapes) == {(720, 1280)}
    assert virtual.frames_sent >= 30


def test_snapshot_and_unknown_paths(virtual: VirtualCamera) -> None:
    with urllib.request.urlopen(virtual.snapshot_url, timeout=5) as reply:
        assert reply.headers["Content-Type"] == "image/jpeg"
        data = reply.read()
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None and image.shape == (720, 1280)
    assert decoded(image) == [OLD]
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(virtual.url.replace("stream.mjpg", "nothing"), timeout=5)
    assert err.value.code == 404


def test_stop_ends_open_streams_quickly(scene: Scene) -> None:
    virtual = VirtualCamera(scene).start()
    cap = cv2.VideoCapture(virtual.url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000])
    try:
        assert cap.read()[0]
        started = time.monotonic()
        virtual.stop()
        assert time.monotonic() - started < 0.5
    finally:
        cap.release()
        virtual.stop()


# --- freshness: frame_after --------------------------------------------------------------------------------


def test_frame_after_shows_the_label_just_shown(scene: Scene, camera: Camera) -> None:
    seqs = []
    for text in (NEW, OLD, NEW):
        t = time.monotonic()
        scene.show(qr_label(text))
        frame = camera.frame_after(t, timeout_s=2.0)
        assert frame.captured_at - LATENCY_S > t
        assert frame.image.dtype == np.uint8 and frame.image.shape == (720, 1280)
        assert frame.source == camera.uri
        assert decoded(frame.image) == [text]
        seqs.append(frame.seq)
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert 20 < camera.fps < 40
    assert camera.frames_read >= seqs[-1]


def test_frozen_stream_keeps_delivering_the_old_picture(scene: Scene, faults: CameraFaults, camera: Camera) -> None:
    assert decoded(camera.frame_after(time.monotonic()).image) == [OLD]
    faults.frozen = True
    t = time.monotonic()
    scene.show(qr_label(NEW))
    frames = [camera.frame_after(t)]
    for _ in range(2):
        frames.append(camera.frame_after(frames[-1].captured_at - camera.latency_s))
    assert [f.seq for f in frames] == sorted({f.seq for f in frames})  # fresh reads ...
    assert all(decoded(f.image) == [OLD] for f in frames)  # ... of a stale picture: the content tells


def test_a_delayed_camera_shows_the_scene_as_it_was_that_long_ago(
    scene: Scene, faults: CameraFaults, camera: Camera
) -> None:
    assert decoded(camera.frame_after(time.monotonic()).image) == [OLD]
    faults.delay_s = 0.6
    shown = time.monotonic()
    scene.show(qr_label(NEW))
    frame = camera.frame_after(shown)
    reads = []
    while time.monotonic() - shown < 1.5:  # fresh frames, each judged by what it shows
        reads.append((frame.captured_at - shown, decoded(frame.image)))
        frame = camera.frame_after(frame.captured_at - camera.latency_s)
    old = [at for at, texts in reads if texts == [OLD]]
    new = [at for at, texts in reads if texts == [NEW]]
    assert old and new and max(old) < min(new)  # the change shows once, and stays
    assert 0.55 < min(new) < 0.6 + 2 * LATENCY_S
    faults.delay_s = 0.0  # the pipeline catches up: the newest scene at once
    scene.show(qr_label(OLD))
    t = time.monotonic()
    frame = camera.frame_after(t)
    while decoded(frame.image) != [OLD]:
        frame = camera.frame_after(frame.captured_at - camera.latency_s)
    assert frame.captured_at - t < 2 * LATENCY_S


def test_no_frames_times_out_then_recovers(faults: CameraFaults, camera: Camera) -> None:
    first = camera.frame_after(time.monotonic())
    faults.no_frames = True
    t = time.monotonic()
    with pytest.raises(CameraError, match="no new frame from http://127.0.0.1:.* within 1 s"):
        camera.frame_after(t, timeout_s=1.0)
    assert time.monotonic() - t < 2.0
    last = camera.latest()
    assert last is not None and last.captured_at - camera.latency_s <= t  # nothing new
    faults.no_frames = False
    after = camera.frame_after(time.monotonic(), timeout_s=5.0)  # the grab thread opened the stream again
    assert after.seq > first.seq


def test_close_of_a_stalled_stream_is_quick(faults: CameraFaults, virtual: VirtualCamera) -> None:
    cam = open_camera(virtual.url)
    cam.open()
    cam.frame_after(time.monotonic())
    faults.no_frames = True
    time.sleep(1.2)  # into the read timeout and reopen attempts
    started = time.monotonic()
    cam.close()
    assert time.monotonic() - started < 1.0  # 0.6 s at most, with room for a busy machine's scheduling
    with pytest.raises(CameraError, match="not open"):
        cam.frame_after(time.monotonic(), timeout_s=0.1)
    faults.no_frames = False
    with cam:  # the same camera opens again
        assert cam.frame_after(time.monotonic()).seq > 1


# --- sources that cannot be opened -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "uri",
    [f"http://127.0.0.1:{closed_port()}/x.mjpg", "/dev/video99", "video://98", "dir:///nonexistent/frames"],
)
def test_unopenable_camera_fails_quickly_naming_it(uri: str) -> None:
    if uri.startswith("/dev/") and os.path.exists(uri):
        pytest.skip(f"{uri} exists here")
    cam = open_camera(uri)
    started = time.monotonic()
    with pytest.raises(CameraError) as err:
        cam.open(timeout_s=3.0)
    assert time.monotonic() - started < 10.0
    assert uri in str(err.value)
    assert "check" in str(err.value)


def test_unknown_uri_is_refused() -> None:
    with pytest.raises(CameraError, match="unknown camera URI"):
        open_camera("gopher://camera")


# --- folders (every backend's contract: tests/test_device_contracts.py) ------------------------------------


def _pictures(folder: Path, count: int, name: str = "frame_{:04d}.png") -> list[int]:
    levels = [40 + 20 * i for i in range(count)]
    for i, level in enumerate(levels):
        Image.fromarray(np.full((48, 64), level, np.uint8)).save(folder / name.format(i))
    return levels


def test_folder_reads_files_in_order_as_they_appear(tmp_path: Path) -> None:
    levels = _pictures(tmp_path, 3, "a_{:02d}.png")
    with open_camera(f"dir://{tmp_path}") as cam:
        deadline = time.monotonic() + 3.0
        while cam.frames_read < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert cam.frames_read == 3
        newest = cam.latest()
        assert newest is not None and newest.seq == 3 and int(newest.image[0, 0]) == levels[-1]
        (tmp_path / "notes.txt").write_text("not a picture")
        seqs = [newest.seq]
        for i, level in enumerate((200, 220, 240), start=3):
            t = time.monotonic()
            ok, data = cv2.imencode(".jpg", np.full((48, 64), level, np.uint8))
            assert ok
            (tmp_path / f"b_{i:02d}.jpg").write_bytes(data.tobytes())
            frame = cam.frame_after(t)
            assert abs(int(frame.image.mean()) - level) <= 2
            seqs.append(frame.seq)
        assert seqs == [3, 4, 5, 6]


def test_folder_waits_for_a_file_being_written(tmp_path: Path) -> None:
    ok, data = cv2.imencode(".jpg", np.full((48, 64), 200, np.uint8))
    assert ok
    with open_camera(f"dir://{tmp_path}") as cam:
        part = tmp_path / "x.jpg"
        part.write_bytes(data.tobytes()[: len(data) // 2])  # half written: must not become a frame
        time.sleep(0.15)
        assert cam.latest() is None
        part.write_bytes(data.tobytes())
        assert abs(int(cam.frame_after(time.monotonic() - 1).image.mean()) - 200) <= 2


# --- the imaging model -------------------------------------------------------------------------------------

CLEAN = Imaging(jitter_px=0.0, rotation_deg=0.0, perspective=0.0, blur_sigma=0.0, noise_sigma=0.0, lighting=0.0)


def test_clean_imaging_is_a_scaled_copy() -> None:
    label = qr_label(NEW)
    scene = Scene()
    scene.show(label)
    im = replace(CLEAN, px_per_dot=2.0)
    frame = VirtualCamera(scene, im).render()
    h, w = 240 * 2, 320 * 2
    y, x = (im.height - h) // 2, (im.width - w) // 2
    black = ~np.asarray(label)
    expected = np.where(np.kron(black, np.ones((2, 2), dtype=bool)), im.ink, im.paper).astype(np.uint8)
    assert np.array_equal(frame[y : y + h, x : x + w], expected)
    assert set(np.unique(frame[y : y + h, x : x + w])) == {im.ink, im.paper}
    outside = frame.copy()
    outside[y : y + h, x : x + w] = im.background
    assert set(np.unique(outside)) == {im.background}
    assert decoded(frame) == [NEW]


def test_blur_lowers_the_contrast_of_thin_lines() -> None:
    lines = np.full((120, 200), 255, np.uint8)
    lines[:, ::4] = 0  # one-dot lines every four dots
    scene = Scene()
    scene.show(Image.fromarray(lines, mode="L"))
    contrasts = []
    for sigma in (0.5, 1.0, 2.0):
        frame = VirtualCamera(scene, replace(CLEAN, blur_sigma=sigma)).render()
        middle = frame[360 - 40 : 360 + 40, 640 - 100 : 640 + 100].astype(float)
        contrasts.append(np.percentile(middle, 95) - np.percentile(middle, 5))
    assert contrasts[0] > contrasts[1] + 10 > contrasts[2] + 20


def test_render_is_deterministic_and_varies_per_frame(scene: Scene) -> None:
    a, b = VirtualCamera(scene), VirtualCamera(scene)
    assert np.array_equal(a.render(7), b.render(7))
    assert not np.array_equal(a.render(7), a.render(8))
    assert not np.array_equal(a.render(7), VirtualCamera(scene, Imaging(seed=1)).render(7))
    assert decoded(a.render(7)) == [OLD]


def test_lighting_falls_off_by_the_given_fraction() -> None:
    frame = VirtualCamera(Scene(), replace(CLEAN, lighting=0.2, background=200)).render()
    assert frame.max() == 200
    assert frame.min() == pytest.approx(200 * 0.8, abs=2)


def test_empty_scene_is_plain_background() -> None:
    frame = VirtualCamera(Scene(), CLEAN).render()
    assert set(np.unique(frame)) == {90}


# --- the printer emulator in front of the camera -----------------------------------------------------------


def test_scene_follows_the_printer_emulator() -> None:
    seen: list[int] = []
    printer = VirtualPrinter("tspl", on_label=lambda printed: seen.append(printed.index))
    scene = Scene()
    scene.attach(printer)
    before = scene.version
    label = golden_label()
    printer.feed(encode_tspl(label))
    assert seen == [1]  # the callback that was there keeps working
    assert scene.version == before + 1
    shown = scene.current()[1]
    assert shown is not None and np.array_equal(shown == 0, ~np.asarray(label))
    frame = VirtualCamera(scene).render(3)
    assert decoded(frame) == ["https://trace.example.org/c/17806008427909203676"]


def test_scene_from_folder_shows_the_newest_printed_label(tmp_path: Path) -> None:
    printed: list[PrintedLabel] = []
    printer = VirtualPrinter("tspl", out_dir=tmp_path, on_label=printed.append)
    scene = Scene.from_folder(tmp_path)
    assert scene.current()[1] is None
    for text in (OLD, NEW):
        printer.feed(encode_tspl(qr_label(text)))
    deadline = time.monotonic() + 2.0
    while scene.version < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [p.index for p in printed] == [1, 2]
    assert decoded(VirtualCamera(scene).render()) == [NEW]
