"""The contact sheet: every language of a layout side by side on one page, for review
meetings — each page scaled into a tile, its language's name above it and its fit
summary beneath.

The pages are not laid out again: each language's Scene page is placed whole as one
scaled, clipped group of the sheet (Group.transform and .clip), so a tile is exactly the
page the render writes. The labels are set like any text, with the layout's own fonts
(the language's script chain, so 'العربية' and '日本語' show), in an ordinary reading order:
the sheet's title, then each tile's label, page and summary, row by row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model.layout import Layout, TextStyle
from ..scene import GlyphRun, Group, Item, Page, Path, Scene, Stroke, Transform
from ..text.fonts import Font, FontLibrary, needs_glyph
from ..units import Pt, rgb
from .geometry import Rect, rect_path
from .typeset import Typesetter, resolve_fonts

MARGIN = 28.0  # pt, around the sheet
GAP_X, GAP_Y = 20.0, 26.0  # between tiles
TILE = 300.0  # the long side of a tile's page, pt
SPACE = 5.0  # between a tile's label, page and summary
INK, MUTED, RULE, WHITE = rgb(0.08, 0.08, 0.1), rgb(0.33, 0.33, 0.36), rgb(0.72, 0.72, 0.75), rgb(1, 1, 1)
STYLES = {"sheet-title": (15.0, "bold"), "sheet-label": (11.0, "bold"), "sheet-summary": (7.5, "regular")}


@dataclass(frozen=True)
class Tile:
    """One language's page on the sheet."""

    scene: Scene  # the language's page, as rendered
    lang: str
    script: str  # picks the label's fonts
    labels: tuple[str, ...]  # 'nl · Nederlands (Dutch)', then plainer ones for fonts that lack its letters
    summary: tuple[str, ...]  # the fit summary, one paragraph each

    @property
    def label(self) -> str:
        return self.labels[0]


def columns_for(count: int) -> int:
    """As many columns as rows, or one more: six languages in three columns of two."""
    return max(1, math.ceil(math.sqrt(count)))


def contact_sheet(
    tiles: Sequence[Tile], layout: Layout, library: FontLibrary, layout_file: str, title: str
) -> Scene:
    """One page holding every tile, in rows, under the sheet's title."""
    first = tiles[0].scene.pages[0]
    scale = TILE / max(first.width, first.height)
    tile_w, tile_h = first.width * scale, first.height * scale
    columns = columns_for(len(tiles))
    width = 2 * MARGIN + columns * tile_w + (columns - 1) * GAP_X
    setter = _Setter(layout, library, layout_file)
    heading = setter.block([title], "Latn", "sheet-title", MARGIN, MARGIN, width - 2 * MARGIN)
    items: list[Item] = [Group("heading", heading.runs, level=1, kind="contact-title")]
    y = MARGIN + heading.height + GAP_Y
    for start in range(0, len(tiles), columns):
        row = tiles[start : start + columns]
        labels = [setter.label(tile) for tile in row]
        label_h = max(setter.block([t], s, "sheet-label", 0, 0, tile_w).height for t, s in labels)
        summary_h = max(setter.block(t.summary, "Latn", "sheet-summary", 0, 0, tile_w).height for t in row)
        for i, (tile, (text, script)) in enumerate(zip(row, labels, strict=True)):
            x = MARGIN + i * (tile_w + GAP_X)
            page_y = y + label_h + SPACE
            label = setter.block([text], script, "sheet-label", x, y, tile_w)
            summary = setter.block(tile.summary, "Latn", "sheet-summary", x, page_y + tile_h + SPACE, tile_w)
            items.append(_tile(tile, label.runs, summary.runs, x, page_y, scale))
        y += label_h + SPACE + tile_h + SPACE + summary_h + GAP_Y
    height = y - GAP_Y + MARGIN
    background = Group("artifact", (Path(rect_path(Rect(0, 0, width, height)), fill=WHITE),), kind="page")
    return Scene(
        pages=(Page(round(width, 3), round(height, 3), (background, *items)),),
        lang="en",
        title=title,
        subject=f"{len(tiles)} languages of one layout, side by side: " + ", ".join(t.lang for t in tiles),
        author="",
        keywords=("contact sheet", *(t.lang for t in tiles)),
    )


def _tile(
    tile: Tile, label: tuple[GlyphRun, ...], summary: tuple[GlyphRun, ...], x: float, y: float, scale: float
) -> Group:
    """A language's label, its page scaled and clipped to the trim, a hairline around it, and
    its fit summary."""
    page = tile.scene.pages[0]
    placed = Group(
        "block",
        page.items,
        label=tile.label,
        kind="contact-page",
        transform=Transform(scale, 0.0, 0.0, scale, round(x, 3), round(y, 3)),
        clip=rect_path(Rect(0, 0, page.width, page.height)),  # the trim: no bleed, no marks
    )
    outline = Rect(x, y, page.width * scale, page.height * scale)
    border = Path(rect_path(outline), stroke=Stroke(RULE, 0.5, "butt", "miter"))
    return Group(
        "section",
        (
            Group("heading", label, level=2, kind="contact-label"),
            placed,
            Group("artifact", (border,), kind="contact-border"),
            Group("paragraph", summary, kind="contact-summary"),
        ),
        id=f"tile-{tile.lang}",
        label=tile.label,
        kind="contact-tile",
    )


@dataclass(frozen=True)
class _Block:
    runs: tuple[GlyphRun, ...]
    height: float


class _Setter:
    """Sets the sheet's own text in the layout's fonts, with a typesetter per script."""

    def __init__(self, layout: Layout, library: FontLibrary, layout_file: str) -> None:
        by_weight = sorted(layout.fonts.items(), key=lambda item: item[1].weight)
        regular = min(by_weight, key=lambda item: abs(item[1].weight - 400))[0]
        bold = by_weight[-1][0]
        styles = {
            name: TextStyle(bold if weight == "bold" else regular, Pt(size), 1.25, INK if size > 8 else MUTED)
            for name, (size, weight) in STYLES.items()
        }
        self.layout = replace(layout, styles=styles, text=replace(layout.text, hyphenate=False))
        self.library, self.layout_file = library, layout_file
        self._typesetters: dict[str, Typesetter] = {}

    def _typesetter(self, script: str) -> Typesetter:
        if script not in self._typesetters:
            fonts = resolve_fonts(self.layout, self.library, self.layout_file, script)
            self._typesetters[script] = Typesetter(self.layout, fonts, "en", "ltr")
        return self._typesetters[script]

    def label(self, tile: Tile) -> tuple[str, str]:
        """The tile's label and the script to set it in: the first of its labels that the
        layout's fonts (for the language's script, else for Latin) can set whole."""
        for script in dict.fromkeys((tile.script, "Latn")):
            chain: tuple[Font, ...] = self._typesetter(script).fonts[self.layout.styles["sheet-label"].font]
            for text in tile.labels:
                if all(any(ord(ch) in f.codepoints for f in chain) for ch in text if needs_glyph(ch)):
                    return text, script
        return tile.lang, "Latn"

    def block(
        self, lines: Sequence[str], script: str, style: str, x: float, y: float, width: float
    ) -> _Block:
        """Paragraphs one below the other, their top-left corner at (x, y)."""
        ts = self._typesetter(script)
        runs: list[GlyphRun] = []
        top = y
        for line in lines:
            paragraph = ts.set(line, style, width)
            runs += ts.runs(paragraph, style, x, y, width)
            y += paragraph.height
        return _Block(tuple(runs), y - top)
