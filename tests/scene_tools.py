"""Helpers for asserting on a Scene."""

from __future__ import annotations

from functools import cache
from pathlib import Path as FsPath

import uharfbuzz as hb

from infogen.layout.geometry import Rect
from infogen.scene import GlyphRun, Group, Path, Scene, points_of, walk


def path_bounds(path: Path) -> Rect:
    points = [p for c in path.commands for p in points_of(c)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def groups(scene: Scene, name: str) -> list[Group]:
    """Groups made by a region or part of this kind (or, failing that, with this role)."""
    return [
        i
        for top in scene.pages[0].items
        for i in walk(top)
        if isinstance(i, Group) and (i.kind == name or (not i.kind and i.role == name))
    ]


def runs(item) -> list[GlyphRun]:  # type: ignore[no-untyped-def]
    return [i for i in walk(item) if isinstance(i, GlyphRun)]


def panel_rect(panel: Group) -> Rect:
    background = panel.items[0].items[0]
    assert isinstance(background, Path)
    return path_bounds(background)


@cache
def _hb_font(path: FsPath, index: int) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))


def ink_box(run: GlyphRun) -> Rect | None:
    """Where the run's glyphs actually put ink (None for a run of spaces)."""
    font = _hb_font(run.font.path, run.font.index)
    k = run.size / font.face.upem
    boxes = []
    for g in run.glyphs:
        e = font.get_glyph_extents(g.id)
        if e.width and e.height:
            x0 = run.x + g.x + e.x_bearing * k
            y0 = run.y + g.y - e.y_bearing * k  # font y-up -> scene y-down
            boxes.append((x0, y0, x0 + e.width * k, y0 - e.height * k))
    if not boxes:
        return None
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return Rect(left, top, right - left, bottom - top)


@cache
def _extents(path: FsPath, index: int) -> tuple[float, float]:
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))
    e = font.get_font_extents("ltr")
    upem = font.face.upem
    return e.ascender / upem, -e.descender / upem


def run_box(run: GlyphRun) -> Rect:
    """The run's line box: its advance, from the font's ascender to its descender."""
    asc, desc = _extents(run.font.path, run.font.index)
    top = run.y - asc * run.size
    return Rect(run.x, top, run.advance, (asc + desc) * run.size)
