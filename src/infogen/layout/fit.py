"""Panels: their content (badge, icon, title, bullets) and fitting the text into them.

When the text does not fit, its size shrinks in `fit.step` decrements down to
`fit.min_size` — by default by the same amount in every panel so they stay
uniform. Below the minimum the render fails, naming the panel, the language and
by how much it overflows. Nothing is ever clipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Theme
from ..model.layout import GroupPalette, Layout
from ..scene import Group, Item, Path, Stroke
from ..text.paragraph import SetParagraph
from .geometry import Rect, circle_path, rect_path, svg_path
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class PanelSlot:
    group_id: str
    theme: Theme
    rect: Rect
    palette: GroupPalette
    icon_view_box: float


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


def fit_panels(ts: Typesetter, layout: Layout, slots: list[PanelSlot], layout_file: str) -> list[Group]:
    """Build every panel at the largest text scale that fits (uniform or per panel)."""
    scales = candidate_scales(layout)
    if layout.panel.fit.mode == "uniform":
        groups = [slots]
    else:
        groups = [[slot] for slot in slots]
    chosen: dict[int, float] = {}
    failures: list[tuple[PanelSlot, Overflowing]] = []
    for members in groups:

        def all_fit(scale: float, members: list[PanelSlot] = members) -> bool:
            return all(_fits(ts, layout, slot, scale) for slot in members)

        index = first_fitting(scales, all_fit)
        if index is None:
            for slot in members:
                problem = _measure(ts, layout, slot, scales[-1])
                if isinstance(problem, Overflowing):
                    failures.append((slot, problem))
        else:
            chosen.update({id(slot): scales[index] for slot in members})
    if failures:
        raise InfogenError([_fit_failure(slot, exc, ts.lang, layout, layout_file) for slot, exc in failures])
    return [build_panel(ts, layout, slot, chosen[id(slot)]) for slot in slots]


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


def _fits(ts: Typesetter, layout: Layout, slot: PanelSlot, scale: float) -> bool:
    return not isinstance(_measure(ts, layout, slot, scale), Overflowing)


def _fit_failure(
    slot: PanelSlot, exc: Overflowing, lang: str, layout: Layout, layout_file: str
) -> Diagnostic:
    mm = exc.excess * 25.4 / 72
    return Diagnostic(
        f"panel '{slot.theme.id}' (\"{slot.theme.title}\") does not fit in language '{lang}': "
        f"{exc.what} by {exc.excess:.1f}pt ({mm:.1f}mm) even at the minimum bullet size "
        f"{layout.panel.fit.min_size:g}pt",
        Location(layout_file) if layout_file else None,
        "panel.fit.min_size",
        "shorten the text, make the panels larger (smaller gaps or padding), or lower panel.fit.min_size",
        exit_code=ExitCode.RENDER_FAILED,
    )


@dataclass(frozen=True)
class PanelText:
    """The panel's text set at one scale, with every vertical position decided."""

    inner: Rect
    badge: float
    text_box: Rect
    title: SetParagraph
    bullets: tuple[tuple[SetParagraph, float], ...]  # each bullet and its top


def _measure(ts: Typesetter, layout: Layout, slot: PanelSlot, scale: float) -> PanelText | Overflowing:
    try:
        return measure_panel(ts, layout, slot, scale)
    except Overflowing as exc:
        return exc


def measure_panel(ts: Typesetter, layout: Layout, slot: PanelSlot, scale: float) -> PanelText:
    """Set the panel's text at `scale`; raise Overflowing if it does not fit."""
    p = layout.panel
    icon = p.icon
    inner = slot.rect.inset(p.padding.top, p.padding.right, p.padding.bottom, p.padding.left)
    badge = max(icon.badge_diameter, icon.size)
    if icon.position == "left":
        text_box = Rect(inner.x + badge + icon.gap, inner.y, inner.width - badge - icon.gap, inner.height)
    else:
        text_box = Rect(inner.x, inner.y + badge + icon.gap, inner.width, inner.height - badge - icon.gap)
    if text_box.width <= 0:
        raise Overflowing("the icon leaves no room for text", -text_box.width)
    title = ts.set(slot.theme.title, p.title_style, text_box.width, scale)
    y = text_box.y + title.height + p.title_gap
    bullets = []
    for index, text in enumerate(slot.theme.bullets):
        if index:
            y += p.bullets.gap
        paragraph = ts.set(text, p.bullets.style, text_box.width - p.bullets.indent, scale)
        bullets.append((paragraph, y))
        y += paragraph.height
    excess = y - text_box.bottom
    if excess > 1e-6:
        raise Overflowing("the text is too tall for the panel", excess)
    return PanelText(inner, badge, text_box, title, tuple(bullets))


def build_panel(ts: Typesetter, layout: Layout, slot: PanelSlot, scale: float) -> Group:
    """The panel's items, its text at `scale` (which must fit)."""
    p = layout.panel
    text = measure_panel(ts, layout, slot, scale)
    box = text.text_box
    b = p.bullets
    marker_r = b.marker_diameter / 2
    items: list[Item] = []
    for (paragraph, top), source in zip(text.bullets, slot.theme.bullets, strict=True):
        # The marker sits centred on the x-height of the bullet's first line.
        marker_y = top + paragraph.first_baseline - ts.x_height(b.style, paragraph.size) / 2
        marker = Path(circle_path(box.x + marker_r, marker_y, marker_r), fill=slot.palette.colour)
        runs = ts.runs(paragraph, b.style, box.x + b.indent, top)
        items.append(Group("list-item", (Group("decoration", (marker,)), *runs), label=source))
    title_runs = ts.runs(text.title, p.title_style, box.x, box.y, slot.palette.title_colour)
    background = Path(rect_path(slot.rect, p.radius), fill=slot.palette.tint)
    return Group(
        "panel",
        (
            Group("decoration", (background,)),
            _icon(layout, slot, text.inner.x, text.inner.y, text.badge),
            Group("title", title_runs, label=slot.theme.title),
            Group("list", tuple(items)),
        ),
        id=slot.theme.id,
        label=slot.theme.title,
    )


def _icon(layout: Layout, slot: PanelSlot, x: float, y: float, badge: float) -> Group:
    icon = layout.panel.icon
    items: list[Item] = []
    cx, cy = x + badge / 2, y + badge / 2
    colour = slot.palette.colour
    if icon.badge_diameter > 0:
        items.append(Path(circle_path(cx, cy, icon.badge_diameter / 2), fill=slot.palette.colour))
        colour = slot.palette.on_colour
    # The icon grid (view_box units wide) is mapped onto a square of `icon.size` in the badge.
    scale = icon.size / slot.icon_view_box
    stroke = Stroke(colour, icon.stroke_width * scale)
    for d in slot.theme.icon.paths:
        items.append(Path(svg_path(d, cx - icon.size / 2, cy - icon.size / 2, scale), stroke=stroke))
    return Group("figure", tuple(items), label=slot.theme.icon.description)
