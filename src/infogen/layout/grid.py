"""The grid region: theme panels in blocks (one per group, or one for all), rows and columns.

Blocks stand side by side (`arrange: columns`, their rows aligned across blocks) or one
below the other (`rows`). The grid is a vertical sequence of bands — label bands, gaps
and rows of panels — whose rows `fit.py` sizes to the height the grid is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Severity
from ..model.content import Group as ContentGroup
from ..model.content import Theme
from ..model.layout import GroupPalette, Layout
from ..model.regions import Grid
from ..scene import Group, Item, Path
from ..units import describe_pt
from .context import Context, GridFit, PanelFit
from .debug import debug_box, padded
from .fit import FitProblem, Sizing, size_panels
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
    if available < rows:  # under a point a row: the regions around the grid took the page
        raise ctx.too_tall(
            rows - available,
            path,
            f"the grid has {describe_pt(rect.height)} of the page, not enough for its labels and "
            f"gaps ({describe_pt(rect.height - available)}) and {rows} rows of panels; too tall",
        )
    strings = {s.key: s.location for s in ctx.content.strings}
    problem = FitProblem(ctx.where(f"{path}.fit.min_size"), f"{path}.fit.min_size", strings)
    sizing = size_panels(ts, grid, design, slots, rows, available, problem)
    ctx.fits.append(_grid_fit(grid, ctx, path, slots, sizing, nominal_size(design, ts)))
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
    rects = [Rect(slot.x, row_y[slot.row], slot.width, sizing.row_heights[slot.row]) for slot in slots]
    try:
        panels = [
            build_panel(ts, design, slot, panel_rect, text)
            for slot, panel_rect, text in zip(slots, rects, sizing.texts, strict=True)
        ]
    except Overflowing as exc:  # a badge's number: the design, not the text, is at fault
        raise ctx.overflow(exc, f"panels.{grid.panel}") from None
    ctx.debug.extend(
        debug_box(
            "panel",
            f"themes.{slot.theme.id}",
            panel_rect,
            padded(panel_rect, design.padding, ts.mirrored),
            text.height / panel_rect.height if panel_rect.height > 0 else None,
        )
        for slot, panel_rect, text in zip(slots, rects, sizing.texts, strict=True)
    )
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


# Text smaller than this is hard to read on A4 at arm's length; on other paper the reading
# distance, and so the size, grows with the page's diagonal. Never below 6 pt.
READABLE_ON_A4 = 7.0
A4_DIAGONAL = math.hypot(595.276, 841.89)
READABLE_FLOOR = 6.0


def readable_size(layout: Layout) -> float:
    """The smallest readable text on the layout's page, in pt."""
    diagonal = math.hypot(layout.page.width, layout.page.height)
    return max(READABLE_FLOOR, READABLE_ON_A4 * diagonal / A4_DIAGONAL)


def _grid_fit(
    grid: Grid, ctx: Context, path: str, slots: list[PanelSlot], sizing: Sizing, nominal: float
) -> GridFit:
    """The fit report of one grid: every panel's size and fullness, what limited the
    size, and a warning where the text ended up too small."""
    panels = tuple(
        PanelFit(
            slot.theme.id,
            round(nominal * text.scale, 2),
            round(text.height / sizing.row_heights[slot.row], 3),
        )
        for slot, text in zip(slots, sizing.texts, strict=True)
    )
    limit = sizing.limit
    string = next((s for s in ctx.content.strings if limit and s.key == limit.key), None)
    where = string.location if string else None
    fit = GridFit(path, nominal, panels, limit.panel if limit else None, limit.key if limit else None, where)
    smallest = fit.smallest_size
    readable = readable_size(ctx.layout)
    floor, key = max((grid.fit.warn_below or 0.0, f"{path}.fit.warn_below"), (readable, ""))
    if smallest >= floor - 1e-6:
        return fit
    why = (
        f"below the grid's fit.warn_below {floor:g}pt ({key} at {ctx.where(key)})"
        if key
        else f"below {readable:.1f}pt, the smallest readable size on this {_paper(ctx.layout)} page"
    )
    culprit = f"; this string, in panel '{limit.panel}', limits the size" if limit else ""
    warning = Diagnostic(
        f"language '{ctx.content.lang}': the panels' text shrank to {smallest:g}pt "
        f"(designed {round(nominal, 2):g}pt), {why}{culprit}",
        where or ctx.where(path),
        limit.key if limit else path,
        f"shorten the text, give the grid more room ({path} at {ctx.where(path)}), or use larger paper",
        severity=Severity.WARNING,
    )
    return replace(fit, warnings=(warning,))


def _paper(layout: Layout) -> str:
    from ..batch import paper_name

    return paper_name(layout.page.width, layout.page.height)


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
