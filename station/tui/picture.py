"""Pictures in the app: labels and camera frames, drawn as pictures rather than as text.

Where the terminal speaks a graphics protocol (Kitty's, or sixel), the picture is sent as an image through the
textual-image package, at the terminal's own pixels; elsewhere it is drawn with half-blocks in greys
(station.labels.preview): two square pixels a cell, a 40 × 30 mm label legible at 80 × 30 cells.

Which of the two is decided once, before the app takes the terminal (:func:`detect_graphics`, called by run_app):
the terminal is asked then, never while the app draws. The tests never ask, so they always draw half-blocks, and
STATION_PICTURES=blocks keeps half-blocks on a terminal that claims graphics it draws badly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget

from station.errors import StationError
from station.labels.preview import LABEL_COLUMNS, LABEL_ROWS, cell_pairs, fit_gray
from station.texts import t
from station.tui.keybar import KeyLine
from station.tui.plain import Plain

HIDE_CHECK_S = 0.5  # how often a preview asks whether it should make room
_graphics: Any = None  # textual-image's widget class when the terminal draws images, else None


GRAPHICS_TERMS = ("xterm-kitty", "xterm-ghostty", "foot", "foot-extra", "mlterm", "wezterm")
GRAPHICS_PROGRAMS = ("WezTerm", "iTerm.app", "ghostty", "kitty")


def graphics_terminal() -> bool:
    """Whether the terminal is one known to draw images (Kitty's protocol or sixel), or the operator asked for them
    (``STATION_PICTURES=graphics``). Only such a terminal is asked: the question itself is bytes written to the
    terminal, which another terminal would show as text."""
    wanted = os.environ.get("STATION_PICTURES", "")
    if wanted in ("blocks", "graphics"):
        return wanted == "graphics"
    return os.environ.get("TERM", "") in GRAPHICS_TERMS or os.environ.get("TERM_PROGRAM", "") in GRAPHICS_PROGRAMS


def detect_graphics() -> bool:
    """Ask the terminal, once and before the app starts, whether it draws images (Kitty or sixel); True when the
    pictures will be sent as images. Any other terminal, or a question that fails, gets half-blocks."""
    global _graphics
    if not graphics_terminal():
        return False
    try:
        from textual_image.renderable import Image as Best
        from textual_image.renderable import SixelImage, TGPImage
        from textual_image.widget import Image as ImageWidget
    except (ImportError, OSError, ValueError, ArithmeticError):  # not installed, or no answer read: half-blocks
        return False
    if Best in (SixelImage, TGPImage):
        _graphics = ImageWidget
    return _graphics is not None


def _colour(value: tuple[int, ...]) -> Any:
    """The colour of one pixel: a grey level, or red, green and blue."""
    from rich.color import Color

    red, green, blue = value if len(value) == 3 else (value[0],) * 3
    return Color.from_rgb(red, green, blue)


class HalfBlocks(Widget):
    """A grey or RGB picture in half-blocks, scaled down to the cells the widget has (its shape kept)."""

    DEFAULT_CSS = "HalfBlocks { width: 1fr; height: auto; }"

    def __init__(self, gray: np.ndarray | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gray = gray
        self._pairs: np.ndarray | None = None
        self._for: tuple[int, int] = (0, 0)

    def show(self, gray: np.ndarray | None) -> None:
        """Draw this picture instead (None: nothing)."""
        self.gray, self._pairs = gray, None
        self.refresh(layout=True)  # the height follows the picture's shape

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        """As many rows as the picture needs at this width (its shape kept, never scaled up), within the height
        its container allows."""
        if self.gray is None or width <= 0:
            return 1
        h, w = self.gray.shape[:2]
        rows = max(1, -(-round(h / max(w / width, 1.0)) // 2))
        return min(rows, container.height) if container.height > 0 else rows

    def _cells(self) -> np.ndarray | None:
        size = (self.content_size.width, self.content_size.height)
        if self.gray is None or min(size) <= 0:
            return None
        if self._pairs is None or self._for != size:
            self._pairs, self._for = cell_pairs(fit_gray(self.gray, *size)), size
        return self._pairs

    def render_line(self, y: int) -> Strip:
        pairs = self._cells()
        if pairs is None or y >= pairs.shape[0]:
            return Strip.blank(self.content_size.width)
        segments: list[Segment] = []
        run, last = 0, None
        for upper, lower in pairs[y].reshape(pairs.shape[1], 2, -1).tolist():
            key = (tuple(upper), tuple(lower))
            if key != last and last is not None:
                segments.append(Segment("▀" * run, Style(color=_colour(last[0]), bgcolor=_colour(last[1]))))
                run = 0
            last, run = key, run + 1
        if last is not None:
            segments.append(Segment("▀" * run, Style(color=_colour(last[0]), bgcolor=_colour(last[1]))))
        return Strip(segments).extend_cell_length(self.content_size.width)


class Picture(Vertical):
    """A label or a camera frame (a grey array, 0 ink … 255 paper, or an RGB one) in the space the layout gives it:
    an image where the terminal draws images, half-blocks elsewhere."""

    DEFAULT_CSS = "Picture { width: 1fr; height: auto; } Picture > * { width: 100%; height: auto; }"

    def __init__(self, gray: np.ndarray | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gray = gray

    def compose(self) -> ComposeResult:
        if _graphics is None:
            yield HalfBlocks(self.gray)
        else:
            yield _graphics(_as_image(self.gray))

    def show(self, gray: np.ndarray | None) -> None:
        """Draw this picture instead (None: nothing)."""
        self.gray = gray
        if _graphics is None:
            self.query_one(HalfBlocks).show(gray)
        else:
            self.query_one(_graphics).image = _as_image(gray)


def _as_image(gray: np.ndarray | None) -> Any:
    """A grey or RGB array as a PIL image for textual-image (None stays None)."""
    if gray is None:
        return None
    from PIL import Image

    return Image.fromarray(np.asarray(gray, dtype=np.uint8))


class PictureView(ModalScreen[None]):
    """One picture over the screen, at its legible size; Esc closes it."""

    DEFAULT_CSS = f"""
    PictureView {{ align: center middle; }}
    PictureView > Vertical {{
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }}
    PictureView #picture-title {{ height: auto; width: {LABEL_COLUMNS}; }}
    PictureView Picture {{ width: {LABEL_COLUMNS}; max-height: {LABEL_ROWS}; }}
    PictureView KeyLine {{ height: 1; }}
    """
    BINDINGS = [Binding("escape", "close", "tui.close", priority=True)]

    def __init__(
        self, title: str, gray: np.ndarray | None, columns: int = LABEL_COLUMNS, rows: int = LABEL_ROWS
    ) -> None:
        super().__init__()
        self.title_text, self.gray, self.size_cells = title, gray, (columns, rows)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.title_text if self.gray is not None else t("tui.no_picture"), id="picture-title")
            picture = Picture(self.gray)
            picture.styles.width, picture.styles.max_height = self.size_cells
            yield picture
            yield KeyLine()

    def action_close(self) -> None:
        self.dismiss(None)


class LabelPreview(Vertical, can_focus=True):
    """The label a screen is about to print, beside it: a sample of a product's label on the issue screen, an
    order's next label on the print screen. At the right of the screen, 80 × 30 cells where there is room (less of
    the screen's width where there is not); Enter on it opens it at 80 × 30 over the screen."""

    DEFAULT_CSS = f"""
    LabelPreview {{
        dock: right; width: {LABEL_COLUMNS + 4}; max-width: 45%; height: auto;
        border: round $primary-darken-2; padding: 0 1;
    }}
    LabelPreview:focus {{ border: round $accent; }}
    LabelPreview #preview-title {{ height: auto; }}
    """
    BINDINGS = [Binding("enter", "enlarge", "tui.preview.enlarge")]

    def __init__(self, hide_while: Callable[[], bool] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.caption = t("tui.preview.none")
        self.gray: np.ndarray | None = None
        self.hide_while = hide_while  # e.g. while a run prints, its own pictures need the room

    def on_mount(self) -> None:
        if self.hide_while is not None:
            self.set_interval(HIDE_CHECK_S, self._hide_or_show)

    def _hide_or_show(self) -> None:
        hide = self.hide_while is not None and self.hide_while()
        if self.display == hide:
            self.display = not hide

    def compose(self) -> ComposeResult:
        yield Plain(self.caption, id="preview-title")
        yield Picture()

    def show_product(self, enterprise_id: int, product_id: int, hidden: bool = False) -> None:
        """A sample of this product's label (its enterprise's, with a sample code); ``hidden``: with a hidden
        code, its digits masked."""
        self._draw("product", enterprise_id, product_id, int(hidden))

    def show_order(self, order_id: int) -> None:
        """The next label this order prints."""
        self._draw("order", order_id)

    @work(thread=True, exclusive=True, group="preview")
    def _draw(self, what: str, *ids: int) -> None:
        from station.labels.preview import order_label, product_label

        app: Any = self.app
        gray: np.ndarray | None = None
        try:
            with app.open_home() as home:
                if what == "product":
                    gray = product_label(home, ids[0], ids[1], bool(ids[2]))
                    key = "tui.preview.product_hidden" if ids[2] else "tui.preview.product"
                    caption = t(key, product=home.ledger.product(ids[1])["name"])
                else:
                    gray = order_label(home, ids[0])
                    caption = t("tui.preview.order" if gray is not None else "tui.preview.printed", order=ids[0])
        except StationError as err:
            gray, caption = None, err.message
        self.app.call_from_thread(self._shown, caption, gray)

    def _shown(self, caption: str, gray: np.ndarray | None) -> None:
        self.caption, self.gray = caption, gray
        self.query_one("#preview-title", Plain).update(caption)
        self.query_one(Picture).show(gray)

    def action_enlarge(self) -> None:
        if self.gray is not None:
            self.app.push_screen(PictureView(self.caption, self.gray))
