"""Composition: content + layout → Scene. Every position and size is decided here.

The page is a vertical stack: a header band (heading, accent rule, intro in
columns), the body (one block per group: a label band and a grid of panels),
and a footer (rule and credits). The body takes whatever height the header and
footer leave; panel text is then fitted into the panels (see `fit.py`).
"""

from __future__ import annotations

import math

from ..diagnostics import Diagnostic, ExitCode, InfogenError
from ..model.content import Content
from ..model.content import Group as ContentGroup
from ..model.layout import GroupPalette, Layout
from ..scene import Group, Item, Page, Path, Scene
from ..text.fonts import FontLibrary
from .coverage import check_coverage
from .fit import PanelSlot, fit_panels
from .geometry import Rect, rect_path
from .typeset import Overflowing, Typesetter, resolve_fonts


def compose(content: Content, layout: Layout, library: FontLibrary, layout_file: str = "") -> Scene:
    fonts = resolve_fonts(layout, library, layout_file)
    check_coverage(content, layout, fonts)
    ts = Typesetter(layout, fonts, content.lang, content.direction)
    page = layout.page
    m = page.margin
    frame = Rect(m.left, m.top, page.width - m.left - m.right, page.height - m.top - m.bottom)
    try:
        header, header_bottom = _header(ts, content, layout, frame)
        footer, footer_top = _footer(ts, content, layout, frame)
    except Overflowing as exc:
        raise _overflow_error(exc, content.lang, layout_file) from None
    body_top = header_bottom + layout.body.gap_before
    body_rect = Rect(frame.x, body_top, frame.width, footer_top - layout.footer.gap - body_top)
    body = _body(ts, content, layout, body_rect, layout_file)
    background = Path(rect_path(Rect(0, 0, page.width, page.height)), fill=page.background)
    items: tuple[Item, ...] = (Group("decoration", (background,)), header, body, footer)
    doc = content.document
    return Scene(
        pages=(Page(page.width, page.height, items),),
        lang=content.lang,
        title=doc.title,
        subject=doc.subject,
        author=", ".join(content.authors),
        keywords=doc.keywords,
    )


def _header(ts: Typesetter, content: Content, layout: Layout, frame: Rect) -> tuple[Group, float]:
    h = layout.header
    y: float = h.padding_top
    heading = ts.set(content.heading, h.heading_style, frame.width)
    heading_runs = ts.runs(heading, h.heading_style, frame.x, y)
    y += heading.height + h.heading_gap
    rule: tuple[Item, ...] = ()
    if h.rule_thickness > 0:
        rule = (Path(rect_path(Rect(frame.x, y, h.rule_width, h.rule_thickness)), fill=h.rule_colour),)
        y += h.rule_thickness + h.heading_gap
    intro_items, intro_height = _intro(ts, content.intro, layout, Rect(frame.x, y, frame.width, 0))
    bottom = y + intro_height + h.padding_bottom
    band = Path(rect_path(Rect(0, 0, layout.page.width, bottom)), fill=h.background)
    items = (
        Group("decoration", (band, *rule)),
        Group("heading", heading_runs, label=content.heading),
        Group("intro", intro_items),
    )
    return Group("header", items), bottom


def _intro(
    ts: Typesetter, paragraphs: tuple[str, ...], layout: Layout, top: Rect
) -> tuple[tuple[Item, ...], float]:
    """Set the intro paragraphs in columns, keeping their order and balancing the heights."""
    h = layout.header
    columns = min(h.intro_columns, len(paragraphs))
    width = (top.width - (columns - 1) * h.intro_column_gap) / columns
    set_paragraphs = [ts.set(p, h.intro_style, width) for p in paragraphs]
    heights = [p.height for p in set_paragraphs]
    items: list[Item] = []
    tallest = 0.0
    for column, (start, end) in enumerate(balanced_split(heights, columns, h.paragraph_gap)):
        x, y = top.x + column * (width + h.intro_column_gap), top.y
        for paragraph in set_paragraphs[start:end]:
            items.append(Group("intro", ts.runs(paragraph, h.intro_style, x, y)))
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
    credits = ts.set(content.credits, f.style, frame.width)
    text_top = frame.bottom - credits.height
    items: list[Item] = []
    top = text_top
    if f.rule_thickness > 0:
        top = text_top - f.rule_gap - f.rule_thickness
        items.append(
            Group(
                "decoration",
                (Path(rect_path(Rect(frame.x, top, frame.width, f.rule_thickness)), fill=f.rule_colour),),
            )
        )
    items.append(Group("footer", ts.runs(credits, f.style, frame.x, text_top), label=content.credits))
    return Group("footer", tuple(items)), top


