"""`infogen render --contact-sheet`: every language of a layout on one page, each tile
labelled with its language and with its fit summary beneath (layout/sheet.py draws it).

Each language's page is the Scene the render itself makes, so the sheet shows what would
be printed; a language that cannot be laid out fails the sheet with its own messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic, InfogenError
from ..layout.sheet import Tile, contact_sheet
from ..scene import Scene
from ..source import display_path

SHEET_NAME = "{layout}-contact-sheet.{ext}"


def fit_summary(fits: Sequence[Any], warnings: int) -> tuple[str, ...]:
    """What the fit did, in a line or two per grid: the size the panel text got, how full
    the fullest panel is, and the string that limited the size."""
    lines = []
    for fit in fits:
        size = (
            f"{fit.smallest_size:g}pt"
            if fit.smallest_size == fit.largest_size
            else (f"{fit.smallest_size:g}-{fit.largest_size:g}pt")
        )
        fullest = fit.fullest
        full = f", fullest {100 * fullest.fullness:.0f}% ({fullest.panel})" if fullest else ""
        lines.append(f"{fit.grid}: text {size} of {fit.designed_size:g}pt{full}")
        lines.append(f"limited by {fit.limit_key}" if fit.limit_key else "not shrunk")
    if not fits:
        lines.append("no panels to fit")
    if warnings:
        lines.append(f"{warnings} warning{'s' if warnings > 1 else ''} (see `infogen validate`)")
    return tuple(lines)


def sheet_scene(renderer: Any, layout: str, languages: Sequence[str]) -> Scene:
    """The contact sheet of one layout in these languages; every language's problems at once."""
    project = renderer.project
    tiles: list[Tile] = []
    problems: list[Diagnostic] = []
    for lang in languages:
        before = len(renderer.warnings)
        try:
            scene, fits = renderer.scene_with_fits(layout, lang)
            content = project.load_content(lang, None, renderer.fallback, [])
        except InfogenError as exc:
            problems += exc.diagnostics
            continue
        name = project.language_name(lang)
        english = name.rsplit("(", 1)[-1].rstrip(")") if "(" in name else lang
        tiles.append(
            Tile(
                scene,
                lang,
                content.script,
                (f"{lang} · {name}", f"{lang} · {english}", f"{lang} - {english}"),
                fit_summary(fits, len(renderer.warnings) - before),
            )
        )
    if problems:
        raise InfogenError(problems)
    if not tiles:
        raise InfogenError([Diagnostic("no language to put on the contact sheet", hint="pass --lang")])
    spec = renderer.layout(layout)
    title = f"{spec.name} ({layout}): {len(tiles)} languages"
    layout_file = display_path(project.layout_path(layout))
    return contact_sheet(tiles, spec, renderer.library, layout_file, title)
