"""Laying out the region tree: one small function per region kind.

Each function measures its region at a width and returns a `Block`: the least height
it needs, how much of any leftover height it takes (`grow`), and how to draw it once
its rectangle is known. A stack gives growing regions (a grid, a growing spacer) the
height the others leave; nothing else is stretched, so the order of the YAML is the
order on the page and in reading.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import Diagnostic, InfogenError, closest
from ..model.content import PageString
from ..model.regions import Band, Columns, Grid, Region, Row, Rule, Spacer, Stack, Text
from ..scene import Group, Item, Path
from ..text.paragraph import SetParagraph
from ..units import describe_pt
from .context import Context
from .debug import debug_box, padded
from .geometry import Rect, bleed_out, rect_path
from .grid import draw_grid
from .typeset import Overflowing

Draw = Callable[[Rect], tuple[Item, ...]]


@dataclass(frozen=True)
class Block:
    """A region measured at a width: ready to be drawn in a rectangle at least `height` tall."""

    height: float
    grow: float  # share of the leftover height of its stack it takes; 0: none
    draw: Draw


def measure(region: Region, width: float, ctx: Context, path: str) -> Block:
    block = _measure(region, width, ctx, path)

    def draw(rect: Rect) -> tuple[Item, ...]:  # the region's box, for the debug overlay
        inner = padded(rect, region.padding, ctx.ts.mirrored) if isinstance(region, Band) else None
        ctx.debug.append(debug_box(region.kind, path, rect, inner))
        return block.draw(rect)

    return Block(block.height, block.grow, draw)


def _measure(region: Region, width: float, ctx: Context, path: str) -> Block:
    if isinstance(region, Stack):
        return _stack(region.items, region.gap, width, ctx, f"{path}.items", path)
    if isinstance(region, Band):
        return _band(region, width, ctx, path)
    if isinstance(region, Row):
        return _row(region, width, ctx, path)
    if isinstance(region, Text):
        return _text(region, width, ctx, path)
    if isinstance(region, Columns):
        return _columns(region, width, ctx, path)
    if isinstance(region, Rule):
        return _rule(region, width, ctx)
    if isinstance(region, Spacer):
        return Block(region.height, 1.0 if region.grow else 0.0, lambda rect: ())
    assert isinstance(region, Grid)
    return Block(0.0, 1.0, lambda rect: draw_grid(region, rect, ctx, path))


def stack(items: tuple[Region, ...], gap: float, width: float, ctx: Context, path: str) -> Block:
    """The page's body: a stack of the layout's top-level regions."""
    return _stack(items, gap, width, ctx, path, path)


def _stack(
    items: tuple[Region, ...], gap: float, width: float, ctx: Context, items_path: str, path: str
) -> Block:
    blocks = [measure(item, width, ctx, f"{items_path}[{i}]") for i, item in enumerate(items)]
    fixed = sum(b.height for b in blocks) + gap * (len(blocks) - 1)
    grow = sum(b.grow for b in blocks)

    def draw(rect: Rect) -> tuple[Item, ...]:
        spare = rect.height - fixed
        if spare < -0.01:
            tallest = max(range(len(blocks)), key=lambda i: blocks[i].height)
            raise ctx.too_tall(
                -spare,
                path,
                f"the regions need {describe_pt(fixed)} but have {describe_pt(rect.height)} "
                f"(the tallest is {items_path}[{tallest}], {describe_pt(blocks[tallest].height)}); too tall",
            )
        out: list[Item] = []
        y = rect.y
        for block in blocks:
            height = block.height + (spare * block.grow / grow if grow else 0.0)
            out += block.draw(Rect(rect.x, y, rect.width, height))
            y += height + gap
        return tuple(out)

    return Block(fixed, grow, draw)


def _band(band: Band, width: float, ctx: Context, path: str) -> Block:
    pad = band.padding
    inner = _stack(band.items, band.gap, width - pad.left - pad.right, ctx, f"{path}.items", path)
    page = ctx.layout.page

    def draw(rect: Rect) -> tuple[Item, ...]:
        left, right = ("right", "left") if ctx.ts.mirrored else ("left", "right")
        x0 = 0.0 if left in band.extend else rect.x
        x1 = page.width if right in band.extend else rect.right
        y0 = 0.0 if "top" in band.extend else rect.y
        y1 = page.height if "bottom" in band.extend else rect.bottom
        background = bleed_out(Rect(x0, y0, x1 - x0, y1 - y0), page.width, page.height, page.bleed)
        content = rect.inset(pad.top, pad.right, pad.bottom, pad.left)
        if ctx.ts.mirrored:  # the padding mirrors with the page
            content = Rect(rect.x + pad.right, content.y, content.width, content.height)
        items = (Group("artifact", (Path(rect_path(background, band.radius), fill=band.background),)),)
        return (Group("block", items + inner.draw(content), kind="band"),)

    return Block(inner.height + pad.top + pad.bottom, inner.grow, draw)


def _row(row: Row, width: float, ctx: Context, path: str) -> Block:
    room = width - row.gap * (len(row.items) - 1)
    total = sum(row.widths)
    widths = [room * share / total for share in row.widths]
    blocks = [
        measure(item, w, ctx, f"{path}.items[{i}]")
        for i, (item, w) in enumerate(zip(row.items, widths, strict=True))
    ]

    def draw(rect: Rect) -> tuple[Item, ...]:
        out: list[Item] = []
        x = rect.x
        for block, w in zip(blocks, widths, strict=True):
            out += block.draw(Rect(ctx.ts.mirror(x, w, rect.x, rect.width), rect.y, w, rect.height))
            x += w + row.gap
        return (Group("block", tuple(out), kind="row"),)

    return Block(max(b.height for b in blocks), max(b.grow for b in blocks), draw)


def field_strings(name: str, ctx: Context, path: str) -> tuple[PageString, ...]:
    """The strings a text region shows, or a clear error naming the field and the region."""
    found = ctx.content.field(name)
    if found:
        return found
    known = ctx.content.field_names()
    close = closest(name, known)
    fields = "heading, intro, credits, document.title, groups.<id>, themes.<id>.title, themes.<id>.bullets"
    raise InfogenError(
        [
            Diagnostic(
                f"'{name}' is not a content field",
                ctx.where(f"{path}.text"),
                f"{path}.text",
                f"did you mean '{close}'?" if close else f"fields: {fields}",
            )
        ]
    )


def _set_all(
    strings: tuple[PageString, ...], style: str, width: float, ctx: Context, path: str
) -> list[SetParagraph]:
    try:
        return [ctx.ts.set(s.text, style, width, key=s.key) for s in strings]
    except Overflowing as exc:
        raise ctx.overflow(exc, path) from None


def _kind_of(field: str) -> str:
    """The Scene kind of a text region: the field it shows ('intro', 'themes-x-title')."""
    return field.split("[")[0].replace(".", "-")


def _text(region: Text, width: float, ctx: Context, path: str) -> Block:
    strings = field_strings(region.text, ctx, path)
    paragraphs = _set_all(strings, region.style, width, ctx, path)
    height = sum(p.height for p in paragraphs) + region.paragraph_gap * (len(paragraphs) - 1)
    level = region.level if region.role == "heading" else 0

    def draw(rect: Rect) -> tuple[Item, ...]:
        out: list[Item] = []
        y = rect.y
        for string, paragraph in zip(strings, paragraphs, strict=True):
            runs = ctx.ts.runs(paragraph, region.style, rect.x, y, rect.width, align=region.align)
            out.append(Group(region.role, runs, label=string.text, level=level, kind=_kind_of(region.text)))
            y += paragraph.height + region.paragraph_gap
        return tuple(out)

    return Block(height, 0.0, draw)


def _columns(region: Columns, width: float, ctx: Context, path: str) -> Block:
    """Paragraphs in order into balanced columns: the tallest column as short as it can be."""
    strings = field_strings(region.text, ctx, path)
    columns = min(region.columns, len(strings))
    column_width = (width - (columns - 1) * region.gap) / columns
    paragraphs = _set_all(strings, region.style, column_width, ctx, path)
    split = balanced_split([p.height for p in paragraphs], columns, region.paragraph_gap)
    tallest = max(
        sum(p.height for p in paragraphs[a:b]) + region.paragraph_gap * (b - a - 1) for a, b in split
    )
    kind = _kind_of(region.text)

    def draw(rect: Rect) -> tuple[Item, ...]:
        out: list[Item] = []
        for column, (start, end) in enumerate(split):
            x = ctx.ts.mirror(rect.x + column * (column_width + region.gap), column_width, rect.x, rect.width)
            y = rect.y
            for string, paragraph in zip(strings[start:end], paragraphs[start:end], strict=True):
                runs = ctx.ts.runs(paragraph, region.style, x, y, column_width)
                out.append(Group("paragraph", runs, label=string.text, kind=kind))
                y += paragraph.height + region.paragraph_gap
        return (Group("block", tuple(out), kind="columns"),)

    return Block(tallest, 0.0, draw)


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


def _rule(rule: Rule, width: float, ctx: Context) -> Block:
    def draw(rect: Rect) -> tuple[Item, ...]:
        length = min(rule.width, rect.width) if rule.width is not None else rect.width
        slack = rect.width - length
        offset = slack / 2 if rule.align == "center" else slack if rule.align == "end" else 0.0
        x = ctx.ts.mirror(rect.x + offset, length, rect.x, rect.width)
        if rule.thickness <= 0:
            return ()
        bar = Path(rect_path(Rect(x, rect.y, length, rule.thickness)), fill=rule.colour)
        return (Group("artifact", (bar,), kind="rule"),)

    return Block(rule.thickness, 0.0, draw)
