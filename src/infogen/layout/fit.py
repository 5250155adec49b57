"""Panels: their content (badge, icon, title, bullets), and fitting text and rows to the page.

The body is a vertical sequence of bands: fixed ones (group labels, gaps) and rows
of panels. A row is as tall as its tallest panel needs (`body.row_heights:
content`, leftover height shared out evenly) or all rows are equal (`equal`).
When the text does not fit, its size shrinks in `fit.step` decrements down to
`fit.min_size` — in `uniform` mode by the same amount in every panel, so they stay
alike; in `per-panel` mode each panel by what it needs. Below the minimum the render fails, naming the panel, the language and
by how much it overflows. Nothing is ever clipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Theme
from ..model.layout import GroupPalette, Layout
from ..scene import Group, Item, Path, Stroke
from ..text.paragraph import SetParagraph
from ..units import describe_pt
from .geometry import Rect, circle_path, rect_path, svg_path
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class PanelSlot:
    """A panel before its height is known: its theme, colours, column and row."""

    group_id: str
    theme: Theme
    palette: GroupPalette
    icon_view_box: float
    x: float
    width: float
    row: int  # the row band it sits in


@dataclass(frozen=True)
class PanelText:
    """A panel's content set at one scale; offsets are from the panel's top-left corner."""

    scale: float
    height: float  # the panel height this content needs, padding included
    badge: float
    badge_offset: tuple[float, float]
    text_x: float
    text_width: float
    title: SetParagraph
    title_y: float
    bullets: tuple[tuple[SetParagraph, float], ...]  # each bullet and its top


@dataclass(frozen=True)
class Sizing:
    """The outcome of fitting: each slot's content, set at its scale, and each row's height."""

    texts: tuple[PanelText, ...]
    row_heights: tuple[float, ...]


def candidate_scales(layout: Layout) -> list[float]:
    """Scales to try, largest first: nominal bullet size down to the minimum, by `step`."""
    fit = layout.panel.fit
    nominal = layout.styles[layout.panel.bullets.style].size
    sizes: list[float] = []
    size: float = nominal
    while size > fit.min_size + 1e-9:
        sizes.append(size)
        size -= fit.step
    sizes.append(min(fit.min_size, nominal))
    return [s / nominal for s in sizes]


def first_fitting(scales: list[float], fits: Callable[[float], bool]) -> int | None:
    """Index of the largest scale that fits, by bisection: text that fits at one size
    fits at every smaller one (fewer or equal lines, each shorter)."""
    low, high = 0, len(scales)
    while low < high:
        middle = (low + high) // 2
        if fits(scales[middle]):
            high = middle
        else:
            low = middle + 1
    return low if low < len(scales) else None


def set_panel(
    ts: Typesetter, layout: Layout, slot: PanelSlot, scale: float, limit: float = math.inf
) -> PanelText:
    """Set the panel's content at `scale` in its width; raise Overflowing if a word is too
    wide, or as soon as the content is taller than `limit` (no need to set the rest)."""
    p, icon = layout.panel, layout.panel.icon
    pad = p.padding
    badge = max(icon.badge_diameter, icon.size)
    text_x = pad.left + (badge + icon.gap if icon.position == "left" else 0)
    width = slot.width - pad.right - text_x
    key = f"themes.{slot.theme.id}"
    if width <= 0:
        raise Overflowing("the icon and padding leave no room for text", -width, key)
    title = ts.set(slot.theme.title, p.title_style, width, scale, f"{key}.title")
    if icon.position == "left":
        # The badge's top lines up with the top of the title's capitals.
        cap_top = title.first_baseline - ts.cap_height(p.title_style, title.size)
        badge_offset: tuple[float, float] = (pad.left, pad.top + max(0.0, cap_top))
        title_y: float = pad.top
    else:
        badge_offset = (pad.left, pad.top)
        title_y = pad.top + badge + icon.gap
    y = title_y + title.height + p.title_gap
    bullets = []
    for index, text in enumerate(slot.theme.bullets):
        if index:
            y += p.bullets.gap
        bullet_width = width - p.bullets.indent * scale
        paragraph = ts.set(text, p.bullets.style, bullet_width, scale, f"{key}.bullets[{index}]")
        bullets.append((paragraph, y))
        y += paragraph.height
        if y + pad.bottom > limit:
            raise Overflowing("the text is too tall for the panel", y + pad.bottom - limit, key)
    height = max(y, badge_offset[1] + badge) + pad.bottom
    # Right-to-left: the badge and the text column swap sides within the panel.
    badge_offset = (ts.mirror(badge_offset[0], badge, 0.0, slot.width), badge_offset[1])
    text_x = ts.mirror(text_x, width, 0.0, slot.width)
    return PanelText(scale, height, badge, badge_offset, text_x, width, title, title_y, tuple(bullets))


def size_panels(
    ts: Typesetter, layout: Layout, slots: Sequence[PanelSlot], rows: int, available: float, layout_file: str
) -> Sizing:
    """Choose every panel's text scale and every row's height, or fail clearly."""
    scales = candidate_scales(layout)
    per_panel = layout.panel.fit.mode == "per-panel"
    content_rows = layout.body.row_heights == "content" and not per_panel

    def needs(scale: float, members: Sequence[PanelSlot], limit: float) -> list[float] | None:
        try:
            return [set_panel(ts, layout, slot, scale, limit).height for slot in members]
        except Overflowing:
            return None

    if per_panel or not content_rows:
        row_height = available / rows
        chosen = []
        members_list = [[slot] for slot in slots] if per_panel else [list(slots)]
        for members in members_list:

            def fits(scale: float, members: list[PanelSlot] = members) -> bool:
                heights = needs(scale, members, row_height)
                return heights is not None and max(heights) <= row_height + 1e-6

            index = first_fitting(scales, fits)
            if index is None:
                raise _failure(ts, layout, members, scales[-1], row_height, layout_file)
            chosen += [set_panel(ts, layout, slot, scales[index]) for slot in members]
        return Sizing(tuple(chosen), (row_height,) * rows)

    def tallest_per_row(heights: Sequence[float]) -> list[float]:
        return [
            max((h for h, s in zip(heights, slots, strict=True) if s.row == r), default=0.0)
            for r in range(rows)
        ]

    def fits_all(scale: float) -> bool:
        heights = needs(scale, slots, available)
        return heights is not None and sum(tallest_per_row(heights)) <= available + 1e-6

    index = first_fitting(scales, fits_all)
    if index is None:
        raise _failure(ts, layout, slots, scales[-1], None, layout_file, available)
    texts = tuple(set_panel(ts, layout, slot, scales[index]) for slot in slots)
    tallest = tallest_per_row([t.height for t in texts])
    spare = (available - sum(tallest)) / rows  # shared out evenly
    return Sizing(texts, tuple(t + spare for t in tallest))


def _failure(
    ts: Typesetter,
    layout: Layout,
    slots: Sequence[PanelSlot],
    scale: float,
    row_height: float | None,
    layout_file: str,
    available: float = 0.0,
) -> InfogenError:
    """Why the panels do not fit even at the minimum size, panel by panel where possible."""
    problems: list[tuple[PanelSlot, Overflowing]] = []
    heights: dict[int, float] = {}
    for i, slot in enumerate(slots):
        try:
            heights[i] = set_panel(ts, layout, slot, scale).height
        except Overflowing as exc:
            problems.append((slot, exc))
    if not problems and row_height is not None:
        problems = [
            (slot, Overflowing("the text is too tall for the panel", heights[i] - row_height))
            for i, slot in enumerate(slots)
            if heights[i] > row_height + 1e-6
        ]
    if not problems:  # rows sized by content: the rows together are too tall
        rows = max(s.row for s in slots) + 1
        tallest = [max(heights[i] for i, s in enumerate(slots) if s.row == r) for r in range(rows)]
        worst = max(range(len(slots)), key=lambda i: heights[i])
        excess = sum(tallest) - available
        problems = [(slots[worst], Overflowing("the rows of panels are too tall for the page", excess))]
    return InfogenError([_fit_failure(slot, exc, ts.lang, layout, layout_file) for slot, exc in problems])


def _fit_failure(
    slot: PanelSlot, exc: Overflowing, lang: str, layout: Layout, layout_file: str
) -> Diagnostic:
    return Diagnostic(
        f"panel '{slot.theme.id}' (\"{slot.theme.title}\") does not fit in language '{lang}': "
        f"{exc.what} by {describe_pt(exc.excess)} even at the minimum bullet size "
        f"{layout.panel.fit.min_size:g}pt",
        Location(layout_file) if layout_file else None,
        "panel.fit.min_size",
        "shorten the text, make the panels larger (smaller gaps or padding), or lower panel.fit.min_size",
        exit_code=ExitCode.RENDER_FAILED,
    )


def build_panel(ts: Typesetter, layout: Layout, slot: PanelSlot, rect: Rect, text: PanelText) -> Group:
    """The panel's items in `rect`, with the content the sizing set for it."""
    p = layout.panel
    scale = text.scale
    x0, y0 = rect.x, rect.y
    b = p.bullets
    marker_r = b.marker_diameter * scale / 2  # marker and indent shrink with the text
    items: list[Item] = []
    for (paragraph, top), source in zip(text.bullets, slot.theme.bullets, strict=True):
        # The marker sits centred on the x-height of the bullet's first line.
        marker_y = y0 + top + paragraph.first_baseline - ts.x_height(b.style, paragraph.size) / 2
        column_x, indent = x0 + text.text_x, b.indent * scale
        marker_x = ts.mirror(column_x, 2 * marker_r, column_x, text.text_width)
        marker = Path(circle_path(marker_x + marker_r, marker_y, marker_r), fill=slot.palette.colour)
        bullet_x = ts.mirror(column_x + indent, text.text_width - indent, column_x, text.text_width)
        runs = ts.runs(paragraph, b.style, bullet_x, y0 + top, text.text_width - indent)
        items.append(Group("list-item", (Group("artifact", (marker,)), *runs), label=source, kind="bullet"))
    title_runs = ts.runs(
        text.title,
        p.title_style,
        x0 + text.text_x,
        y0 + text.title_y,
        text.text_width,
        slot.palette.title_colour,
    )
    background = Path(rect_path(rect, p.radius), fill=slot.palette.tint)
    badge_x, badge_y = x0 + text.badge_offset[0], y0 + text.badge_offset[1]
    return Group(
        "section",
        (
            Group("artifact", (background,)),
            _icon(ts, layout, slot, badge_x, badge_y, text.badge),
            Group("heading", title_runs, label=slot.theme.title, level=3, kind="title"),
            Group("list", tuple(items), kind="bullets"),
        ),
        id=slot.theme.id,
        label=slot.theme.title,
        kind="panel",
    )


def _icon(ts: Typesetter, layout: Layout, slot: PanelSlot, x: float, y: float, badge: float) -> Group:
    icon = layout.panel.icon
    items: list[Item] = []
    cx, cy = x + badge / 2, y + badge / 2
    colour = slot.palette.colour
    if icon.badge_diameter > 0:
        items.append(Path(circle_path(cx, cy, icon.badge_diameter / 2), fill=slot.palette.colour))
        colour = slot.palette.on_colour
    # The icon grid (view_box units wide) is mapped onto a square of `icon.size` in the badge.
    scale = icon.size / slot.icon_view_box
    stroke = Stroke(colour, icon.stroke_width * scale, icon.line_cap, icon.line_join)
    # A directional drawing (arrows) turns round on a mirrored right-to-left page.
    flip = slot.icon_view_box if slot.theme.icon.directional and ts.mirrored else None
    for d in slot.theme.icon.paths:
        items.append(Path(svg_path(d, cx - icon.size / 2, cy - icon.size / 2, scale, flip), stroke=stroke))
    return Group("figure", tuple(items), label=slot.theme.icon.description, kind="badge")