def _body(ts: Typesetter, content: Content, layout: Layout, rect: Rect, layout_file: str) -> Group:
    b = layout.body
    n = len(content.groups)
    if b.arrangement == "columns":
        w = (rect.width - (n - 1) * b.group_gap) / n
        boxes = [Rect(rect.x + i * (w + b.group_gap), rect.y, w, rect.height) for i in range(n)]
    else:
        h = (rect.height - (n - 1) * b.group_gap) / n
        boxes = [Rect(rect.x, rect.y + i * (h + b.group_gap), rect.width, h) for i in range(n)]
    slots: list[PanelSlot] = []
    labels: list[Item] = []
    for index, (group, box) in enumerate(zip(content.groups, boxes, strict=True)):
        palette = b.palettes[index % len(b.palettes)]
        try:
            labels.append(_group_label(ts, group, layout, box, palette))
        except Overflowing as exc:
            raise _overflow_error(exc, content.lang, layout_file) from None
        slots.extend(_panel_slots(group, layout, box, palette, content.icon_view_box))
    panels = fit_panels(ts, layout, slots, layout_file)
    groups: list[Item] = []
    for index, group in enumerate(content.groups):
        members = tuple(p for s, p in zip(slots, panels, strict=True) if s.group_id == group.id)
        groups.append(Group("group", (labels[index], *members), id=group.id, label=group.label))
    return Group("body", tuple(groups))


def _group_label(
    ts: Typesetter, group: ContentGroup, layout: Layout, box: Rect, palette: GroupPalette
) -> Group:
    label = layout.body.label
    band = Rect(box.x, box.y, box.width, label.height)
    text = ts.set(group.label, label.style, band.width - 2 * label.padding_x)
    y = band.y + (band.height - text.height) / 2
    runs = ts.runs(text, label.style, band.x + label.padding_x, y, palette.on_colour)
    background = Path(rect_path(band, label.radius), fill=palette.colour)
    return Group(
        "title", (Group("decoration", (background,)), *runs), id=f"{group.id}-label", label=group.label
    )


def _panel_slots(
    group: ContentGroup, layout: Layout, box: Rect, palette: GroupPalette, view_box: float
) -> list[PanelSlot]:
    b = layout.body
    top = box.y + b.label.height + b.label.gap
    cols = b.panel_columns
    rows = math.ceil(len(group.themes) / cols)
    w = (box.width - (cols - 1) * b.panel_gap) / cols
    h = (box.bottom - top - (rows - 1) * b.panel_gap) / rows
    return [
        PanelSlot(
            group_id=group.id,
            theme=theme,
            rect=Rect(box.x + (i % cols) * (w + b.panel_gap), top + (i // cols) * (h + b.panel_gap), w, h),
            palette=palette,
            icon_view_box=view_box,
        )
        for i, theme in enumerate(group.themes)
    ]


def _overflow_error(exc: Overflowing, lang: str, layout_file: str) -> InfogenError:
    return InfogenError(
        [
            Diagnostic(
                f"{exc.what} by {exc.excess:.1f}pt ({exc.excess * 25.4 / 72:.1f}mm) in language '{lang}'",
                hint=f"shorten the text, or widen the column in {layout_file or 'the layout'}",
                exit_code=ExitCode.RENDER_FAILED,
            )
        ]
    )
