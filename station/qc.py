"""Print quality at a glance: grade history and the worst labels, from the ledger's verification events."""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any

from station.codes import group, make_code
from station.home import Home


def grade_history(home: Home, limit: int = 500) -> dict[str, Any]:
    """The latest verifications: counts per letter and the rejects, newest first, with their pictures."""
    ledger: Any = home.ledger
    rows = ledger._db.execute(  # noqa: SLF001 - a read the repository has no verb for yet
        "SELECT id, at, kind, serial, data FROM events WHERE kind IN ('code.verify', 'code.reject')"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    letters: collections.Counter[str] = collections.Counter()
    rejects = []
    for _id, at, kind, serial, data in rows:
        values = json.loads(data)
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
