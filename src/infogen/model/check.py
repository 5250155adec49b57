"""Checks across a layout's keys that the schema alone cannot express: names that must
name an entry elsewhere in the file, and combinations of regions and parts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..diagnostics import Collector, Diagnostic, Location, Severity, closest
from .contrast import contrast_problems
from .layout import Layout
from .regions import Badge, Band, Bullets, Columns, Grid, PanelDesign, Region, Row, Stack, Text, Title
from .schema import references


def check_layout(
    layout: Layout, locations: dict[str, Location], group_ids: list[str] | None
) -> list[Diagnostic]:
    """Every problem at once: unknown styles, fonts and panels; parts given twice; a grid of
    a group that does not exist; a numbered badge without a style for its number; a style
    without a colour where nothing else colours it. Returns the warnings (keys that have
    no effect)."""
    c = Collector()
    for path, name, table in references(layout):
        known = list(getattr(layout, table))
        if name not in known:
            close = closest(name, known)
            c.error(
                f"unknown {_NOUNS[table]} '{name}'",
                locations.get(path),
                path,
                f"did you mean '{close}'?" if close else f"defined in `{table}`: {', '.join(known)}",
            )
    for name, panel in layout.panels.items():
        _check_panel(c, panel, f"panels.{name}", locations)
    for path, region in regions(layout.body, "body"):
        if isinstance(region, Grid):
            _check_grid(c, region, path, locations, group_ids)
        if isinstance(region, Row) and len(region.widths) != len(region.items):
            c.error(
                f"{len(region.widths)} widths for {len(region.items)} regions",
                locations.get(f"{path}.widths"),
                f"{path}.widths",
                "give one width (a share, such as 1 or 2.5) for each region of the row",
            )
    _check_style_colours(c, layout, locations)
    if not any(d.severity is Severity.ERROR for d in c.diagnostics):  # names resolve: follow the colours
        # A render warns; `validate` refuses (see validate.py): an accessibility gate, not a
        # reason to withhold a proof.
        c.diagnostics += [replace(d, severity=Severity.WARNING) for d in contrast_problems(layout, locations)]
    c.raise_if_errors()
    return [d for d in c.diagnostics if d.severity is Severity.WARNING]


def style_uses(layout: Layout) -> dict[str, set[str]]:
    """Where each text style is used: 'palette' where the group's palette colours the text
    (panel titles, group labels, badge numbers), 'own' where the style's colour is used."""
    uses: dict[str, set[str]] = {}
    for panel in layout.panels.values():
        for part in panel.parts:
            if isinstance(part, Title):
                uses.setdefault(part.style, set()).add("palette")
            elif isinstance(part, Bullets):
                uses.setdefault(part.style, set()).add("own")
            elif isinstance(part, Badge) and part.number_style is not None and part.show == "number":
                uses.setdefault(part.number_style, set()).add("palette")
    for _, region in regions(layout.body, "body"):
        if isinstance(region, Grid) and region.label is not None:
            uses.setdefault(region.label.style, set()).add("palette")
        elif isinstance(region, (Text, Columns)):
            uses.setdefault(region.style, set()).add("own")
    return uses


def _check_style_colours(c: Collector, layout: Layout, locations: dict[str, Location]) -> None:
    """No text without a colour, and no colour that has no effect."""
    for name, used in style_uses(layout).items():
        style = layout.styles.get(name)
        if style is None:
            continue  # an unknown style: reported above
        path = f"styles.{name}"
        if style.colour is None and "own" in used:
            c.error(
                "the style has no colour, and text regions or bullets use it",
                locations.get(path),
                f"{path}.colour",
                "give it a colour (only panel titles, group labels and badge numbers take theirs "
                "from the palette)",
            )
        elif style.colour is not None and used == {"palette"}:
            c.diagnostics.append(
                Diagnostic(
                    "has no effect: this style is only used by panel titles, group labels or "
                    "badge numbers, which take their colour from the group's palette",
                    locations.get(f"{path}.colour"),
                    f"{path}.colour",
                    "remove it, and set the colour in `palettes` (title_colour, on_colour)",
                    severity=Severity.WARNING,
                )
            )


_NOUNS = {"styles": "text style", "fonts": "font", "panels": "panel design"}


def regions(items: tuple[Region, ...], path: str) -> Iterator[tuple[str, Region]]:
    """Every region of a tree with its key path, depth first, in reading order."""
    for i, region in enumerate(items):
        here = f"{path}[{i}]"
        yield here, region
        if isinstance(region, (Stack, Band, Row)):
            yield from regions(region.items, f"{here}.items")


def _check_panel(c: Collector, panel: PanelDesign, path: str, locations: dict[str, Location]) -> None:
    seen: dict[type, int] = {}
    for i, part in enumerate(panel.parts):
        where = f"{path}.parts[{i}]"
        if type(part) in seen:
            c.error(
                f"the panel shows a {part.kind} already (parts[{seen[type(part)]}])",
                locations.get(where),
                where,
                "each part may appear once",
            )
        seen.setdefault(type(part), i)
        if isinstance(part, Badge) and part.show == "number" and part.number_style is None:
            c.error(
                "a numbered badge needs `number_style`",
                locations.get(where),
                where,
                "name the text style of the number",
            )


def _check_grid(
    c: Collector, grid: Grid, path: str, locations: dict[str, Location], group_ids: list[str] | None
) -> None:
    if group_ids is not None and grid.themes != "all" and grid.themes not in group_ids:
        close = closest(grid.themes, group_ids)
        c.error(
            f"'{grid.themes}' is not a group in data/theme.yaml",
            locations.get(f"{path}.themes"),
            f"{path}.themes",
            f"did you mean '{close}'?" if close else f"`all`, or one of: {', '.join(group_ids)}",
        )
    if grid.label is not None and grid.group_by == "none":
        c.error(
            "group labels need `group_by: group`",
            locations.get(f"{path}.label"),
            f"{path}.label",
            "group the panels, or leave the label out",
        )


def max_bullets(layout: Layout) -> int | None:
    """The most bullets any theme may have: the smallest `max` of the panels grids use."""
    used = {r.panel for _, r in regions(layout.body, "body") if isinstance(r, Grid)}
    limits = [p.max for name in used if (p := _part(layout.panels.get(name), Bullets)) is not None]
    return min(limits, default=None)


def _part(panel: PanelDesign | None, cls: Any) -> Any:
    return panel.part(cls) if panel is not None else None
