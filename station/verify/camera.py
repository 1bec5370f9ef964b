"""The camera that reads labels back, as the settings describe it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from drivers.cameras import Camera
from station.config import Config


@contextmanager
def configured_camera(config: Config, uri: str | None = None) -> Iterator[Camera]:
    """The configured camera (or ``uri``), open, with its pipeline latency taken from ``[verify] latency_s``.

    Every reader of labels (the print run, ``station verify-camera``) opens its camera here, so the latency that
    decides which frames came after a label is set in one place.
    """
    from drivers.cameras import open_camera

    with open_camera(uri or config.verify.camera) as camera:
        camera.latency_s = config.verify.latency_s
        yield camera


__all__ = ["configured_camera"]
