"""Shaping: text to positioned glyphs with HarfBuzz, in font units, cached.

Shaping is independent of the type size, so a word is shaped once and scaled
for every size the fitting loop tries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from .fonts import Font
from .memo import per_language

FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True)
class ShapedGlyph:
    id: int
    x_advance: int
    x_offset: int
    y_offset: int


@dataclass(frozen=True)
class Shaped:
    """A shaped piece of text; all numbers in font units (divide by units-per-em, times size)."""

    glyphs: tuple[ShapedGlyph, ...]
    advance: int


@per_language
@lru_cache(maxsize=8192)
def shape(font: Font, text: str, lang: str, direction: str = "ltr") -> Shaped:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.language = lang
    buf.direction = direction
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(font.hb_font, buf, FEATURES)
    glyphs = tuple(
        ShapedGlyph(info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    )
    return Shaped(glyphs, sum(g.x_advance for g in glyphs))
