"""Finding a CJK font and proving it has every glyph a label needs."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from station.errors import TemplateError

# Checked in order when no font is configured and fontconfig does not answer.
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@dataclass
class Font:
    """A font file with its character map, and Pillow faces cached by pixel size."""

    path: Path
    codepoints: frozenset[int]
    _faces: dict[int, ImageFont.FreeTypeFont] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The file name, for messages."""
        return self.path.name

    def missing(self, text: str) -> str:
        """Characters of ``text`` the font cannot draw (whitespace aside)."""
        seen: list[str] = []
        for ch in text:
            if not ch.isspace() and ord(ch) not in self.codepoints and ch not in seen:
                seen.append(ch)
        return "".join(seen)

    def face(self, size_px: int) -> ImageFont.FreeTypeFont:
        """The Pillow face at ``size_px`` pixels."""
        face = self._faces.get(size_px)
        if face is None:
            face = ImageFont.truetype(str(self.path), size_px, index=0)
            self._faces[size_px] = face
        return face


def _fontconfig_cjk() -> str | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def locate_font(configured: str = "") -> Path:
    """The configured font, else a known CJK font file, else fontconfig's choice for Chinese."""
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise TemplateError("tpl.font_bad", path=str(path), reason="not found")
        return path
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    found = _fontconfig_cjk()
    if found and Path(found).is_file():
        return Path(found)
    raise TemplateError("tpl.font_missing")


@lru_cache(maxsize=8)
def load_font(path: Path) -> Font:
    """Read the font's character map (fontTools) and check Pillow can open it."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            collection = TTCollection(str(path), lazy=True)
            cmap = collection.fonts[0].getBestCmap() or {}
        else:
            cmap = TTFont(str(path), lazy=True).getBestCmap() or {}
        ImageFont.truetype(str(path), 12, index=0)
    except Exception as err:  # noqa: BLE001 - fontTools and FreeType raise many kinds; all mean "unusable"
        raise TemplateError("tpl.font_bad", path=str(path), reason=str(err)) from err
    if not cmap:
        raise TemplateError("tpl.font_bad", path=str(path), reason="no character map")
    return Font(path=path, codepoints=frozenset(cmap))
