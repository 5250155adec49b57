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

__all__ = [
    "Close",
    "Colour",
    "CubicTo",
    "DebugBox",
    "FontRef",
    "Glyph",
    "GlyphRun",
    "Group",
    "Item",
    "LineTo",
    "MoveTo",
    "Page",
    "Path",
    "PathCommand",
    "Role",
    "Scene",
    "Stroke",
    "Transform",
]


# --- Path commands: absolute coordinates in the Scene's system (pt, y down). ---


@dataclass(frozen=True)
class MoveTo:
    """Start a new subpath at (x, y)."""

    x: float
    y: float


@dataclass(frozen=True)
class LineTo:
    """A straight line from the current point to (x, y)."""

    x: float
    y: float


@dataclass(frozen=True)
class CubicTo:
    """A cubic Bézier curve to (x, y), with control points (x1, y1) and (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    x: float
    y: float


@dataclass(frozen=True)
class Close:
    """Close the subpath with a line back to its start."""


PathCommand = MoveTo | LineTo | CubicTo | Close


def points_of(command: PathCommand) -> tuple[tuple[float, float], ...]:
    """The points a command names, control points included (for bounds and transforms)."""
    if isinstance(command, CubicTo):
        return ((command.x1, command.y1), (command.x2, command.y2), (command.x, command.y))
    if isinstance(command, Close):
        return ()
    return ((command.x, command.y),)


@dataclass(frozen=True)
class Transform:
    """An affine map of the plane, (x, y) -> (a·x + c·y + e, b·x + d·y + f), as in SVG and PDF."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    @staticmethod
    def scale_about(sx: float, sy: float, x: float = 0.0, y: float = 0.0) -> Transform:
        """Scale by (sx, sy), keeping the point (x, y) where it is."""
        return Transform(sx, 0.0, 0.0, sy, x - sx * x, y - sy * y)

    @staticmethod
    def translate(dx: float, dy: float) -> Transform:
        return Transform(e=dx, f=dy)

    def then(self, other: Transform) -> Transform:
        """This map followed by `other`."""
        o = other
        return Transform(
            o.a * self.a + o.c * self.b,
            o.b * self.a + o.d * self.b,
            o.a * self.c + o.c * self.d,
            o.b * self.c + o.d * self.d,
            o.a * self.e + o.c * self.f + o.e,
            o.b * self.e + o.d * self.f + o.f,
        )

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return (self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f)


# --- Paint ---


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
    digest: bytes  # of the file's bytes: what exporters key what they keep of it on


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


# What a group is to a reader, one to one with tagged PDF's standard structure types
# (and ARIA roles in SVG), so tagging needs no knowledge of the layout.
Role = Literal[
    "block",  # a grouping with no meaning of its own (a stack, a band, a grid): Div
    "heading",  # H1-H6, by `level`
    "paragraph",  # P
    "section",  # Sect: a panel, a group of panels
    "list",  # L
    "list-item",  # LI (its text: LBody; its marker is an artifact)
    "figure",  # an icon with alternative text (`label`)
    "artifact",  # decoration: backgrounds, rules, markers; not read out
    "marks",  # printer's marks outside the trim: artifacts drawn in print formats only
]


@dataclass(frozen=True)
class Group:
    """A semantic grouping of items, in reading order (tagging, SVG <g>, tests).

    `transform` maps the group's own coordinates into its parent's, and `clip` (in the
    group's own coordinates) bounds what its items paint: a contact sheet or a debug
    overlay places whole pages as scaled groups without laying them out again."""

    role: Role
    items: tuple[Item, ...]
    id: str = ""  # unique within the page where set, e.g. a panel's theme id
    label: str = ""  # accessible name, e.g. a panel's title or an icon's description
    level: int = 0  # heading level, 1-6, for role "heading"
    kind: str = ""  # the region or panel part that made it ("band", "panel", "badge", ...)
    transform: Transform | None = None
    clip: tuple[PathCommand, ...] | None = None


Item = Group | Path | GlyphRun


@dataclass(frozen=True)
class Page:
    width: float  # trim size, pt
    height: float
    items: tuple[Item, ...]
    bleed: float = 0.0  # colours reach this far beyond the trim edge
    slug: float = 0.0  # room around the trim for bleed and marks (the PDF's MediaBox)


@dataclass(frozen=True)
class DebugBox:
    """Where the layout put a region or a panel, for the designer's debug overlay
    (export/debug.py). Not painted: the page's exporters never read it."""

    kind: str  # the region's kind ("stack", "band", "row", "text", ..., "grid"), or "panel"
    key: str  # the region's key path in the layout ("body[2]"); a panel's theme ("themes.<id>")
    rect: tuple[float, float, float, float]  # x, y, width, height, pt, on the first page
    inner: tuple[float, float, float, float] | None = None  # the rect less its padding
    ratio: float | None = None  # a panel's fit: the height its content needs / its height


@dataclass(frozen=True)
class Scene:
    pages: tuple[Page, ...]
    lang: str
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    debug: tuple[DebugBox, ...] = ()  # layout geometry for the debug overlay; not painted
    direction: Literal["ltr", "rtl"] = "ltr"  # the language's writing direction


def walk(item: Item) -> Iterator[Item]:
    """Every item below (and including) `item`, depth first, in reading order."""
    yield item
    if isinstance(item, Group):
        for child in item.items:
            yield from walk(child)
