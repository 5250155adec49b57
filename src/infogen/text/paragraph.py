"""Setting a paragraph: split into breakable pieces, shape, break, and position glyphs.

The result is in points, relative to the paragraph's top-left corner, ready to be
placed by the layout engine and drawn without any further measuring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .fonts import Font
from .linebreak import Overflow, Piece, break_lines
from .shaping import Shaped, shape

# A break may follow a space, or a hard hyphen between two letters ("Cross-boundary").
_WORDS = re.compile(r"[^ ]+")
_HYPHEN_SPLIT = re.compile(r"(?<=\w-)(?=\w)")


@dataclass(frozen=True)
class SetGlyph:
    id: int
    x: float  # from the line's start, pt
    y: float  # from the baseline, pt, y down


@dataclass(frozen=True)
class SetLine:
    text: str
    glyphs: tuple[SetGlyph, ...]
    width: float
    baseline: float  # from the paragraph's top, pt


@dataclass(frozen=True)
class SetParagraph:
    """A paragraph broken into lines. Its size is known at once; glyphs are placed on
    first use of `lines`, so the fitting loop can measure many sizes cheaply."""

    size: float
    height: float
    first_baseline: float  # from the paragraph's top, pt
    line_height: float
    _parts: tuple[tuple[str, bool], ...]
    _shaped: tuple[Shaped, ...]
    _space: Shaped
    _scale: float
    _breaks: tuple[tuple[int, int], ...]

    @cached_property
    def lines(self) -> tuple[SetLine, ...]:
        lines = []
        space = self._space.advance * self._scale
        for number, (start, end) in enumerate(self._breaks):
            glyphs: list[SetGlyph] = []
            x, words = 0.0, []
            for i in range(start, end):
                glyphs.extend(_place(self._shaped[i], x, self._scale))
                x += self._shaped[i].advance * self._scale
                words.append(self._parts[i][0])
                if i < end - 1 and self._parts[i][1]:
                    # Spaces are real space glyphs, so text extraction finds the words' spaces.
                    glyphs.extend(_place(self._space, x, self._scale))
                    x += space
                    words.append(" ")
            baseline = self.first_baseline + number * self.line_height
            lines.append(SetLine("".join(words), tuple(glyphs), x, baseline))
        return tuple(lines)


@dataclass(frozen=True)
class ParagraphOverflow:
    """The paragraph cannot be set in the width: a word is wider by `excess` pt."""

    word: str
    excess: float


def split_pieces(text: str) -> list[tuple[str, bool]]:
    """Text as (piece, space_after) pairs: words, and compound parts after hard hyphens."""
    pieces: list[tuple[str, bool]] = []
    for word in _WORDS.findall(text):
        parts = _HYPHEN_SPLIT.split(word)
        pieces.extend((part, False) for part in parts[:-1])
        pieces.append((parts[-1], True))
    if pieces:
        pieces[-1] = (pieces[-1][0], False)
    return pieces


def set_paragraph(
    text: str,
    font: Font,
    size: float,
    leading: float,
    width: float,
    lang: str,
    direction: str = "ltr",
    balance: bool = False,
) -> SetParagraph | ParagraphOverflow:
    scale = size / font.units_per_em
    parts = split_pieces(text)
    shaped = tuple(shape(font, part, lang, direction) for part, _ in parts)
    space_shaped = shape(font, " ", lang, direction)
    space = space_shaped.advance * scale
    pieces = [
        Piece(s.advance * scale, space_after) for s, (_, space_after) in zip(shaped, parts, strict=True)
    ]
    breaks = break_lines(pieces, space, width, balance)
    if isinstance(breaks, Overflow):
        return ParagraphOverflow(parts[breaks.piece][0], breaks.excess)
    line_height = size * leading
    # CSS-like line boxes: the font's ascent+descent centred in the line height. When the
    # leading is tighter than the font's extent, the first line's ascent and the last
    # line's descent still count, so nothing set here can reach outside its box.
    ascent, descent = font.ascender * scale, font.descender * scale
    half_leading = max(0.0, (line_height - ascent - descent) / 2)
    first_baseline = half_leading + ascent
    return SetParagraph(
        size=size,
        height=first_baseline + (len(breaks) - 1) * line_height + descent + half_leading,
        first_baseline=first_baseline,
        line_height=line_height,
        _parts=tuple(parts),
        _shaped=shaped,
        _space=space_shaped,
        _scale=scale,
        _breaks=tuple(breaks),
    )


def _place(shaped: Shaped, x: float, scale: float) -> list[SetGlyph]:
    placed = []
    pen = x
    for g in shaped.glyphs:
        placed.append(SetGlyph(g.id, round(pen + g.x_offset * scale, 3), round(-g.y_offset * scale, 3)))
        pen += g.x_advance * scale
    return placed
