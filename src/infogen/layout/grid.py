"""The grid region: theme panels in blocks (one per group, or one for all), rows and columns.

Blocks stand side by side (`arrange: columns`, their rows aligned across blocks) or one
below the other (`rows`). The grid is a vertical sequence of bands — label bands, gaps
and rows of panels — whose rows `fit.py` sizes to the height the grid is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.content import Group as ContentGroup
from ..model.content import Theme
from ..model.layout import GroupPalette, Layout
from ..model.regions import Grid
from ..scene import Group, Item, Path
from .context import Context, GridFit
from .fit import FitProblem, size_panels
from .geometry import Rect, rect_path
from .panel import PanelSlot, build_panel, nominal_size
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class Block:
    """The panels shown together under one label: a group's, or every theme (no label)."""

    group: ContentGroup | None
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class Band:
    """A horizontal slice of the grid: a fixed height (a label, a gap) or a row of panels."""

    height: float = 0.0  # fixed height; a row's height is decided by the sizing
    row: int | None = None
    label: int | None = None  # the block whose label it holds; -1: every block's (side by side)


def palette_of(layout: Layout, group_index: int) -> GroupPalette:
    """A group's colours: the palettes in order, repeated when there are more groups."""
    return layout.palettes[group_index % len(layout.palettes)]


def blocks_of(grid: Grid, groups: tuple[ContentGroup, ...]) -> list[Block]:
    shown = [g for g in groups if grid.themes in ("all", g.id)]
    if grid.group_by == "none":
        return [Block(None, tuple(t for g in shown for t in g.themes))]
    return [Block(g, g.themes) for g in shown]


def draw_grid(grid: Grid, rect: Rect, ctx: Context, path: str) -> tuple[Item, ...]:
    ts, layout = ctx.ts, ctx.layout
    design = layout.panels[grid.panel]
    blocks = blocks_of(grid, ctx.content.groups)
    side_by_side = grid.arrange == "columns"
    n = len(blocks) if side_by_side else 1
    block_width = (rect.width - (n - 1) * grid.group_gap) / n
    block_x = [
        ts.mirror(
            rect.x + (i if side_by_side else 0) * (block_width + grid.group_gap),
            block_width,
            rect.x,
            rect.width,
        )
        for i in range(len(blocks))
    ]
    group_index = {g.id: i for i, g in enumerate(ctx.content.groups)}
    bands, slots = _bands_and_slots(grid, ctx, blocks, block_x, block_width)
    rows = sum(1 for band in bands if band.row is not None)
    available = rect.height - sum(band.height for band in bands)
    problem = FitProblem(ctx.where(f"{path}.fit.min_size"), f"{path}.fit.min_size")
    sizing = size_panels(ts, grid, design, slots, rows, available, problem)
    nominal = nominal_size(design, ts)
    scales = [t.scale for t in sizing.texts] or [1.0]
    ctx.fits.append(GridFit(path, nominal, nominal * max(scales), nominal * min(scales), len(slots)))
    row_y: dict[int, float] = {}
    label_y: dict[int, float] = {}
    y = rect.y
    for band in bands:
        if band.row is not None:
            row_y[band.row] = y
            y += sizing.row_heights[band.row]
        elif band.label is not None:
            label_y[band.label] = y
        y += band.height
    try:
        panels = [
            build_panel(
                ts,
                design,
                slot,
                Rect(slot.x, row_y[slot.row], slot.width, sizing.row_heights[slot.row]),
                text,
            )
            for slot, text in zip(slots, sizing.texts, strict=True)
        ]
    except Overflowing as exc:  # a badge's number: the design, not the text, is at fault
        raise ctx.overflow(exc, f"panels.{grid.panel}") from None
    if grid.group_by == "none":
        return (Group("block", tuple(panels), kind="grid"),)
    sections: list[Item] = []
    for index, block in enumerate(blocks):
        assert block.group is not None
        group = block.group
        label: tuple[Item, ...] = ()
        if grid.label is not None:
            top = label_y[-1 if side_by_side else index]
            label_rect = Rect(block_x[index], top, block_width, grid.label.height)
            palette = palette_of(layout, group_index[group.id])
            try:
                label = (_group_label(ts, grid, group, label_rect, palette),)
            except Overflowing as exc:
                raise ctx.overflow(exc, f"{path}.label") from None
        members = [p for p, slot in zip(panels, slots, strict=True) if slot.group_id == group.id]
        sections.append(Group("section", (*label, *members), id=group.id, label=group.label, kind="group"))
    return (Group("block", tuple(sections), kind="grid"),)


def _bands_and_slots(
    grid: Grid, ctx: Context, blocks: list[Block], block_x: list[float], block_width: float
) -> tuple[list[Band], list[PanelSlot]]:
    """The grid from top to bottom, and every panel's column and row."""
    ts, content = ctx.ts, ctx.content
    group_index = {g.id: i for i, g in enumerate(content.groups)}
    theme_group = {t.id: g.id for g in content.groups for t in g.themes}
    side_by_side = grid.arrange == "columns"
    cols = grid.columns
    width = (block_width - (cols - 1) * grid.gap) / cols
    label = grid.label
    bands: list[Band] = []
    slots: list[PanelSlot] = []
    first_row = 0
    for index, block in enumerate(blocks):
        block_rows = math.ceil(len(block.themes) / cols)
        if not side_by_side or index == 0:
            if index:
                bands.append(Band(grid.group_gap))
            if label is not None:
                bands += [Band(label.height, label=-1 if side_by_side else index), Band(label.gap)]
        slots += [
            PanelSlot(
                group_id=theme_group[theme.id],
                theme=theme,
                palette=palette_of(ctx.layout, group_index[theme_group[theme.id]]),
                icon_view_box=content.icon_view_box,
                x=ts.mirror(
                    block_x[index] + (i % cols) * (width + grid.gap), width, block_x[index], block_width
                ),
                width=width,
                row=first_row + i // cols,
            )
            for i, theme in enumerate(block.themes)
        ]
        if not side_by_side:
            bands += _row_bands(first_row, block_rows, grid.gap)
            first_row += block_rows
    if side_by_side:
        rows = max(math.ceil(len(b.themes) / cols) for b in blocks)
        bands += _row_bands(0, rows, grid.gap)
    return bands, slots


def _row_bands(first: int, count: int, gap: float) -> list[Band]:
    bands: list[Band] = []
    for row in range(first, first + count):
        if row > first:
            bands.append(Band(gap))
        bands.append(Band(row=row))
    return bands


def _group_label(ts: Typesetter, grid: Grid, group: ContentGroup, band: Rect, palette: GroupPalette) -> Group:
    label = grid.label
    assert label is not None
    key = f"groups.{group.id}"
    inner = band.width - 2 * label.padding_x
    text = ts.set(group.label, label.style, inner, key=key)
    if len(text.lines) > 1 or text.height > band.height:
        excess = text.height - band.height if text.height > band.height else text.lines[1].width
        raise Overflowing("the group label does not fit on one line of its band", excess, key)
    y = band.y + (band.height - text.height) / 2
    runs = ts.runs(text, label.style, band.x + label.padding_x, y, inner, palette.on_colour)
    background = Path(rect_path(band, label.radius), fill=palette.colour)
    return Group(
        "heading",
        (Group("artifact", (background,)), *runs),
        id=group.id,
        label=group.label,
        level=label.level,
        kind="group-label",
    )
