"""One theme panel: its parts (badge, title, bullets) set at a scale, then drawn in its box.

Setting and drawing are separate so the fitting search (`fit.py`) can measure a panel
at many sizes and draw it once, at the size chosen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.content import Theme
from ..model.layout import GroupPalette
from ..model.regions import Badge, Bullets, PanelDesign, Title
from ..scene import Group, Item, Path, Role, Stroke
from ..text.paragraph import SetParagraph
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
    badge: float  # the badge's size (0 without one)
    badge_offset: tuple[float, float]
    text_x: float
    text_width: float
    title: SetParagraph | None
    title_y: float
    bullets: tuple[tuple[SetParagraph, float], ...]  # each bullet and its top

    @property
    def hyphens(self) -> int:
        """Lines of the panel that end in a hyphen."""
        return (self.title.hyphens if self.title else 0) + sum(p.hyphens for p, _ in self.bullets)


def badge_of(design: PanelDesign) -> Badge | None:
    badge = design.part(Badge)
    return badge if badge is not None and badge.show != "none" else None


def nominal_size(design: PanelDesign, ts: Typesetter) -> float:
    """The size the fit scales from: the bullets', or the title's when there are none."""
    main = design.part(Bullets) or design.part(Title)
    return ts.layout.styles[main.style].size if main is not None else 1.0


def set_panel(
    ts: Typesetter, design: PanelDesign, slot: PanelSlot, scale: float, limit: float = math.inf
) -> PanelText:
    """Set the panel's content at `scale` in its width; raise Overflowing if a word is too
    wide, or as soon as the content is taller than `limit` (no need to set the rest)."""
    pad, badge = design.padding, badge_of(design)
    size = max(badge.diameter, badge.size) if badge else 0.0
    beside = badge is not None and badge.position == "left"
    text_x = pad.left + (size + badge.gap if beside and badge else 0.0)
    width = slot.width - pad.right - text_x
    key = f"themes.{slot.theme.id}"
    if width <= 0:
        raise Overflowing("the badge and padding leave no room for text", -width, key)
    y = pad.top + (size + badge.gap if badge and not beside else 0.0)
    title: SetParagraph | None = None
    title_y = y
    bullets: list[tuple[SetParagraph, float]] = []
    parts = [p for p in design.parts if not isinstance(p, Badge)]
    for number, part in enumerate(parts):
        if isinstance(part, Title):
            title = ts.set(slot.theme.title, part.style, width, scale, f"{key}.title")
            title_y = y
            y += title.height + (part.gap if number + 1 < len(parts) else 0.0)
        elif isinstance(part, Bullets):
            for index, text in enumerate(slot.theme.bullets):
                if index:
                    y += part.gap
                paragraph = ts.set(
                    text, part.style, width - part.indent * scale, scale, f"{key}.bullets[{index}]"
                )
                bullets.append((paragraph, y))
                y += paragraph.height
                if y + pad.bottom > limit:
                    raise Overflowing("the text is too tall for the panel", y + pad.bottom - limit, key)
    if beside and y - pad.top < size:
        # Text shorter than the badge beside it (a title alone) is centred on the badge.
        shift = (size - (y - pad.top)) / 2
        title_y += shift
        bullets = [(paragraph, top + shift) for paragraph, top in bullets]
        y += shift
        badge_offset: tuple[float, float] = (pad.left, pad.top)
    else:
        badge_offset = _badge_offset(ts, design, badge, size, title, title_y, slot.width)
    height = max(y, badge_offset[1] + size) + pad.bottom
    # Right-to-left: the badge and the text column swap sides within the panel.
    badge_offset = (ts.mirror(badge_offset[0], size, 0.0, slot.width), badge_offset[1])
    text_x = ts.mirror(text_x, width, 0.0, slot.width)
    return PanelText(scale, height, size, badge_offset, text_x, width, title, title_y, tuple(bullets))


def _badge_offset(
    ts: Typesetter,
    design: PanelDesign,
    badge: Badge | None,
    size: float,
    title: SetParagraph | None,
    title_y: float,
    panel_width: float,
) -> tuple[float, float]:
    pad = design.padding
    title_part = design.part(Title)
    if badge is None:
        return (pad.left, pad.top)
    if badge.position == "left":
        if title is None or title_part is None:
            return (pad.left, pad.top)
        # The badge's top lines up with the top of the title's capitals.
        cap_top = title_y + title.first_baseline - ts.cap_height(title_part.style, title.size)
        return (pad.left, max(pad.top, cap_top))
    if title_part is not None and title_part.align == "center":
        # Over a centred title: centred on the text column, between the paddings.
        return (pad.left + (panel_width - pad.left - pad.right - size) / 2, pad.top)
    return (pad.left, pad.top)


def build_panel(ts: Typesetter, design: PanelDesign, slot: PanelSlot, rect: Rect, text: PanelText) -> Group:
    """The panel's items in `rect`, with the content the sizing set for it."""
    x0 = rect.x
    y0 = rect.y + ((rect.height - text.height) / 2 if design.align == "middle" else 0.0)
    items: list[Item] = []
    if design.background == "tint":
        items.append(Group("artifact", (Path(rect_path(rect, design.radius), fill=slot.palette.tint),)))
    badge = badge_of(design)
    if badge is not None:
        items.append(
            _badge(ts, badge, slot, x0 + text.badge_offset[0], y0 + text.badge_offset[1], text.badge)
        )
    for part in design.parts:
        if isinstance(part, Title) and text.title is not None:
            runs = ts.runs(
                text.title,
                part.style,
                x0 + text.text_x,
                y0 + text.title_y,
                text.text_width,
                slot.palette.title_colour,
                part.align,
            )
            items.append(Group("heading", runs, label=slot.theme.title, level=part.level, kind="title"))
        elif isinstance(part, Bullets) and text.bullets:
            items.append(_bullets(ts, part, slot, text, x0, y0))
    return Group("section", tuple(items), id=slot.theme.id, label=slot.theme.title, kind="panel")


