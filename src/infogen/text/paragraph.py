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
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from ..scene import Glyph  # placed glyphs are the Scene's: x from the run's start, pt
from .bidi import visual_order
from .fonts import Font, needs_glyph
from .linebreak import Overflow, Piece, break_lines
from .memo import per_language
from .segment import CLOSING_BRACKETS, OPENING_BRACKETS, Hyphenation, Segment, segments, split_phrase
from .shaping import Shaped, shape

HYPHEN = "-"
INK_CLEARANCE = 0.03  # em: room left between lines whose ink would otherwise cross
SOFT_HYPHEN = "\u00ad"  # what a run's text says where the line broke at a hyphenation point


@dataclass(frozen=True)
class SetRun:
    """Glyphs of one font, in visual order, and the text they show, in logical order."""

    font: Font
    text: str
    glyphs: tuple[Glyph, ...]
    x: float  # from the line's left end, pt
    width: float
    rtl: bool
    order: int  # position in reading order: lines list their runs by it


@dataclass
class _OpenRun:
    """A SetRun while a line's items are merged into it (neighbours of one font and
    direction), before it is closed."""

    font: Font
    text: str
    glyphs: list[Glyph]
    x: float
    width: float
    rtl: bool
    order: int

    def close(self) -> SetRun:
        return SetRun(self.font, self.text, tuple(self.glyphs), self.x, self.width, self.rtl, self.order)


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
        first = self.fonts[0]
        if text and text.isascii() and first.codepoints.issuperset(map(ord, text)):
            # Most of a Latin page, in one step: ASCII has no right-to-left letter, its
            # letters and digits are strong left-to-right and the rest neutral, and the
            # first font has every character (what the loop below finds, character by one).
            return [(text, first, False if any(ch.isalnum() for ch in text) else self.direction == "rtl")]
        return self._itemize_each(text)

    def _itemize_each(self, text: str) -> list[tuple[str, Font, bool]]:
        """itemize, character by character."""
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


@per_language
@lru_cache(maxsize=16384)
def _shape_segment(shaper: Shaper, text: str) -> tuple[Item, ...]:
    """Cached: the fitting loop sets the same words at many sizes."""
    return tuple(
        Item(run, font, shape(font, run, shaper.lang, "rtl" if rtl else "ltr"), rtl)
        for run, font, rtl in shaper.itemize(text)
    )


