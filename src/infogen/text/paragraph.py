"""Setting a paragraph: segment, shape, break into lines, order and position the glyphs.

Every segment is shaped with the first font of the style's chain that has all its
characters (the fallback chain per script). Lines are broken on logical order; each
line's segments are then put in visual order with the Unicode bidi algorithm, so
right-to-left text with embedded numbers and Latin acronyms reads correctly. The
result is in points, relative to the paragraph's top-left corner: drawing it needs no
further measuring.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .bidi import has_rtl, visual_order
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


@dataclass(frozen=True)
class SetLine:
    runs: tuple[SetRun, ...]
    width: float
    baseline: float  # from the paragraph's top, pt

    @property
    def text(self) -> str:
        return "".join(run.text for run in sorted(self.runs, key=lambda r: r.x))


@dataclass(frozen=True)
class ParagraphOverflow:
    """The paragraph cannot be set in the width: a word is wider by `excess` pt."""

    word: str
    excess: float


@dataclass(frozen=True)
class Shaper:
    """Shapes segments with a font chain; remembers which font set which segment."""

    fonts: tuple[Font, ...]
    lang: str
    direction: str

    def font_for(self, text: str) -> Font:
        drawn = [ch for ch in text if needs_glyph(ch)]
        return next((f for f in self.fonts if all(ord(ch) in f.codepoints for ch in drawn)), self.fonts[0])

    def shape(self, text: str) -> tuple[Font, Shaped]:
        font = self.font_for(text)
        return font, shape(font, text, self.lang, direction_of(text))


def direction_of(text: str) -> str:
    """A segment's own direction (for shaping): right-to-left if it has an RTL letter."""
    return "rtl" if has_rtl(text) else "ltr"


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
    _shaped: tuple[tuple[Font, Shaped], ...]
    _space: tuple[Font, Shaped]
    _hyphen: tuple[Font, Shaped]
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
            width = runs[-1].x + runs[-1].width if runs else 0.0
            lines.append(SetLine(runs, width, self.first_baseline + number * self.line_height))
        return tuple(lines)

    def _line_runs(self, start: int, end: int, hyphenated: bool) -> tuple[SetRun, ...]:
        """The line's segments in visual order, merged into runs of one font and direction."""
        items: list[tuple[str, Font, Shaped, bool]] = []  # text, font, glyphs, rtl — logical order
        for i in range(start, end):
            seg = self._segments[i]
            font, shaped = self._shaped[i]
            rtl = direction_of(seg.text) == "rtl"
            text = seg.text
            if i == end - 1 and hyphenated:
                items.append((text, font, shaped, rtl))
                hyphen_font, hyphen = self._hyphen
                items.append((SOFT_HYPHEN, hyphen_font, hyphen, rtl))
                continue
            items.append((text, font, shaped, rtl))
            if i < end - 1 and seg.space_after:
                space_font, space = self._space
                items.append((" ", space_font, space, self.direction == "rtl"))
        order = visual_order([text for text, *_ in items], self.direction == "rtl")
        runs: list[SetRun] = []
        x = 0.0
        for index in order:
            text, font, shaped, rtl = items[index]
            k = self._scale(font)
            glyphs = tuple(_place(shaped, 0.0, k))
            width = shaped.advance * k
            last = runs[-1] if runs else None
            if last and last.font is font and last.rtl == rtl:
                moved = tuple(SetGlyph(g.id, round(g.x + last.width, 3), g.y) for g in glyphs)
                merged_text = text + last.text if rtl else last.text + text
                runs[-1] = SetRun(font, merged_text, last.glyphs + moved, last.x, last.width + width, rtl)
            else:
                runs.append(SetRun(font, text, glyphs, x, width, rtl))
            x += width
        return tuple(runs)


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
    segs = tuple(segments(text, lang, hyphenation))
    shaped = tuple(shaper.shape(s.text) for s in segs)
    space, hyphen = shaper.shape(" "), shaper.shape(HYPHEN)

    def pt(item: tuple[Font, Shaped]) -> float:
        return item[1].advance * size / item[0].units_per_em

    pieces = [
        Piece(pt(sh), seg.space_after, pt(hyphen) if seg.hyphen else 0.0, seg.penalty)
        for seg, sh in zip(segs, shaped, strict=True)
    ]
    breaks = break_lines(pieces, pt(space), width, balance)
    if isinstance(breaks, Overflow):
        return ParagraphOverflow(segs[breaks.piece].text, breaks.excess)
    primary = fonts[0]
    scale = size / primary.units_per_em
    line_height = size * leading
    # CSS-like line boxes: the font's ascent+descent centred in the line height. When the
    # leading is tighter than the font's extent, the first line's ascent and the last
    # line's descent still count, so nothing set here can reach outside its box.
    ascent, descent = primary.ascender * scale, primary.descender * scale
    half_leading = max(0.0, (line_height - ascent - descent) / 2)
    first_baseline = half_leading + ascent
    return SetParagraph(
        size=size,
        height=first_baseline + (len(breaks) - 1) * line_height + descent + half_leading,
        first_baseline=first_baseline,
        line_height=line_height,
        direction=direction,
        _segments=segs,
        _shaped=shaped,
        _space=space,
        _hyphen=hyphen,
        _breaks=tuple(breaks),
    )


def _place(shaped: Shaped, x: float, scale: float) -> list[SetGlyph]:
    placed = []
    pen = x
    for g in shaped.glyphs:
        placed.append(SetGlyph(g.id, round(pen + g.x_offset * scale, 3), round(-g.y_offset * scale, 3)))
        pen += g.x_advance * scale
    return placed
