"""Debug geometry: the boxes the layout gives regions and panels, recorded as they are
drawn (`Context.debug`) for the designer's overlay (export/debug.py). Recording is a list
append; nothing here changes what is painted."""

from __future__ import annotations

from ..model.regions import Edges
from ..scene import DebugBox
from .geometry import Rect


def as_tuple(rect: Rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.width, rect.height)


def padded(rect: Rect, padding: Edges, mirrored: bool) -> Rect:
    """`rect` less its padding; on a mirrored page the left and right padding swap."""
    left = padding.right if mirrored else padding.left
    right = padding.left if mirrored else padding.right
    return rect.inset(padding.top, right, padding.bottom, left)


def debug_box(
    kind: str, key: str, rect: Rect, inner: Rect | None = None, ratio: float | None = None
) -> DebugBox:
    return DebugBox(kind, key, as_tuple(rect), as_tuple(inner) if inner is not None else None, ratio)
