"""Verifying a label as it comes out of the printer: the first frame taken after it printed, and no older one.

``sight`` tells what a fresh frame shows (the label just sent, still the one before it, or something else) from one
cheap reading, so that a print run can wait for the frame that shows its label before it sends the next one.

A camera pipeline holds a few frames, and a printer takes time to bring a label out, so the first "new" frame can
still show the previous label, or no label yet. Such a frame is recognised by its content (no code, or the
previous label's payload) and the next frame is taken, until the deadline; a camera that stays on the previous
label (frozen) therefore never verifies the new one, and a label that never reads fails at the deadline.
"""

from __future__ import annotations

import enum
import time
from typing import Protocol

import numpy as np

from station.errors import DeviceError, device_errors
from station.verify.decode import decode_zxing
from station.verify.defects import Reference
from station.verify.verifier import VerifyResult, verify_frame


class CapturedFrame(Protocol):
    """A picture from a camera: its pixels, its number and when it was read (time.monotonic())."""

    @property
    def image(self) -> np.ndarray: ...

    @property
    def seq(self) -> int: ...

    @property
    def captured_at(self) -> float: ...


class FrameSource(Protocol):
    """What a camera offers: the first frame read after a moment."""

    def frame_after(self, t: float, timeout_s: float = 2.0) -> CapturedFrame: ...


def verify_printed(
    camera: FrameSource,
    printed_at: float,
    expected: str,
    reference: Reference | None,
    previous: str | None = None,
    timeout_s: float = 2.0,
    min_grade: float = 2.0,
) -> VerifyResult:
    """Verify the label printed at ``printed_at`` (time.monotonic()); DeviceError when no fresh frame comes."""
    deadline = time.monotonic() + timeout_s
    with device_errors():
        frame = camera.frame_after(printed_at, timeout_s)  # no fresh frame at all: DeviceError, nothing verified
    while True:
        image = frame.image
        result = verify_frame(image, expected, reference, min_grade)
        result.frame_seq = frame.seq
        result.frame = image
        result.captured_at = frame.captured_at
        # not out yet: the frame shows no code, or still the label before this one (anywhere in it, and not this one)
        not_yet = not result.decoded or (
            previous is not None and previous != expected and previous in result.seen and expected not in result.seen
        )
        if not not_yet or time.monotonic() >= deadline:
            return result  # nothing new by the deadline: the label fails (or the camera is at fault)
        try:
            # the next frame: frame_after compares read times less the camera's delay, so ask with the same
            after = frame.captured_at - float(getattr(camera, "latency_s", 0.0))
            with device_errors():
                frame = camera.frame_after(after, max(0.05, deadline - time.monotonic()))
        except DeviceError:
            return result


class Sight(enum.Enum):
    """What a frame taken after a label was sent shows, as far as capturing that label is concerned."""

    LABEL = "label"  # the label just sent: its payload reads
    PREVIOUS = "previous"  # still the label before it (the camera is behind, or the label is not out yet)
    OTHER = "other"  # no code, or a code that is neither


def sight(image: np.ndarray, expected: str, previous: str | None) -> Sight:
    """Which label ``image`` shows, from zxing-cpp's reading alone (cheap; full verification comes later)."""
    read = {found.text for found in decode_zxing(image)}
    if expected in read:
        return Sight.LABEL
    if previous is not None and previous in read:
        return Sight.PREVIOUS
    return Sight.OTHER