def _bullets(ts: Typesetter, part: Bullets, slot: PanelSlot, text: PanelText, x0: float, y0: float) -> Group:
    scale = text.scale
    marker_r = part.marker_diameter * scale / 2  # marker and indent shrink with the text
    items: list[Item] = []
    for (paragraph, top), source in zip(text.bullets, slot.theme.bullets, strict=True):
        # The marker sits centred on the x-height of the bullet's first line.
        marker_y = y0 + top + paragraph.first_baseline - ts.x_height(part.style, paragraph.size) / 2
        column_x, indent = x0 + text.text_x, part.indent * scale
        marker_x = ts.mirror(column_x, 2 * marker_r, column_x, text.text_width)
        marker = Path(circle_path(marker_x + marker_r, marker_y, marker_r), fill=slot.palette.colour)
        bullet_x = ts.mirror(column_x + indent, text.text_width - indent, column_x, text.text_width)
        runs = ts.runs(paragraph, part.style, bullet_x, y0 + top, text.text_width - indent)
        items.append(Group("list-item", (Group("artifact", (marker,)), *runs), label=source, kind="bullet"))
    return Group("list", tuple(items), kind="bullets")


def _badge(ts: Typesetter, badge: Badge, slot: PanelSlot, x: float, y: float, size: float) -> Group:
    """The round badge with the theme's icon (a figure) or number (part of the title's
    section, but not read out twice: the number is an artifact)."""
    cx, cy = x + size / 2, y + size / 2
    colour = slot.palette.colour
    background: tuple[Item, ...] = ()
    if badge.diameter > 0:
        background = (Path(circle_path(cx, cy, badge.diameter / 2), fill=colour),)
        colour = slot.palette.on_colour
    if badge.show == "number":
        assert badge.number_style is not None  # checked with the layout
        digits = str(slot.theme.number)
        number = ts.set(digits, badge.number_style, size, key=f"themes.{slot.theme.id}")
        if len(number.lines) > 1 or number.lines[0].width > size + 1e-6:
            excess = sum(line.width for line in number.lines) - size
            raise Overflowing(
                f"the number {digits} is wider than its badge", excess, f"themes.{slot.theme.id}"
            )
        runs = ts.runs(number, badge.number_style, x, cy - number.height / 2, size, colour, "center")
        return Group("artifact", (*background, *runs), kind="badge")
    # The icon grid (view_box units wide) is mapped onto a square of `badge.size` in the badge.
    scale = badge.size / slot.icon_view_box
    stroke = Stroke(colour, badge.stroke_width * scale, badge.line_cap, badge.line_join)
    # A directional drawing (arrows) turns round on a mirrored right-to-left page.
    flip = slot.icon_view_box if slot.theme.icon.directional and ts.mirrored else None
    strokes = tuple(
        Path(svg_path(d, cx - badge.size / 2, cy - badge.size / 2, scale, flip), stroke=stroke)
        for d in slot.theme.icon.paths
    )
    role: Role = "figure" if badge.icon_role == "figure" else "artifact"
    return Group(role, (*background, *strokes), label=slot.theme.icon.description, kind="badge")
