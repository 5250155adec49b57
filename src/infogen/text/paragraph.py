"""Setting a paragraph: segment, shape, break into lines, order and position the glyphs.

Every segment is split into runs of one font and one direction — each character set in
the first font of the style's chain (the fallback chain per script) that has it — and
each run is shaped with HarfBuzz. Lines are broken on logical order; each
line's segments are then put in visual order with the Unicode bidi algorithm, so
right-to-left text with embedded numbers and Latin acronyms reads correctly. The
result is in points, relative to the paragraph's top-left corner: drawing it needs no
further measuring.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .bidi import visual_order
from .fonts import Font, needs_glyph
from .linebreak import Overflow, Piece, break_lines
from .segment import Hyphenation, Segment, segments
from .shaping import Shaped, shape

HYPHEN = "-"
SOFT_HYPHEN = "\u00ad"  # what a run's text says where the line broke at a hyphenation point


@dataclass(frozen=True)
class SetGlyph:
    id: int
    x: float  # from the run's start, pt
    y: float  # from the baseline, pt, y down


@dataclass(frozen=True)
class SetRun:
    """Glyphs of one font, in visual order, and the text they show, in logical order."""

    font: Font
    text: str
    glyphs: tuple[SetGlyph, ...]
    x: float  # from the line's left end, pt
    width: float
    rtl: bool
    order: int  # position in reading order: lines list their runs by it


@dataclass(frozen=True)
class SetLine:
    runs: tuple[SetRun, ...]  # in reading order
    width: float
    baseline: float  # from the paragraph's top, pt


@dataclass(frozen=True)
class ParagraphOverflow:
    """The paragraph cannot be set in the width: a word is wider by `excess` pt."""

    word: str
    excess: float


@dataclass(frozen=True)
class Shaper:
    """Shapes segments with a font chain, in runs of one font and one direction."""

    fonts: tuple[Font, ...]
    lang: str
    direction: str

    def shape(self, text: str) -> tuple[Item, ...]:
        return _shape_segment(self, text)

    def itemize(self, text: str) -> list[tuple[str, Font, bool]]:
        """Split text where the font or the direction changes. Each character takes the
        first font of the chain that has it — or its neighbour's, which keeps punctuation
        with the word it belongs to; neutral characters take their neighbour's direction."""
        strong = [_strong(ch) for ch in text]
        default_rtl = next((d for d in strong if d is not None), self.direction == "rtl")
        runs: list[list] = []  # [text, font, rtl]
        for ch, rtl in zip(text, strong, strict=True):
            rtl = rtl if rtl is not None else (runs[-1][2] if runs else default_rtl)
            previous = runs[-1][1] if runs else None
            if previous is not None and (not needs_glyph(ch) or ord(ch) in previous.codepoints):
                font = previous
            else:
                font = next((f for f in self.fonts if ord(ch) in f.codepoints), self.fonts[0])
            if runs and runs[-1][1] is font and runs[-1][2] == rtl:
                runs[-1][0] += ch
            else:
                runs.append([ch, font, rtl])
        return [(t, f, r) for t, f, r in runs]


@lru_cache(maxsize=16384)
def _shape_segment(shaper: Shaper, text: str) -> tuple[Item, ...]:
    """Cached: the fitting loop sets the same words at many sizes."""
    return tuple(
        Item(run, font, shape(font, run, shaper.lang, "rtl" if rtl else "ltr"), rtl)
        for run, font, rtl in shaper.itemize(text)
    )


def _strong(ch: str) -> bool | None:
    """True for right-to-left letters; False for left-to-right letters and for digits
    (numbers read left to right, even in Arabic); None for neutrals."""
    kind = unicodedata.bidirectional(ch)
    return True if kind in ("R", "AL") else False if kind in ("L", "EN", "AN") else None


@dataclass(frozen=True)
class Item:
    """A run of one font and direction within a segment, shaped."""

    text: str
    font: Font
    shaped: Shaped
    rtl: bool

    def width(self, size: float) -> float:
        return self.shaped.advance * size / self.font.units_per_em


@dataclass(frozen=True)
class SetParagraph:
    """A paragraph broken into lines. Its size is known at once; glyphs are placed on
    first use of `lines`, so the fitting loop can measure many sizes cheaply."""

    size: float
    height: float
    first_baseline: float  # from the paragraph's top, pt
    line_height: float
    direction: str
    _segments: tuple[Segment, ...]
    _shaped: tuple[tuple[Item, ...], ...]
    _space: tuple[Item, ...]
    _hyphen: tuple[Item, ...]
    _breaks: tuple[tuple[int, int], ...]

    def _scale(self, font: Font) -> float:
        return self.size / font.units_per_em

    @cached_property
    def lines(self) -> tuple[SetLine, ...]:
        lines = []
        for number, (start, end) in enumerate(self._breaks):
            runs = self._line_runs(
                start, end, hyphenated=end < len(self._segments) and self._segments[end - 1].hyphen
            )
            width = max((run.x + run.width for run in runs), default=0.0)
            lines.append(SetLine(runs, width, self.first_baseline + number * self.line_height))
        return tuple(lines)

    def _line_runs(self, start: int, end: int, hyphenated: bool) -> tuple[SetRun, ...]:
        """The line's items in visual order, merged into runs of one font and direction."""
        items: list[Item] = []  # logical order
        for i in range(start, end):
            items += self._shaped[i]
            if i == end - 1 and hyphenated:
                hyphen = self._hyphen[0]
                items.append(Item(SOFT_HYPHEN, hyphen.font, hyphen.shaped, items[-1].rtl))
            elif i < end - 1 and self._segments[i].space_after:
                space = self._space[0]
                items.append(Item(" ", space.font, space.shaped, self.direction == "rtl"))
        order = visual_order([item.text for item in items], self.direction == "rtl")
        runs: list[SetRun] = []
        x = 0.0
        previous = -2  # the logical index of the item placed before, to merge only neighbours
        for index in order:
            item = items[index]
            k = self._scale(item.font)
            glyphs = tuple(_place(item.shaped, 0.0, k))
            width = item.width(self.size)
            last = runs[-1] if runs else None
            if last and last.font is item.font and last.rtl == item.rtl and abs(previous - index) == 1:
                moved = tuple(SetGlyph(g.id, round(g.x + last.width, 3), g.y) for g in glyphs)
                text = item.text + last.text if item.rtl else last.text + item.text
                first = min(last.order, index)
                runs[-1] = SetRun(
                    item.font, text, last.glyphs + moved, last.x, last.width + width, item.rtl, first
                )
            else:
                runs.append(SetRun(item.font, item.text, glyphs, x, width, item.rtl, index))
            x += width
            previous = index
        return tuple(sorted(runs, key=lambda run: run.order))  # reading order


