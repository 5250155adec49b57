"""Glyph outlines as SVG path data, for exporters that draw text as shapes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.pens.svgPathPen import SVGPathPen

from .memo import per_language


@lru_cache(maxsize=16)
def _hb_font(path: Path, index: int, digest: bytes) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))


@per_language
@lru_cache(maxsize=8192)
def glyph_path(path: Path, index: int, digest: bytes, glyph_id: int) -> str:
    """The glyph's outline in font units, y up, as SVG path data ('' for blank glyphs);
    `digest` (of the file's bytes, FontRef.digest) keys the caches, not the path alone."""
    pen = SVGPathPen(None, ntos=lambda v: f"{v:g}")
    _hb_font(path, index, digest).draw_glyph_with_pen(glyph_id, pen)
    return pen.getCommands()
