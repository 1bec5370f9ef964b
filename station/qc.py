"""Print quality at a glance: grade history and the worst labels, from the ledger's verification events."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

from station.codes import group, make_code
from station.home import Home


def grade_history(home: Home, limit: int = 500) -> dict[str, Any]:
    """The latest verifications: counts per letter and the rejects, newest first, with their pictures."""
    letters: collections.Counter[str] = collections.Counter()
    rejects = []
    for event in home.ledger.latest_events(("code.verify", "code.reject"), limit):
        at, kind, serial, values = event["at"], event["kind"], event["serial"], event["data"]
        if kind == "code.verify":
            letters[str(values.get("letter", "?"))] += 1
            continue
        pictures = sorted(home.path.glob(f"captures/run-*/reject-{serial}.png"))
        rejects.append(
            {
                "at": at,
                "serial": serial,
                "code": group(make_code(home.key, serial)),
                "reason": values.get("reason", ""),
                "grade": values.get("grade"),
                "picture": str(pictures[-1]) if pictures else None,
            }
        )
    return {"letters": dict(letters), "rejects": rejects}


def picture_text(path: str | None, columns: int = 100) -> str:
    """A picture for a plain terminal (Braille cells); empty when there is none."""
    if not path or not Path(path).exists():
        return ""
    from PIL import Image

    from station.labels.preview import to_text

    with Image.open(path) as image:
        return to_text(image.convert("L"), columns)


def side_by_side(reference: Any, result: Any, columns: int, rows: int) -> tuple[str, str]:
    """The label as rendered and the camera's view of it, each as Braille text within columns × rows.

    The camera frame is cut to the label: the verifier's homography maps the label's corners into the frame."""
    import numpy as np

    from station.labels.preview import fit_text

    label = np.where(reference.image, 0, 255).astype(np.uint8)
    frame = getattr(result, "frame", None)
    if frame is None:
        return fit_text(label, columns, rows), ""
    comparison = getattr(result, "comparison", None)
    if comparison is not None:
        h, w = label.shape
        corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], dtype=np.float64) @ comparison.homography.T
        xs, ys = corners[:, 0] / corners[:, 2], corners[:, 1] / corners[:, 2]
        margin = 0.05 * (xs.max() - xs.min())
        x0, x1 = int(max(xs.min() - margin, 0)), int(min(xs.max() + margin, frame.shape[1]))
        y0, y1 = int(max(ys.min() - margin, 0)), int(min(ys.max() + margin, frame.shape[0]))
        if x1 - x0 > 8 and y1 - y0 > 8:
            frame = frame[y0:y1, x0:x1]
    return fit_text(label, columns, rows), fit_text(frame, columns, rows)