def set_paragraph(
    text: str,
    fonts: tuple[Font, ...],
    size: float,
    leading: float,
    width: float,
    lang: str,
    direction: str = "ltr",
    balance: bool = False,
    hyphenation: Hyphenation | None = None,
) -> SetParagraph | ParagraphOverflow:
    shaper = Shaper(fonts, lang, direction)
    space, hyphen = shaper.shape(" "), shaper.shape(HYPHEN)

    def pt(items: tuple[Item, ...]) -> float:
        return sum(item.width(size) for item in items)

    def attempt(
        rules: Hyphenation | None,
    ) -> tuple[
        tuple[Segment, ...], tuple[tuple[Item, ...], ...], list[Piece], list[tuple[int, int]] | Overflow
    ]:
        segs = segments(text, lang, rules)
        shaped = tuple(shaper.shape(s.text) for s in segs)
        pieces = [
            Piece(pt(sh), seg.space_after, pt(hyphen) if seg.hyphen else 0.0, seg.penalty)
            for seg, sh in zip(segs, shaped, strict=True)
        ]
        return segs, shaped, pieces, break_lines(pieces, pt(space), width, balance)

    # As TeX does: first without hyphenation; hyphenate only if a word does not fit or a
    # line would come out too short. Most paragraphs never load the patterns.
    segs, shaped, pieces, breaks = attempt(None)
    if hyphenation and (
        isinstance(breaks, Overflow) or _too_short(pieces, breaks, pt(space), width, hyphenation)
    ):
        segs, shaped, pieces, breaks = attempt(hyphenation)
    if isinstance(breaks, Overflow):
        return ParagraphOverflow(segs[breaks.piece].text, breaks.excess)
    primary = fonts[0]
    scale = size / primary.units_per_em
    line_height = size * leading
    # CSS-like line boxes: the primary font's ascent+descent centred in the line height.
    # Where the leading is tight (or the font's extent generous, as Arabic fonts' is), the
    # ink of the first and last lines still decides: nothing set here leaves its box.
    half_leading = (line_height - (primary.ascender + primary.descender) * scale) / 2
    css_baseline = half_leading + primary.ascender * scale
    first_ink, _ = _ink(shaped, breaks[0], size)
    _, last_ink = _ink(shaped, breaks[-1], size)
    first_baseline = max(css_baseline, first_ink)
    below_last = max(line_height - css_baseline, last_ink)
    return SetParagraph(
        size=size,
        height=first_baseline + (len(breaks) - 1) * line_height + below_last,
        first_baseline=first_baseline,
        line_height=line_height,
        direction=direction,
        _segments=segs,
        _shaped=shaped,
        _space=space,
        _hyphen=hyphen,
        _breaks=tuple(breaks),
    )


def _too_short(
    pieces: list[Piece], breaks: list[tuple[int, int]], space: float, width: float, rules: Hyphenation
) -> bool:
    """Whether a line other than the last fills less of the width than the layout accepts."""
    for start, end in breaks[:-1]:
        filled = sum(p.width for p in pieces[start:end]) + space * sum(
            p.space_after for p in pieces[start : end - 1]
        )
        if filled < rules.below_fill * width:
            return True
    return False


def _ink(shaped: tuple[tuple[Item, ...], ...], line: tuple[int, int], size: float) -> tuple[float, float]:
    """How far the ink of a line's glyphs reaches above and below its baseline, pt."""
    above = below = 0.0
    for item in (item for items in shaped[line[0] : line[1]] for item in items):
        k = size / item.font.units_per_em
        for g in item.shaped.glyphs:
            top, bottom = item.font.ink(g.id)
            above = max(above, (top + g.y_offset) * k)
            below = max(below, (bottom - g.y_offset) * k)
    return above, below


def _place(shaped: Shaped, x: float, scale: float) -> list[SetGlyph]:
    placed = []
    pen = x
    for g in shaped.glyphs:
        placed.append(SetGlyph(g.id, round(pen + g.x_offset * scale, 3), round(-g.y_offset * scale, 3)))
        pen += g.x_advance * scale
    return placed
