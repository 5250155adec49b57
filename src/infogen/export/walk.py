"""The one traversal of a Scene that every exporter shares.

Exporters implement three paint methods; `paint` calls them in reading order
(which is also painting order), so PDF and SVG visit exactly the same items.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from ..scene import GlyphRun, Group, Item, Path

Target = TypeVar("Target")


class Painter(Protocol, Generic[Target]):
    def paint_group(self, group: Group, target: Target) -> Target:
        """Open a group; return the target its children are painted into."""

    def paint_path(self, path: Path, target: Target) -> None: ...

    def paint_glyphs(self, run: GlyphRun, target: Target) -> None: ...


def paint(item: Item, painter: Painter[Target], target: Target) -> None:
    if isinstance(item, Group):
        inner = painter.paint_group(item, target)
        for child in item.items:
            paint(child, painter, inner)
    elif isinstance(item, Path):
        painter.paint_path(item, target)
    else:
        painter.paint_glyphs(item, target)
