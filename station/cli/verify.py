"""`station verify-image` and `station verify-camera`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from station.cli.root import _emit, _home, _width, cli, json_option
from station.errors import StationError
from station.texts import t

# --- verification -----------------------------------------------------------------------------------


def _load_gray(path: Path) -> Any:
    import cv2

    from station.errors import VerifyError

    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) if path.is_file() else None
    if image is None:
        raise VerifyError("verify.unreadable", path=path)
    return image


def _print_result(result: Any, name: str, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        _emit({**({"image": name} if name else {}), **result.to_json(), **(extra or {})})
        return
    verdict = t("verify.pass") if result.passed else t("verify.fail")
    click.echo(f"{name + ': ' if name else ''}{verdict}  {result.grade:.1f} ({result.letter})  {result.reason_text()}")
    for key, (value, grade) in result.parameters.items():
        label = t("param." + key)
        pad = " " * max(0, 24 - _width(label))
        click.echo(f"    {label}{pad} {value:8.3f}  {'ABCDF'[4 - grade] if 0 <= grade <= 4 else '?'}")


@cli.command("verify-image")
@click.argument("image", required=False, type=click.Path(path_type=Path))
@click.option("--expect", "expected", default=None, help="The payload the label must carry.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV of image,payload rows (paths relative to the manifest).",
)
@click.option("--template", "template_name", default=None, help="Template the label was printed from.")
@click.option("--code", "code_text", default=None, help="With --template: the code the label was printed for.")
@click.option("--min-grade", type=float, default=None, help="Lowest passing grade (default: [verify] min_grade).")
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the frame with the symbol, wrong modules and defects marked.",
)
@json_option
@click.pass_context
def verify_image_cmd(
    ctx: click.Context,
    image: Path | None,
    expected: str | None,
    manifest: Path | None,
    template_name: str | None,
    code_text: str | None,
    min_grade: float | None,
    annotate_path: Path | None,
    as_json: bool,
) -> None:
    """Verify label photos: decoded, the expected payload, grade A–F with every parameter, defects."""
    import cv2

    from station.verify.manifest import read_manifest
    from station.verify.reference import reference_for_code
    from station.verify.verifier import annotate, verify_frame

    home = _home(ctx)
    floor = home.config.verify.min_grade if min_grade is None else min_grade
    if (image is None) == (manifest is None):
        raise click.UsageError(t("verify.one_source"))
    reference = None
    if code_text and not template_name:
        raise click.UsageError(t("verify.template_and_code"))
    if template_name and (code_text or image is not None):
        if not code_text:
            raise click.UsageError(t("verify.template_and_code"))
        reference, payload = reference_for_code(home, template_name, code_text)
        expected = expected or payload
    if image is not None:
        if expected is None:
            raise click.UsageError(t("verify.need_expect"))
        gray = _load_gray(image)
        result = verify_frame(gray, expected, reference, floor)
        if annotate_path is not None:
            cv2.imwrite(str(annotate_path), annotate(gray, result, reference))
        _print_result(result, "", as_json)
        sys.exit(0 if result.passed else 1)
    assert manifest is not None
    all_passed = True
    for row in read_manifest(manifest):
        try:
            row_reference = None
            if template_name and row.code is not None:
                row_reference, _ = reference_for_code(home, template_name, row.code)
            result = verify_frame(_load_gray(row.path), row.payload, row_reference, floor)
        except StationError as err:
            if as_json:
                _emit(
                    {
                        "image": row.name,
                        "decoded": False,
                        "payload": None,
                        "match": False,
                        "grade": 0.0,
                        "letter": "F",
                        "parameters": {},
                        "defects": [],
                        "passed": False,
                        "error": err.message,
                    }
                )
            else:
                click.echo(f"{row.name}: {t('verify.fail')}  {err.message}")
            all_passed = False
            continue
        all_passed &= result.passed
        _print_result(result, row.name, as_json)
    sys.exit(0 if all_passed else 1)


@cli.command("verify-camera")
@click.option("--camera", "camera_uri", default=None, help="Camera URI (default: [verify] camera).")
@click.option("--expect", "expected", default=None, help="The payload the label must carry.")
@click.option("--template", "template_name", default=None, help="Template the label was printed from.")
@click.option("--code", "code_text", default=None, help="With --template: the code the label was printed for.")
@click.option("--min-grade", type=float, default=None, help="Lowest passing grade (default: [verify] min_grade).")
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the frame with the symbol, wrong modules and defects marked.",
)
@json_option
@click.pass_context
def verify_camera_cmd(
    ctx: click.Context,
    camera_uri: str | None,
    expected: str | None,
    template_name: str | None,
    code_text: str | None,
    min_grade: float | None,
    annotate_path: Path | None,
    as_json: bool,
) -> None:
    """Verify the label under the camera now: the first frame taken after this command started."""
    import time as _time

    import cv2

    from station.verify.camera import configured_camera
    from station.verify.reference import reference_for_code
    from station.verify.verifier import annotate, verify_frame

    home = _home(ctx)
    settings = home.config.verify
    reference = None
    if template_name or code_text:
        if not (template_name and code_text):
            raise click.UsageError(t("verify.template_and_code"))
        reference, payload = reference_for_code(home, template_name, code_text)
        expected = expected or payload
    if expected is None:
        raise click.UsageError(t("verify.need_expect"))
    uri = camera_uri or settings.camera
    started = _time.monotonic()
    with configured_camera(home.config, uri) as camera:
        frame = camera.frame_after(started, settings.frame_timeout_s)
    result = verify_frame(frame.image, expected, reference, settings.min_grade if min_grade is None else min_grade)
    result.frame_seq = frame.seq
    if annotate_path is not None:
        cv2.imwrite(str(annotate_path), annotate(frame.image, result, reference))
    _print_result(result, "", as_json, {"camera": uri, "frame": frame.seq})
    sys.exit(0 if result.passed else 1)