@per_language
@lru_cache(maxsize=4096)
def _shaped_segments(
    shaper: Shaper, text: str, rules: Hyphenation | None
) -> tuple[tuple[Segment, ...], tuple[tuple[Item, ...], ...]]:
    """A paragraph's segments, shaped: the same at every size the fit search tries."""
    segs = segments(text, shaper.lang, rules)
    return segs, tuple(shaper.shape(s.text) for s in segs)


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

    @cached_property
    def ink(self) -> tuple[int, int]:
        """How far the glyphs' ink reaches above and below the baseline, font units (at
        least 0): measured once, scaled for every size."""
        above = below = 0
        for g in self.shaped.glyphs:
            top, bottom = self.font.ink(g.id)
            above = max(above, top + g.y_offset)
            below = max(below, bottom - g.y_offset)
        return above, below


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
            runs = self._line_runs(start, end, hyphenated=self._hyphenated(end))
            runs, width = self._trim_brackets(runs, start, end)
            lines.append(SetLine(runs, width, self.first_baseline + number * self.line_height))
        return tuple(lines)

    def _hyphenated(self, end: int) -> bool:
        return end < len(self._segments) and self._segments[end - 1].hyphen

    @property
    def line_count(self) -> int:
        """How many lines, without placing their glyphs."""
        return len(self._breaks)

    @property
    def hyphens(self) -> int:
        """How many lines end in a hyphen."""
        return sum(self._hyphenated(end) for _, end in self._breaks)

    def _trim_brackets(
        self, runs: tuple[SetRun, ...], start: int, end: int
    ) -> tuple[tuple[SetRun, ...], float]:
        """A line that starts with an opening bracket (「) starts at the bracket's ink, and one
        that ends with a closing bracket (」) ends at its ink: the blank half of the
        full-width bracket (JIS X 4051, JLReq) is trimmed. Left-to-right text only."""
        width = max((run.x + run.width for run in runs), default=0.0)
        if self.direction == "rtl" or not runs:
            return runs, width
        visual = sorted(runs, key=lambda run: run.x)
        first, last = visual[0], visual[-1]
        if self._segments[start].text[:1] in OPENING_BRACKETS and first.glyphs:
            lead = max(0, first.font.side_bearings(first.glyphs[0].id)[0]) * self._scale(first.font)
            runs = tuple(replace(run, x=round(run.x - lead, 3)) for run in runs)
            width -= lead
        if self._segments[end - 1].text[-1:] in CLOSING_BRACKETS and last.glyphs:
            width -= max(0, last.font.side_bearings(last.glyphs[-1].id)[1]) * self._scale(last.font)
        return runs, width

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
        run: _OpenRun | None = None
        for index in order:
            item = items[index]
            placed = _place(item.shaped, self._scale(item.font))
            width = item.width(self.size)
            if run and run.font is item.font and run.rtl == item.rtl and abs(previous - index) == 1:
                offset = run.width
                run.glyphs += [Glyph(gid, round(gx + offset, 3), gy) for gid, gx, gy in placed]
                run.text = item.text + run.text if item.rtl else run.text + item.text
                run.order = min(run.order, index)
                run.width = run.width + width
            else:
                if run:
                    runs.append(run.close())
                glyphs = [Glyph(gid, gx, gy) for gid, gx, gy in placed]
                run = _OpenRun(item.font, item.text, glyphs, x, width, item.rtl, index)
            x += width
            previous = index
        if run:
            runs.append(run.close())
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
    bind_short: bool = False,
) -> SetParagraph | ParagraphOverflow:
    shaper = Shaper(fonts, lang, direction)
    space, hyphen = shaper.shape(" "), shaper.shape(HYPHEN)

    def pt(items: tuple[Item, ...]) -> float:
        return sum([item.width(size) for item in items])

    hyphen_width = pt(hyphen)

    def attempt(
        rules: Hyphenation | None,
    ) -> tuple[
        tuple[Segment, ...], tuple[tuple[Item, ...], ...], list[Piece], list[tuple[int, int]] | Overflow
    ]:
        segs, shaped = _shaped_segments(shaper, text, rules)
        while True:
            pieces = [
                Piece(
                    pt(sh),
                    seg.space_after,
                    hyphen_width if seg.hyphen else 0.0,
                    seg.penalty,
                    seg.short,
                    len(seg.text),
                )
                for seg, sh in zip(segs, shaped, strict=True)
            ]
            breaks = break_lines(pieces, pt(space), width, balance, bind_short)
            # A CJK phrase wider than the line is split between its characters, and only it.
            if not isinstance(breaks, Overflow) or not segs[breaks.piece].phrase:
                return segs, shaped, pieces, breaks
            k = breaks.piece
            segs = (*segs[:k], *split_phrase(segs[k]), *segs[k + 1 :])
            shaped = tuple(shaper.shape(s.text) for s in segs)

    # Hyphenation is a last resort: only where a word would not fit at all, or where it
    # saves a line. Most paragraphs never load the patterns.
    segs, shaped, pieces, breaks = attempt(None)
    if hyphenation and (
        isinstance(breaks, Overflow)
        or _hyphens_could_save_a_line(segs, pieces, breaks, pt(space), width, hyphenation)
    ):
        hyphenated = attempt(hyphenation)
        if not isinstance(hyphenated[3], Overflow) and (
            isinstance(breaks, Overflow) or len(hyphenated[3]) < len(breaks)
        ):
            segs, shaped, pieces, breaks = hyphenated
        elif isinstance(breaks, Overflow):
            segs, shaped, pieces, breaks = hyphenated
    if isinstance(breaks, Overflow):
        return ParagraphOverflow(segs[breaks.piece].text, breaks.excess)
    primary = fonts[0]
    scale = size / primary.units_per_em
    inks = [_ink(shaped, line, size) for line in breaks]
    line_height = size * leading
    # CSS-like line boxes: the primary font's ascent+descent centred in the line height.
    # Where the leading is tight (or the font's extent generous, as Arabic fonts' is), the
    # ink of the first and last lines still decides: nothing set here leaves its box.
    half_leading = (line_height - (primary.ascender + primary.descender) * scale) / 2
    css_baseline = half_leading + primary.ascender * scale
    first_ink, last_ink = inks[0][0], inks[-1][1]
    first_baseline = max(css_baseline, first_ink)
    below_last = max(line_height - css_baseline, last_ink)
    paragraph = SetParagraph(
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
    # The leading, but never so tight that one line's ink runs into the next's (Arabic dots
    # below a line over tall letters of the next). Checked where the lines' ink boxes
    # overlap at all, then glyph column by glyph column.
    boxes = max((below + above for (_, below), (above, _) in zip(inks, inks[1:], strict=False)), default=0.0)
    if boxes <= line_height + 1e-6:
        return paragraph
    clash = _ink_clash(paragraph)
    if clash <= line_height + 1e-6:  # ink may touch (as a designer's tight leading wants), not cross
        return paragraph
    needed = clash + INK_CLEARANCE * size
    return replace(
        paragraph, line_height=needed, height=paragraph.height + (len(breaks) - 1) * (needed - line_height)
    )


def _hyphens_could_save_a_line(
    segs: tuple[Segment, ...],
    pieces: list[Piece],
    breaks: list[tuple[int, int]],
    space: float,
    width: float,
    rules: Hyphenation,
) -> bool:
    """Whether some line has room for the first syllable of the word that starts the next
    one: otherwise hyphenating cannot save a line, and the patterns need not be loaded."""
    for (start, end), (following, _) in zip(breaks, breaks[1:], strict=False):
        filled = sum(p.width for p in pieces[start:end]) + space * sum(
            p.space_after for p in pieces[start : end - 1]
        )
        word = segs[following].text
        if len(word) < rules.min_word:
            continue
        syllable = pieces[following].width * rules.min_before / len(word)
        if width - filled - space >= syllable:
            return True
    return False


def _ink_clash(paragraph: SetParagraph) -> float:
    """The least baseline distance at which no glyph's ink touches ink on the next line,
    comparing glyphs that overlap horizontally (in bins of a tenth of an em)."""
    bin_width = paragraph.size / 10
    profiles = []
    for line in paragraph.lines:
        above: dict[int, float] = {}
        below: dict[int, float] = {}
        for run in line.runs:
            k = paragraph.size / run.font.units_per_em
            for g in run.glyphs:
                top, bottom = run.font.ink(g.id)
                left, right = run.font.side_bearings(g.id)
                advance = run.font.hb_font.get_glyph_h_advance(g.id)
                x0, x1 = run.x + g.x + left * k, run.x + g.x + (advance - right) * k
                for b in range(int(x0 // bin_width), int(x1 // bin_width) + 1):
                    above[b] = max(above.get(b, 0.0), top * k - g.y)
                    below[b] = max(below.get(b, 0.0), bottom * k + g.y)
        profiles.append((above, below))
    clash = 0.0
    for (_, below), (above, _) in zip(profiles, profiles[1:], strict=False):
        for b, depth in below.items():
            clash = max(clash, depth + max(above.get(b - 1, 0.0), above.get(b, 0.0), above.get(b + 1, 0.0)))
    return clash


def _ink(shaped: tuple[tuple[Item, ...], ...], line: tuple[int, int], size: float) -> tuple[float, float]:
    """How far the ink of a line's glyphs reaches above and below its baseline, pt."""
    above = below = 0.0
    for item in (item for items in shaped[line[0] : line[1]] for item in items):
        k = size / item.font.units_per_em
        top, bottom = item.ink
        above = max(above, top * k)
        below = max(below, bottom * k)
    return above, below


def _place(shaped: Shaped, scale: float) -> list[tuple[int, float, float]]:
    """Glyph ids and positions from the item's start, pt (made into Glyphs once, where the
    item's run is known)."""
    placed = []
    pen = 0.0
    for g in shaped.glyphs:
        placed.append((g.id, round(pen + g.x_offset * scale, 3), round(-g.y_offset * scale, 3)))
        pen += g.x_advance * scale
    return placed
