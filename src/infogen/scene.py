"""The Scene: the display list that layout produces and every exporter paints.

It is the only contract between layout and output. Plain frozen values, no
backend types; one coordinate system everywhere: points, origin at the page's
top-left corner, y pointing down (the PDF exporter flips once).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Literal

from .units import Colour

__all__ = ["Colour", "FontRef", "Glyph", "GlyphRun", "Group", "Item", "Page", "Path", "Scene", "Stroke"]

# Path commands, absolute coordinates: ("M", x, y), ("L", x, y),
# ("C", x1, y1, x2, y2, x, y), ("Z",).
PathCommand = tuple


@dataclass(frozen=True)
class Stroke:
    colour: Colour
    width: float  # pt
    cap: Literal["butt", "round", "square"]
    join: Literal["miter", "round", "bevel"]


@dataclass(frozen=True)
class Path:
    """A filled and/or stroked outline."""

    commands: tuple[PathCommand, ...]
    fill: Colour | None = None
    stroke: Stroke | None = None


@dataclass(frozen=True)
class FontRef:
    """Which font file a run uses; exporters embed or outline it, never measure with it."""

    id: str  # PostScript name, unique within a render
    path: FilePath
    index: int  # face index in a collection
    units_per_em: int


@dataclass(frozen=True)
class Glyph:
    id: int  # glyph id in the font
    x: float  # pen position relative to the run's origin, pt
    y: float  # offset from the baseline, pt, y down


@dataclass(frozen=True)
class GlyphRun:
    """A run of shaped text in one font and one direction (a line, or the part of a line
    set in that font): glyphs at fixed positions, plus the text they show."""

    font: FontRef
    size: float  # pt
    colour: Colour
    x: float  # origin: the left end of the baseline
    y: float
    glyphs: tuple[Glyph, ...]
    advance: float  # total width, pt
    text: str  # the source text, in logical order, for search, copy and screen readers
    lang: str
    direction: Literal["ltr", "rtl"] = "ltr"


Role = Literal[
    "marks",  # printer's marks outside the trim: drawn in print formats only
    "header",
    "heading",
    "intro",
    "body",
    "group",
    "panel",
    "title",
    "list",
    "list-item",
    "figure",
    "footer",
    "decoration",
]


@dataclass(frozen=True)
class Group:
    """A semantic grouping of items, in reading order (tagging, SVG <g>, tests)."""

    role: Role
    items: tuple[Item, ...]
    id: str = ""
    label: str = ""  # accessible name, e.g. a panel's title


Item = Group | Path | GlyphRun


@dataclass(frozen=True)
class Page:
    width: float  # trim size, pt
    height: float
    items: tuple[Item, ...]
    bleed: float = 0.0  # colours reach this far beyond the trim edge
    slug: float = 0.0  # room around the trim for bleed and marks (the PDF's MediaBox)


@dataclass(frozen=True)
class Scene:
    pages: tuple[Page, ...]
    lang: str
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]


def walk(item: Item) -> Iterator[Item]:
    """Every item below (and including) `item`, depth first, in reading order."""
    yield item
    if isinstance(item, Group):
        for child in item.items:
            yield from walk(child)
