"""The one traversal of a Scene that every exporter shares.

Exporters implement four paint methods; `paint` calls them in reading order
(which is also painting order), so PDF and SVG visit exactly the same items.
Each group is entered and left: the place for a transform or a clip to begin and
end, and later for tagged PDF's marked content.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from ..scene import GlyphRun, Group, Item, Path

Target = TypeVar("Target")


class Painter(Protocol, Generic[Target]):
    def enter_group(self, group: Group, target: Target) -> Target:
        """Open a group; return the target its children are painted into."""

    def leave_group(self, group: Group, target: Target) -> None:
        """Close the group opened by `enter_group` (`target` is what that returned)."""

    def paint_path(self, path: Path, target: Target) -> None: ...

    def paint_glyphs(self, run: GlyphRun, target: Target) -> None: ...


def paint(item: Item, painter: Painter[Target], target: Target) -> None:
    if isinstance(item, Group):
        inner = painter.enter_group(item, target)
        for child in item.items:
            paint(child, painter, inner)
        painter.leave_group(item, inner)
    elif isinstance(item, Path):
        painter.paint_path(item, target)
    else:
        painter.paint_glyphs(item, target)
