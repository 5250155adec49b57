"""Composition: content + layout → Scene. Every position and size is decided here.

The page is a vertical stack: a header band (heading, accent rule, intro in
columns), the body (one block per group: a label band and a grid of panels),
and a footer (rule and credits). The body takes whatever height the header and
footer leave; panel text is then fitted into the panels (see `fit.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Content
from ..model.content import Group as ContentGroup
from ..model.layout import GroupPalette, Layout
from ..scene import Group, Item, LineTo, MoveTo, Page, Path, Scene, Stroke
from ..text.fonts import FontLibrary
from ..units import Colour, describe_pt
from .coverage import check_coverage
from .fit import PanelSlot, build_panel, size_panels
from .geometry import Rect, bleed_out, rect_path
from .typeset import Overflowing, Typesetter, resolve_fonts


def compose(content: Content, layout: Layout, library: FontLibrary, layout_file: str = "") -> Scene:
    fonts = resolve_fonts(layout, library, layout_file, content.script)
    check_coverage(content, layout, fonts)
    ts = Typesetter(layout, fonts, content.lang, content.direction)
    page = layout.page
    m = page.margin
    frame = Rect(m.left, m.top, page.width - m.left - m.right, page.height - m.top - m.bottom)
    try:
        header, header_bottom = _header(ts, content, layout, frame)
        footer, footer_top = _footer(ts, content, layout, frame)
    except Overflowing as exc:
        raise _overflow_error(exc, content, layout_file) from None
    body_top = header_bottom + layout.body.gap_before
    body_rect = Rect(frame.x, body_top, frame.width, footer_top - layout.footer.gap - body_top)
    body = _body(ts, content, layout, body_rect, layout_file)
    background = Path(rect_path(_bleed(Rect(0, 0, page.width, page.height), layout)), fill=page.background)
    items: tuple[Item, ...] = (Group("artifact", (background,)), header, body, footer)
    if page.crop_marks:
        items += (crop_marks(layout),)
    doc = content.document
    return Scene(
        pages=(Page(page.width, page.height, items, page.bleed, page.slug),),
        lang=content.lang,
        title=doc.title,
        subject=doc.subject,
        author=", ".join(content.authors),
        keywords=doc.keywords,
    )


REGISTRATION = Colour(0.0, 0.0, 0.0, (1.0, 1.0, 1.0, 1.0))  # marks print on every plate


def _bleed(rect: Rect, layout: Layout) -> Rect:
    return bleed_out(rect, layout.page.width, layout.page.height, layout.page.bleed)


def crop_marks(layout: Layout) -> Group:
    """A pair of short lines at each trim corner, starting `crop_mark_offset` outside it."""
    page = layout.page
    near, far = page.crop_mark_offset, page.crop_mark_offset + page.crop_mark_length
    stroke = Stroke(REGISTRATION, page.crop_mark_thickness, "butt", "miter")
    lines = []
    for x, sx in ((0.0, -1), (page.width, 1)):
        for y, sy in ((0.0, -1), (page.height, 1)):
            lines.append(Path((MoveTo(x + sx * near, y), LineTo(x + sx * far, y)), stroke=stroke))
            lines.append(Path((MoveTo(x, y + sy * near), LineTo(x, y + sy * far)), stroke=stroke))
    return Group("marks", tuple(lines))


def _header(ts: Typesetter, content: Content, layout: Layout, frame: Rect) -> tuple[Group, float]:
    h = layout.header
    y: float = h.padding_top
    heading = ts.set(content.heading, h.heading_style, frame.width, key="heading")
    heading_runs = ts.runs(heading, h.heading_style, frame.x, y, frame.width)
    y += heading.height + h.heading_gap
    rule: tuple[Item, ...] = ()
    if h.rule_thickness > 0:
        x = ts.mirror(frame.x, h.rule_width, frame.x, frame.width)
        rule = (Path(rect_path(Rect(x, y, h.rule_width, h.rule_thickness)), fill=h.rule_colour),)
        y += h.rule_thickness + h.rule_gap
    intro_items, intro_height = _intro(ts, content.intro, layout, Rect(frame.x, y, frame.width, 0))
    bottom = y + intro_height + h.padding_bottom
    band = Path(rect_path(_bleed(Rect(0, 0, layout.page.width, bottom), layout)), fill=h.background)
    items = (
        Group("artifact", (band, *rule)),
        Group("heading", heading_runs, label=content.heading, level=1, kind="heading"),
        Group("block", intro_items, kind="intro"),
    )
    return Group("block", items, kind="header"), bottom


def _intro(
    ts: Typesetter, paragraphs: tuple[str, ...], layout: Layout, top: Rect
) -> tuple[tuple[Item, ...], float]:
    """Set the intro paragraphs in columns, keeping their order and balancing the heights."""
    h = layout.header
    columns = min(h.intro_columns, len(paragraphs))
    width = (top.width - (columns - 1) * h.intro_column_gap) / columns
    set_paragraphs = [ts.set(p, h.intro_style, width, key=f"intro[{i}]") for i, p in enumerate(paragraphs)]
    heights = [p.height for p in set_paragraphs]
    items: list[Item] = []
    tallest = 0.0
    for column, (start, end) in enumerate(balanced_split(heights, columns, h.paragraph_gap)):
        x = ts.mirror(top.x + column * (width + h.intro_column_gap), width, top.x, top.width)
        y = top.y
        for paragraph in set_paragraphs[start:end]:
            items.append(Group("paragraph", ts.runs(paragraph, h.intro_style, x, y, width), kind="intro"))
            y += paragraph.height + h.paragraph_gap
        tallest = max(tallest, y - h.paragraph_gap - top.y)
    return tuple(items), tallest


def balanced_split(heights: list[float], columns: int, gap: float) -> list[tuple[int, int]]:
    """Split items, in order, into `columns` contiguous runs minimising the tallest run."""
    n = len(heights)
    best: tuple[float, list[tuple[int, int]]] = (math.inf, [])

    def height(a: int, b: int) -> float:
        return sum(heights[a:b]) + gap * max(0, b - a - 1)

    def search(start: int, cols_left: int, acc: list[tuple[int, int]], tallest: float) -> None:
        nonlocal best
        if cols_left == 1:
            candidate = max(tallest, height(start, n))
            if candidate < best[0]:
                best = (candidate, acc + [(start, n)])
            return
        for end in range(start + 1, n - cols_left + 2):
            search(end, cols_left - 1, acc + [(start, end)], max(tallest, height(start, end)))

    search(0, columns, [], 0.0)
    return best[1]


def _footer(ts: Typesetter, content: Content, layout: Layout, frame: Rect) -> tuple[Group, float]:
    f = layout.footer
    credits = ts.set(content.credits, f.style, frame.width, key="credits")
    text_top = frame.bottom - credits.height
    items: list[Item] = []
    top = text_top
    if f.rule_thickness > 0:
        top = text_top - f.rule_gap - f.rule_thickness
        items.append(
            Group(
                "artifact",
                (Path(rect_path(Rect(frame.x, top, frame.width, f.rule_thickness)), fill=f.rule_colour),),
            )
        )
    items.append(
        Group("paragraph", ts.runs(credits, f.style, frame.x, text_top, frame.width), kind="credits")
    )
    return Group("block", tuple(items), kind="footer"), top


def _body(ts: Typesetter, content: Content, layout: Layout, rect: Rect, layout_file: str) -> Group:
    b = layout.body
    side_by_side = b.arrangement == "columns"
    n = len(content.groups)
    group_width = (rect.width - (n - 1) * b.group_gap) / n if side_by_side else rect.width
    group_x = [
        ts.mirror(rect.x + i * (group_width + b.group_gap), group_width, rect.x, rect.width)
        if side_by_side
        else rect.x
        for i in range(n)
    ]
    bands, slots = _bands_and_slots(ts, content, layout, group_x, group_width)
    rows = sum(1 for band in bands if band.row is not None)
    available = rect.height - sum(band.height for band in bands)
    sizing = size_panels(ts, layout, slots, rows, available, layout_file)
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
    groups: list[Item] = []
    for index, group in enumerate(content.groups):
        palette = palette_of(layout, index)
        top = label_y[-1 if side_by_side else index]
        try:
            label = _group_label(
                ts, group, layout, Rect(group_x[index], top, group_width, b.label.height), palette
            )
        except Overflowing as exc:
            raise _overflow_error(exc, content, layout_file) from None
        panels = [
            build_panel(
                ts,
                layout,
                slot,
                Rect(slot.x, row_y[slot.row], slot.width, sizing.row_heights[slot.row]),
                text,
            )
            for slot, text in zip(slots, sizing.texts, strict=True)
            if slot.group_id == group.id
        ]
        groups.append(Group("section", (label, *panels), id=group.id, label=group.label, kind="group"))
    return Group("block", tuple(groups), kind="grid")


@dataclass(frozen=True)
class Band:
    """A horizontal slice of the body: a fixed height (a label, a gap) or a row of panels."""

    height: float = 0.0  # fixed height; a row's height is decided by the sizing
    row: int | None = None
    label: int | None = None  # the group whose label it holds; -1: every group's (side by side)


def _bands_and_slots(
    ts: Typesetter, content: Content, layout: Layout, group_x: list[float], group_width: float
) -> tuple[list[Band], list[PanelSlot]]:
    """The body from top to bottom, and every panel's column and row."""
    b = layout.body
    side_by_side = b.arrangement == "columns"
    cols = b.panel_columns
    width = (group_width - (cols - 1) * b.panel_gap) / cols
    bands: list[Band] = []
    slots: list[PanelSlot] = []
    first_row = 0
    for index, group in enumerate(content.groups):
        group_rows = math.ceil(len(group.themes) / cols)
        if not side_by_side or index == 0:
            if index:
                bands.append(Band(b.group_gap))
            bands += [Band(b.label.height, label=-1 if side_by_side else index), Band(b.label.gap)]
        slots += [
            PanelSlot(
                group_id=group.id,
                theme=theme,
                palette=palette_of(layout, index),
                icon_view_box=content.icon_view_box,
                x=ts.mirror(
                    group_x[index] + (i % cols) * (width + b.panel_gap), width, group_x[index], group_width
                ),
                width=width,
                row=first_row + i // cols,
            )
            for i, theme in enumerate(group.themes)
        ]
        if not side_by_side:
            bands += _row_bands(first_row, group_rows, b.panel_gap)
            first_row += group_rows
    if side_by_side:
        rows = max(math.ceil(len(g.themes) / cols) for g in content.groups)
        bands += _row_bands(0, rows, b.panel_gap)
    return bands, slots


