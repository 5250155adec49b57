"""Colour contrast of every text against what lies behind it, by WCAG 2.2 (1.4.3, AA).

Found from the layout alone, before anything is laid out: each place text is drawn —
text regions on their band or the page, panel titles and bullets on the panel's tint,
group labels and badge numbers on the palette's strong colour — with every palette a
group may get. Text counts as large (3:1 suffices, else 4.5:1) from 18 pt, or 14 pt
bold; panel text is judged at the smallest size the fit may give it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location
from ..units import Colour
from .layout import Layout
from .regions import Badge, Band, Bullets, Columns, Grid, Region, Row, Stack, Text, Title

NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0
BOLD = 700


def luminance(colour: Colour) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.2, after IEC 61966-2-1)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast_ratio(a: Colour, b: Colour) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Placement:
    """Text of one style, in one colour, on one background."""

    style: str
    what: str  # 'the heading (body[0].items[0])', 'panel titles (palettes[1])'
    text: Colour
    text_key: str  # where the text colour is set
    background: Colour
    size: float  # the smallest size it is drawn at, pt


def placements(layout: Layout) -> Iterator[Placement]:
    yield from _regions(layout, layout.body, "body", layout.page.background)


def _regions(layout: Layout, items: tuple[Region, ...], path: str, behind: Colour) -> Iterator[Placement]:
    for i, region in enumerate(items):
        here = f"{path}[{i}]"
        if isinstance(region, Band):
            yield from _regions(layout, region.items, f"{here}.items", region.background)
        elif isinstance(region, (Stack, Row)):
            yield from _regions(layout, region.items, f"{here}.items", behind)
        elif isinstance(region, (Text, Columns)):
            style = layout.styles[region.style]
            if style.colour is not None:
                yield Placement(
                    region.style, f"{region.text} ({here})", style.colour, f"styles.{region.style}.colour",
                    behind, style.size,
                )  # fmt: skip
        elif isinstance(region, Grid):
            yield from _grid(layout, region, here, behind)


def _grid(layout: Layout, grid: Grid, path: str, behind: Colour) -> Iterator[Placement]:
    design = layout.panels[grid.panel]
    bullets, title = design.part(Bullets), design.part(Title)
    main = bullets or title
    nominal = layout.styles[main.style].size if main is not None else 1.0
    shrink = min(1.0, grid.fit.min_size / nominal)  # the fit may take the text this small
    for p, palette in enumerate(layout.palettes):
        panel = palette.tint if design.background == "tint" else behind
        where = f"palettes[{p}]"
        if title is not None:
            size = layout.styles[title.style].size * shrink
            yield Placement(
                title.style,
                f"panel titles ({where})",
                palette.title_colour,
                f"{where}.title_colour",
                panel,
                size,
            )
        if bullets is not None:
            style = layout.styles[bullets.style]
            if style.colour is not None:
                yield Placement(
                    bullets.style, f"bullets on {where}.tint", style.colour, f"styles.{bullets.style}.colour",
                    panel, style.size * shrink,
                )  # fmt: skip
        badge = design.part(Badge)
        if badge is not None and badge.show == "number" and badge.number_style is not None:
            on_badge = badge.diameter > 0
            yield Placement(
                badge.number_style,
                f"badge numbers ({where})",
                palette.on_colour if on_badge else palette.colour,
                f"{where}.on_colour" if on_badge else f"{where}.colour",
                palette.colour if on_badge else panel,
                layout.styles[badge.number_style].size,
            )
        if grid.label is not None and grid.group_by == "group":
            yield Placement(
                grid.label.style, f"group labels ({where})", palette.on_colour, f"{where}.on_colour",
                palette.colour, layout.styles[grid.label.style].size,
            )  # fmt: skip


CONTRAST = "contrast"  # the code of these problems: a render warns, validate refuses


def is_contrast_problem(diagnostic: Diagnostic) -> bool:
    return diagnostic.code == CONTRAST


def contrast_problems(layout: Layout, locations: dict[str, Location]) -> list[Diagnostic]:
    """An error for every text whose contrast with its background is below WCAG 2.2 AA."""
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for p in placements(layout):
        font = layout.fonts.get(layout.styles[p.style].font)
        weight = font.weight if font is not None else 400
        large = p.size >= 18 - 1e-6 or (p.size >= 14 - 1e-6 and weight >= BOLD)
        needed = LARGE_TEXT if large else NORMAL_TEXT
        ratio = contrast_ratio(p.text, p.background)
        if ratio >= needed - 1e-9 or (p.text_key, p.text.hex, p.background.hex) in seen:
            continue
        seen.add((p.text_key, p.text.hex, p.background.hex))
        problems.append(
            Diagnostic(
                f"{p.what} in style '{p.style}': {p.text.hex.upper()} on {p.background.hex.upper()} has a contrast "
                f"ratio of {ratio:.2f}:1, below the {needed:g}:1 WCAG 2.2 (AA) asks for "
                f"{'large' if large else 'normal'} text ({p.size:.3g}pt{' bold' if weight >= BOLD else ''})",
                locations.get(p.text_key),
                p.text_key,
                "darken the text or lighten what is behind it (or the other way round); large "
                "text (18pt, or 14pt bold) needs 3:1",
                code=CONTRAST,
            )
        )
    return problems
