"""The grade never rises as any one damage grows: blur, contrast loss, camera noise and dead print-head columns,
each over growing amounts with several seeds, on a synthetic frame whose corners are known exactly."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station.qr import make_symbol
from station.verify.grade import MEASURED, Grade, grade_symbol

SYMBOL = make_symbol("https://trace.example.org/c/12345678901234567890", "m")  # version 4
PX = 5  # frame pixels per module
MARGIN = 6  # modules from the frame's edge to the symbol
DARK, LIGHT = 25.0, 225.0
FADED = 62.0  # ink this light: symbol contrast B (0.64), just under A
SEEDS = tuple(range(20))
DAMAGE = {
    "blur": (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0),  # Gaussian σ, pixels
    "contrast": (0.0, 20.0, 40.0, 55.0, 70.0, 80.0, 90.0),  # grey levels the ink lightens and the paper darkens
    "noise": (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 65.0, 70.0, 80.0, 90.0),  # Gaussian σ, grey levels
    "noise, faded": (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0),  # the same on a print of contrast B
    "dead": (0, 1, 2, 3, 4, 6, 8),  # one-pixel white columns through the symbol
}


def _frame(kind: str, amount: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The symbol printed and filmed with ``amount`` of one damage; the same seed gives the same damage, grown."""
    n = SYMBOL.modules
    levels = np.ones((n + 2 * MARGIN, n + 2 * MARGIN))
    levels[MARGIN : MARGIN + n, MARGIN : MARGIN + n] = np.where(SYMBOL.matrix, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    dark, light = (DARK + amount, LIGHT - amount) if kind == "contrast" else (DARK, LIGHT)
    if kind == "noise, faded":
        dark = FADED
    frame = dark + (light - dark) * np.kron(levels, np.ones((PX, PX)))
    frame = cv2.GaussianBlur(frame, (0, 0), 0.6 + 0.1 * rng.random())  # the camera's own softness
    if kind == "blur" and amount > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), amount)
    if kind == "dead":
        columns = rng.permutation(np.arange(MARGIN * PX, (MARGIN + n) * PX))[: int(amount)]
        frame[:, columns] = light
    noise = rng.standard_normal(frame.shape)
    if kind.startswith("noise"):
        frame = frame + amount * noise
    edge = MARGIN * PX - 0.5
    corners = np.array([[edge, edge], [edge + n * PX, edge], [edge + n * PX, edge + n * PX], [edge, edge + n * PX]])
    return np.clip(np.rint(frame), 0, 255).astype(np.uint8), corners


def _grades(kind: str, seed: int) -> list[Grade]:
    found = []
    for amount in DAMAGE[kind]:
        frame, corners = _frame(kind, amount, seed)
        found.append(grade_symbol(frame, corners, SYMBOL, True))
    return found


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_no_grade_rises_as_damage_grows(kind: str, seed: int) -> None:
    grades = _grades(kind, seed)
    scan = [g.grade for g in grades]
    assert all(a >= b for a, b in zip(scan, scan[1:], strict=False)), (kind, seed, scan)
    for name in MEASURED:
        each = [g.parameters[name][1] for g in grades]
        assert all(a >= b for a, b in zip(each, each[1:], strict=False)), (kind, seed, name, each)
    assert scan[0] == (3.0 if kind == "noise, faded" else 4.0), scan
    assert scan[-1] < scan[0], scan  # the damage range runs from a sound print to a worse one


def test_contrast_does_not_grow_with_noise() -> None:
    for seed in SEEDS:
        contrast = [_grades_one("noise", a, seed).parameters["symbol_contrast"][0] for a in (0.0, 30.0, 60.0, 90.0)]
        assert all(a >= b - 0.005 for a, b in zip(contrast, contrast[1:], strict=False)), contrast


def _grades_one(kind: str, amount: float, seed: int) -> Grade:
    frame, corners = _frame(kind, amount, seed)
    return grade_symbol(frame, corners, SYMBOL, True)


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_a_filmed_label_grades_no_better_under_more_camera_noise(seed: int) -> None:
    # the label printed by the emulator and filmed by the virtual camera, then noise added (one field per seed,
    # grown): the reader's corners move from frame to frame, the grade must not follow them upwards
    from station.verify.verifier import verify_frame
    from tests.labels_helpers import GOLDEN_PAYLOAD
    from tests.verify_helpers import film, print_label, render

    label, reference = render()
    filmed = film(print_label(label.image), seed).astype(np.float64)
    noise = np.random.default_rng(100 + seed).standard_normal(filmed.shape)
    grades = []
    for sigma in (0.0, 20.0, 40.0, 55.0, 60.0, 65.0, 70.0, 80.0, 90.0):
        frame = np.clip(np.rint(filmed + sigma * noise), 0, 255).astype(np.uint8)
        result = verify_frame(frame, GOLDEN_PAYLOAD, reference)
        grades.append(result.grade if result.decoded else 0.0)
    assert all(a >= b for a, b in zip(grades, grades[1:], strict=False)), grades
    assert grades[0] == 4.0 and grades[-1] < grades[0], grades
