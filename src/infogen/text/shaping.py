"""Shaping: text to positioned glyphs with HarfBuzz, in font units, cached.

Shaping is independent of the type size, so a word is shaped once and scaled
for every size the fitting loop tries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import uharfbuzz as hb

from .fonts import Font
from .memo import per_language

FEATURES = {"kern": True, "liga": True}


class ShapedGlyph(NamedTuple):
    """A glyph as HarfBuzz placed it, font units. A NamedTuple rather than a dataclass: one
    is made for every glyph of every new word (~2,500 a page), and a frozen dataclass's
    __init__ costs about twice as much."""

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
    glyphs = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        x_offset, y_offset, x_advance, _ = pos.position  # in this order; one call for all four
        glyphs.append(ShapedGlyph(info.codepoint, x_advance, x_offset, y_offset))
    return Shaped(tuple(glyphs), sum(g.x_advance for g in glyphs))
