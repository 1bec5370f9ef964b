"""Rules for text people type into the station: names, receivers, reasons.

Stored text is shown on screens, printed on labels and slips and sent to terminals, so it may hold no control
character (ESC, BEL, a newline: escape sequences and forged lines), no bidirectional-format character (U+202E turns
"exe.txt" into "txt.exe") and no zero-width character (an invisible difference between two names), and it has a
length limit. A name that reads as an existing one, after NFKC normalisation (full-width letters, compatibility
forms) and without zero-width characters, spaces or case, is refused naming the one it copies.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from station.errors import RegistryError

NAME_MAX = 100
RECEIVER_MAX = 50
REASON_MAX = 500
# characters of category Cf that change how text reads without being seen
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")


def _refused(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or char in BIDI or char in ZERO_WIDTH or category == "Cf"


def clean(value: str, field: str, limit: int, required: bool = True) -> str:
    """``value`` without surrounding spaces, checked: RegistryError naming ``field`` (a catalogue key of the field's
    name) and what is wrong, else the text to store."""
    from station.texts import t

    text = value.strip()
    if required and not text:
        raise RegistryError("input.empty", field=t(field))
    bad = next((c for c in text if _refused(c)), None)
    if bad is not None:
        raise RegistryError("input.bad_char", field=t(field), char=f"U+{ord(bad):04X}", position=text.index(bad) + 1)
    if len(text) > limit:
        raise RegistryError("input.too_long", field=t(field), limit=limit, length=len(text))
    return text


def reads_as(value: str) -> str:
    """What a name reads as: NFKC, no zero-width characters or spaces, case folded."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(c for c in folded if c not in ZERO_WIDTH and not c.isspace()).casefold()


def refuse_copy(name: str, existing: Iterable[tuple[int | None, str]], field: str) -> None:
    """RegistryError when ``name`` reads as one of ``existing`` (id or None, name)."""
    from station.texts import t

    key = reads_as(name)
    for other_id, other in existing:
        if reads_as(other) == key:
            if other_id is None:
                raise RegistryError("input.same_as_name", field=t(field), name=other)
            raise RegistryError("input.same_as", field=t(field), name=other, id=other_id)