def palette_of(layout: Layout, group_index: int) -> GroupPalette:
    """A group's colours: the palettes in order, repeated when there are more groups."""
    palettes = layout.body.palettes
    return palettes[group_index % len(palettes)]


def _row_bands(first: int, count: int, gap: float) -> list[Band]:
    bands: list[Band] = []
    for row in range(first, first + count):
        if row > first:
            bands.append(Band(gap))
        bands.append(Band(row=row))
    return bands


def _group_label(
    ts: Typesetter, group: ContentGroup, layout: Layout, band: Rect, palette: GroupPalette
) -> Group:
    label = layout.body.label
    key = f"groups.{group.id}"
    text = ts.set(group.label, label.style, band.width - 2 * label.padding_x, key=key)
    if len(text.lines) > 1 or text.height > band.height:
        excess = text.height - band.height if text.height > band.height else text.lines[1].width
        raise Overflowing("the group label does not fit on one line of its band", excess, key)
    y = band.y + (band.height - text.height) / 2
    runs = ts.runs(
        text, label.style, band.x + label.padding_x, y, band.width - 2 * label.padding_x, palette.on_colour
    )
    background = Path(rect_path(band, label.radius), fill=palette.colour)
    return Group(
        "heading",
        (Group("artifact", (background,)), *runs),
        id=group.id,
        label=group.label,
        level=2,
        kind="group-label",
    )


def _overflow_error(exc: Overflowing, content: Content, layout_file: str) -> InfogenError:
    return InfogenError(
        [
            Diagnostic(
                f"language '{content.lang}': {exc.what} by {describe_pt(exc.excess)}",
                Location(content.source),
                exc.key,
                f"shorten the text, or give it more room in {layout_file or 'the layout'}",
                exit_code=ExitCode.RENDER_FAILED,
            )
        ]
    )
