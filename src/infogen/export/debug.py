"""The designer's debug overlay: the page as the SVG exporter paints it, with the layout's
geometry drawn over it.

- regions (every region of the layout's `body`): thin blue outlines, labelled with their
  key path in the layout (`body[2]`, `body[0].items[1]`); a band's padding dashed;
- panels: magenta outlines, their padding (the content box) dashed, their theme's key,
  and their fit ratio in the top right corner (the height the content needs / the
  panel's height), red when the panel is nearly full (over 98%);
- baselines: a thin cyan line along every line of text, across the line's width.

Boxes come from `Scene.debug` (recorded by the layout as it drew); baselines are derived
from the glyph runs, which carry theirs. Like every painter it decides nothing about the
page, and its bytes are deterministic. It is its own function, not an export format: it
shows the geometry, not the infographic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..scene import DebugBox, GlyphRun, Group, Item, Page, Scene, Transform, walk
from .svg import num, page_document, svg_bytes

REGION = "#1F6FEB"
PANEL = "#D100D1"
FULL = "#E00000"
BASELINE = "#00B7D4"
NEARLY_FULL = 0.98  # a panel whose content needs more than this of its height is shown red

Line = tuple[float, float, float, float]  # x0, y0, x1, y1 on the page, pt


def baselines(page: Page) -> list[Line]:
    """The baseline of every line of text: the runs of a group that share a baseline are
    one line (a line set in two fonts, or in two directions, is several runs)."""
    lines: list[Line] = []
    _collect(page.items, Transform(), lines)
    return lines


def _collect(items: Iterable[Item], to_page: Transform, lines: list[Line]) -> None:
    spans: dict[float, list[float]] = {}  # baseline y -> [left, right], in reading order
    for item in items:
        if isinstance(item, GlyphRun):
            span = spans.setdefault(item.y, [item.x, item.x + item.advance])
            span[0], span[1] = min(span[0], item.x), max(span[1], item.x + item.advance)
        elif isinstance(item, Group) and item.role != "marks":  # marks: outside the trim
            inner = item.transform.then(to_page) if item.transform is not None else to_page
            _collect(item.items, inner, lines)
    for y, (left, right) in spans.items():
        lines.append((*to_page.apply(left, y), *to_page.apply(right, y)))


def ratio_label(ratio: float) -> str:
    """The ratio as a whole percentage, rounded down: a panel shown red (over 98%) reads
    98% or more, and only a panel that is full reads 100%."""
    return f"{math.floor(ratio * 100 + 1e-9)}%"


def right_to_left(page: Page) -> bool:
    """Whether most of the page's text runs right to left (its lines then start at the right)."""
    letters = {"ltr": 0, "rtl": 0}
    for top in page.items:
        for item in walk(top):
            if isinstance(item, GlyphRun):
                letters[item.direction] += len(item.text)
    return letters["rtl"] > letters["ltr"]


def _outline(rect: tuple[float, float, float, float]) -> str:
    """A rectangle's outline as path data: unlike <rect>, still drawn when it has no height."""
    x, y, w, h = rect
    return f"M{num(x)} {num(y)}H{num(x + w)}V{num(y + h)}H{num(x)}Z"


def export_debug_svg(scene: Scene) -> bytes:
    """The first page with its region boxes, panel boxes, fit ratios and baselines drawn over it."""
    import svgwrite  # the overlay's shapes; the page's own SVG export does without it

    document = page_document(scene)
    drawing = svgwrite.Drawing(profile="full", debug=False)  # makes the overlay's elements
    page = scene.pages[0]
    size = min(max(page.width / 110, 4.0), 9.0)  # label size, pt: legible, zoomed or not
    thin = size / 16
    overlay = drawing.g(class_="debug", fill="none", direction="ltr")
    overlay["aria-hidden"] = "true"
    overlay.update({"font-family": "DejaVu Sans, Arial, sans-serif", "font-size": num(size)})

    lines = overlay.add(drawing.g(class_="debug-baselines", stroke=BASELINE))
    lines["stroke-width"] = num(thin)
    for x0, y0, x1, y1 in baselines(page):
        lines.add(drawing.line((num(x0), num(y0)), (num(x1), num(y1)), class_="debug-baseline"))

    boxes = overlay.add(drawing.g(class_="debug-boxes"))
    labels = overlay.add(drawing.g(class_="debug-labels"))
    # A region's label goes in its top corner at the end of its lines, where text is least
    # likely to be; a panel's key at the other, its ratio at the end. A label that would
    # cover one already placed moves down below it.
    end_is_left = right_to_left(page)
    placed: list[tuple[float, float, float, float]] = []
    for box in scene.debug:
        panel = box.kind == "panel"
        colour = PANEL if panel else REGION
        outline = drawing.path(d=_outline(box.rect), class_="debug-panel" if panel else "debug-region")
        outline.update({"stroke": colour, "stroke-width": num(thin * (2 if panel else 1.5))})
        outline.update({"data-kind": box.kind, "data-key": box.key})
        boxes.add(outline)
        if box.inner is not None:
            padding = drawing.path(d=_outline(box.inner), class_="debug-padding", stroke=colour)
            padding.update(
                {"stroke-width": num(thin), "stroke-dasharray": f"{num(size / 2)} {num(size / 3)}"}
            )
            padding["data-key"] = box.key
            boxes.add(padding)
        x, y, w, _ = box.rect
        left, right = x, x + w
        key_x = left if end_is_left != panel else right - _width(box.key, size)
        key_y = _free(placed, key_x, y, _width(box.key, size), size * 1.2)
        _label(drawing, labels, box, box.key, key_x, key_y, size, colour, "debug-label")
        if panel and box.ratio is not None:
            full = box.ratio > NEARLY_FULL
            text = ratio_label(box.ratio)
            ratio_x = left if end_is_left else right - _width(text, size)
            ratio_y = _free(placed, ratio_x, y, _width(text, size), size * 1.2)
            colour = FULL if full else PANEL
            ratio = _label(drawing, labels, box, text, ratio_x, ratio_y, size, colour, "debug-ratio")
            ratio["data-ratio"] = f"{box.ratio:.6f}"
            if full:
                ratio["font-weight"] = "bold"
    document.append(overlay.get_xml())
    return svg_bytes(document)


def _free(placed: list[tuple[float, float, float, float]], x: float, y: float, w: float, h: float) -> float:
    """The highest top from `y` down at which a label (x, w, h) covers none already
    placed; the label is then placed there."""
    moved = True
    while moved:
        moved = False
        for x0, y0, x1, y1 in placed:
            if x < x1 and x0 < x + w and y < y1 and y0 < y + h:
                y, moved = y1, True
    placed.append((x, y, x + w, y + h))
    return y


def _width(text: str, size: float) -> float:
    """A generous estimate of a label's width (the overlay never measures text)."""
    return len(text) * size * 0.62 + size * 0.4


def _label(
    drawing: Any,
    target: Any,
    box: DebugBox,
    text: str,
    x: float,
    y: float,
    size: float,
    colour: str,
    cls: str,
) -> Any:
    """A label on a pale backing, its top-left corner at (x, y)."""
    label = target.add(drawing.g(class_=cls))
    label.update({"data-key": box.key, "data-kind": box.kind})
    width, height = _width(text, size), size * 1.2
    backing = drawing.rect((num(x), num(y)), (num(width), num(height)), fill="#FFFFFF")
    backing["fill-opacity"] = "0.7"
    label.add(backing)
    label.add(drawing.text(text, insert=(num(x + size * 0.2), num(y + size * 0.95)), fill=colour))
    return label
