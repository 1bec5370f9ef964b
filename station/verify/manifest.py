"""A verification manifest: a CSV of label photos and the payload each must carry.

Rows are ``image,payload[,code]``: the image's path relative to the manifest, the payload, and optionally the code
the label was printed for (with a template, the label is then checked against its reference). A first row
``image,payload`` is a header; blank rows are skipped.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from station.errors import VerifyError


@dataclass(frozen=True)
class ManifestRow:
    """One photo to verify."""

    name: str  # the image as the manifest writes it
    path: Path  # resolved against the manifest's folder
    payload: str
    code: str | None = None


def read_manifest(path: Path) -> list[ManifestRow]:
    """The rows of the manifest at ``path``; VerifyError when it cannot be read or a row lacks image and payload."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise VerifyError("verify.manifest_unreadable", path=path) from err
    rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["image", "payload"]:
        rows = rows[1:]
    found = []
    for number, row in enumerate(rows, start=1):
        if len(row) < 2:
            raise VerifyError("verify.bad_row", n=number, file=path)
        code = row[2] if len(row) > 2 and row[2].strip() else None
        found.append(ManifestRow(row[0], (path.parent / row[0].strip()).resolve(), row[1], code))
    return found


__all__ = ["ManifestRow", "read_manifest"]
