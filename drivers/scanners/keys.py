"""Keyboard scanners: Linux key codes turned into text for a scanner's keyboard layout, and telling a
keyboard-wedge scan from typing. Pure functions: no device, no evdev module."""

from __future__ import annotations

from dataclasses import dataclass

# --- evdev (HID keyboard scanners) ---------------------------------------------------------------------

# Linux input key codes (linux/input-event-codes.h), so the mapping needs no evdev module.
KEY_ENTER, KEY_KPENTER, KEY_TAB, KEY_SPACE = 28, 96, 15, 57
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK = 42, 54, 58
KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_LEFTALT, KEY_RIGHTALT = 29, 97, 56, 100
KEY_102ND = 86  # the extra key left of Z on ISO keyboards (<> on German ones)


@dataclass(frozen=True)
class KeyLayout:
    """What each key types in one keyboard layout: plain, with Shift and with AltGr."""

    name: str
    plain: dict[int, str]
    shift: dict[int, str]
    altgr: dict[int, str]


def _rows(*rows: tuple[int, str, str]) -> tuple[dict[int, str], dict[int, str]]:
    """Tables from rows of consecutive key codes: (first code, plain characters, shifted characters)."""
    plain: dict[int, str] = {}
    shift: dict[int, str] = {}
    for first, lower, upper in rows:
        assert len(lower) == len(upper)
        for i, (a, b) in enumerate(zip(lower, upper, strict=True)):
            plain[first + i], shift[first + i] = a, b
    return plain, shift


_COMMON = {KEY_ENTER: "\n", KEY_KPENTER: "\n", KEY_TAB: "\t", KEY_SPACE: " ", 55: "*", 98: "/"}
_KEYPAD = {71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+", 79: "1", 80: "2", 81: "3", 82: "0"}


def _layout(name: str, rows: list[tuple[int, str, str]], altgr: dict[int, str], kp_decimal: str) -> KeyLayout:
    plain, shift = _rows(*rows)
    for table in (plain, shift):
        table.update(_COMMON)
        table.update(_KEYPAD)
        table[83] = kp_decimal
    return KeyLayout(name, plain, shift, altgr)


LAYOUTS: dict[str, KeyLayout] = {
    "us": _layout(
        "us",
        [
            (2, "1234567890-=", "!@#$%^&*()_+"),
            (16, "qwertyuiop[]", "QWERTYUIOP{}"),
            (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
            (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
            (KEY_102ND, "\\", "|"),
        ],
        {},
        ".",
    ),
    # German QWERTZ without dead keys (^ ´ ` type themselves), as scanners set to "German keyboard" assume
    "de": _layout(
        "de",
        [
            (2, "1234567890ß´", '!"§$%&/()=?`'),
            (16, "qwertzuiopü+", "QWERTZUIOPÜ*"),
            (30, "asdfghjklöä^", "ASDFGHJKLÖÄ°"),
            (43, "#yxcvbnm,.-", "'YXCVBNM;:_"),
            (KEY_102ND, "<", ">"),
        ],
        {
            3: "²",
            4: "³",
            8: "{",
            9: "[",
            10: "]",
            11: "}",
            12: "\\",
            16: "@",
            18: "€",
            27: "~",
            50: "µ",
            KEY_102ND: "|",
        },
        ",",
    ),
}


def key_text(
    code: int,
    layout: str = "us",
    *,
    shift: bool = False,
    altgr: bool = False,
    ctrl: bool = False,
    caps: bool = False,
) -> str | None:
    """The character a key press types in ``layout`` with the given modifiers, or None if it types nothing.

    Caps Lock flips the case of letters only; Ctrl with a character from ``@`` to ``_`` (or a letter) types the
    control character (Ctrl+M is CR, Ctrl+] is GS).
    """
    keys = LAYOUTS[layout]
    if altgr:
        char = keys.altgr.get(code)
    else:
        plain = keys.plain.get(code)
        char = keys.shift.get(code) if shift else plain
        if caps and plain is not None and plain.isalpha() and keys.shift.get(code) == plain.upper():
            char = plain.upper() if not shift else plain
    if char is None or not ctrl:
        return char
    upper = char.upper()
    if len(upper) == 1 and "@" <= upper <= "_":
        return chr(ord(upper) & 0x1F)
    return None


class KeyDecoder:
    """Turns key events ``(code, value)`` (1 press, 0 release, 2 repeat) into text, tracking the modifiers."""

    def __init__(self, layout: str = "us") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        self.layout = layout
        self.reset()

    def reset(self) -> None:
        """Forget which modifiers are held (the device was reopened)."""
        self._down: set[int] = set()
        self._caps = False

    def feed(self, code: int, value: int) -> str:
        """The text one key event types ("" for modifiers, releases and repeats)."""
        if value == 0:
            self._down.discard(code)
            return ""
        if value != 1:  # a repeat: a scanner that stalls with a key down must not type it twice
            return ""
        if code in (KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_LEFTALT, KEY_RIGHTALT):
            self._down.add(code)
            return ""
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
            return ""
        if KEY_LEFTALT in self._down:
            return ""  # Alt+keypad character codes are not supported
        down = self._down
        char = key_text(
            code,
            self.layout,
            shift=KEY_LEFTSHIFT in down or KEY_RIGHTSHIFT in down,
            altgr=KEY_RIGHTALT in down,
            ctrl=KEY_LEFTCTRL in down or KEY_RIGHTCTRL in down,
            caps=self._caps,
        )
        return char or ""


def keys_to_text(events: list[tuple[int, int]], layout: str = "us") -> str:
    """The text a sequence of key events ``(code, value)`` types, as a HID scanner's keys would."""
    decoder = KeyDecoder(layout)
    return "".join(decoder.feed(code, value) for code, value in events)


# --- keyboard wedge ----------------------------------------------------------------------------------


def split_wedge(keys: list[tuple[str, float]], max_gap_s: float = 0.03, min_len: int = 6) -> list[tuple[str, str]]:
    """Split characters from a keyboard, as ``(character, timestamp)``, into ("scan", text) and ("typed", text).

    The rule: a *burst* is a run of characters each arriving at most ``max_gap_s`` after the one before; a "\\n"
    ends a burst. A burst is a scan if it has at least ``min_len`` characters before any "\\n", or if it ends
    with "\\n" and has at least 2 characters before it (one key plus Enter inside 30 ms happens when a fast typist
    rolls over keys; three keys in a row that fast do not). A scan's text leaves out its "\\n". Every other
    character is typing; neighbouring typed characters are joined into one chunk, "\\n" included. A typed key that
    lands within ``max_gap_s`` before a scan starts is taken as part of the scan.
    """
    bursts: list[str] = []
    current: list[str] = []
    last_t: float | None = None
    for char, at in keys:
        if current and (last_t is None or at - last_t > max_gap_s):
            bursts.append("".join(current))
            current = []
        current.append(char)
        last_t = at
        if char == "\n":
            bursts.append("".join(current))
            current = []
    if current:
        bursts.append("".join(current))
    chunks: list[tuple[str, str]] = []
    for burst in bursts:
        body = burst.removesuffix("\n")
        is_scan = len(body) >= min_len or (burst.endswith("\n") and len(body) >= 2)
        if is_scan:
            chunks.append(("scan", body))
        elif chunks and chunks[-1][0] == "typed":
            chunks[-1] = ("typed", chunks[-1][1] + burst)
        else:
            chunks.append(("typed", burst))
    return chunks
