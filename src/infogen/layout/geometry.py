"""Rectangles and the outlines the layout draws: rounded boxes, circles, icons."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.pathdata import parse_path
from ..scene import Close, CubicTo, LineTo, MoveTo, PathCommand

KAPPA = 0.5522847498  # control-point distance for a quarter circle made of one cubic


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def inset(self, top: float, right: float, bottom: float, left: float) -> Rect:
        return Rect(self.x + left, self.y + top, self.width - left - right, self.height - top - bottom)

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )


def bleed_out(r: Rect, page_width: float, page_height: float, bleed: float) -> Rect:
    """`r` with every edge that lies on the trim edge pushed out by the bleed, so a colour
    that touches the edge of the page still does after trimming."""
    left = r.x - bleed if r.x <= 0 else r.x
    top = r.y - bleed if r.y <= 0 else r.y
    right = r.right + bleed if r.right >= page_width else r.right
    bottom = r.bottom + bleed if r.bottom >= page_height else r.bottom
    return Rect(left, top, right - left, bottom - top)


def rect_path(r: Rect, radius: float = 0.0) -> tuple[PathCommand, ...]:
    """A rectangle, with quarter-circle corners when radius > 0."""
    k = min(radius, r.width / 2, r.height / 2)
    if k <= 0:
        return (
            MoveTo(r.x, r.y),
            LineTo(r.right, r.y),
            LineTo(r.right, r.bottom),
            LineTo(r.x, r.bottom),
            Close(),
        )
    c = k * (1 - KAPPA)
    x0, y0, x1, y1 = r.x, r.y, r.right, r.bottom
    return (
        MoveTo(x0 + k, y0),
        LineTo(x1 - k, y0),
        CubicTo(x1 - c, y0, x1, y0 + c, x1, y0 + k),
        LineTo(x1, y1 - k),
        CubicTo(x1, y1 - c, x1 - c, y1, x1 - k, y1),
        LineTo(x0 + k, y1),
        CubicTo(x0 + c, y1, x0, y1 - c, x0, y1 - k),
        LineTo(x0, y0 + k),
        CubicTo(x0, y0 + c, x0 + c, y0, x0 + k, y0),
        Close(),
    )


def circle_path(cx: float, cy: float, r: float) -> tuple[PathCommand, ...]:
    return rect_path(Rect(cx - r, cy - r, 2 * r, 2 * r), r)


def svg_path(
    d: str, x: float, y: float, scale: float, mirror_width: float | None = None
) -> tuple[PathCommand, ...]:
    """SVG path data (y down, like the Scene) scaled and moved to (x, y); with
    `mirror_width` (the drawing's width in its own units), flipped left to right."""

    def pt(px: float, py: float) -> tuple[float, float]:
        if mirror_width is not None:
            px = mirror_width - px
        return (round(x + px * scale, 3), round(y + py * scale, 3))

    out: list[PathCommand] = []
    for op, n in parse_path(d):
        if op == "M":
            out.append(MoveTo(*pt(*n)))
        elif op == "L":
            out.append(LineTo(*pt(*n)))
        elif op == "C":
            out.append(CubicTo(*pt(n[0], n[1]), *pt(n[2], n[3]), *pt(n[4], n[5])))
        else:
            out.append(Close())
    return tuple(out)
