"""Choosing line breaks: fewest lines first, then the most even right edge, as a typographer would.

A pure algorithm over measured pieces (no fonts), so it is tested with plain numbers.
It is an optimal-fit breaker in the spirit of Knuth–Plass, for ragged-right text.
Breakings are compared by, in order:
1. hard rules broken: two hyphenated lines in a row (only when nothing else fits);
2. the number of lines;
3. cost: the sum of squared slack over all lines but the last (all lines, balanced),
   plus penalties — a lone last word, a hyphen on the last full line, a short word
   (`et`, `en`, `und`) ending a line of a style that binds short words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ORPHAN_PENALTY = 1e6  # a lone last word is worse than any raggedness
LAST_LINE_HYPHEN_PENALTY = 1e4  # a hyphen just before the last line, when it can be avoided
SHORT_WORD_PENALTY = 1e3  # "… et | …" at a line end, where another breaking exists


@dataclass(slots=True)  # not frozen: made for every segment at every size tried, and a
class Piece:  # frozen dataclass's __init__ costs twice as much
    """An unbreakable run of text and what may follow it."""

    width: float
    space_after: bool  # a (stretch-less) space follows; False inside a word, e.g. after "Cross-"
    break_extra: float = 0.0  # width added when a line ends here (a hyphen)
    penalty: float = 0.0  # cost of ending a line here (hyphenation), like squared slack
    short_word: bool = False  # a word of three letters or fewer, followed by a space
    length: int = 1  # characters: a CJK last line of one or two characters is a lone one

    @property
    def hyphen(self) -> bool:
        """Whether a line ending here shows a hyphen."""
        return self.break_extra > 0


@dataclass(frozen=True)
class Overflow:
    """No breaking fits: the widest unbreakable piece exceeds the line by `excess`."""

    piece: int
    excess: float


Score = tuple[int, int, float]  # (hard rules broken, lines, cost)


def break_lines(
    pieces: Sequence[Piece], space: float, width: float, balance: bool = False, bind_short: bool = False
) -> list[tuple[int, int]] | Overflow:
    """Return the lines as (start, end) piece ranges, or the Overflow that prevents any.

    With `balance`, the last line's slack counts too, so all lines come out about
    the same length (as headings are set) instead of full lines and a short last one.
    With `bind_short`, a short word ends a line only when no other breaking of as
    many lines exists.
    """
    n = len(pieces)
    if n == 0:
        return []
    widest = max(range(n), key=lambda i: pieces[i].width)
    if pieces[widest].width > width + 1e-9 or width <= 0:
        return Overflow(widest, pieces[widest].width - width)
    # The inner loop runs for every (start, end) pair of every size the fit search tries:
    # the pieces' fields are read into lists once and a full line's cost is inlined. A line
    # ending at i shows a hyphen or not by the piece before i alone, so one best score per
    # position is the whole state (hyphenated[i] says which of the two it is).
    widths = [p.width for p in pieces]
    spaced = [p.space_after for p in pieces]
    extras = [p.break_extra for p in pieces]
    penalties = [p.penalty for p in pieces]
    shorts = [SHORT_WORD_PENALTY if bind_short and p.short_word else 0.0 for p in pieces]
    hyphenated = [False] + [p.hyphen for p in pieces[:-1]] + [False]
    lengths = [p.length for p in pieces]
    words = any(spaced)  # words between spaces (else CJK): what makes a last line lone
    limit = width + 1e-9
    best: list[Score | None] = [None] * (n + 1)
    best[0] = (0, 0, 0.0)
    prev = [0] * (n + 1)
    for end in range(1, n + 1):
        is_last = end == n
        hyphen_here = hyphenated[end]
        extra_here = extras[end - 1]
        w = 0.0
        lone, chars = True, 0  # the last line: one word (or, in CJK, at most two characters)
        for start in range(end - 1, -1, -1):
            # The line grows leftwards: add the piece and, if a space follows it, the space.
            w += widths[start] + (space if start < end - 1 and spaced[start] else 0.0)
            if w > limit:
                break
            if is_last:
                if words:
                    lone = lone and not (start < end - 1 and spaced[start])
                else:
                    chars += lengths[start]
                    lone = chars <= 2
            before = best[start]
            if before is None:
                continue
            if is_last:
                slack = (width - w) / width
                orphan = ORPHAN_PENALTY if lone and start > 0 else 0.0
                cost = orphan + (slack * slack if balance else 0.0)
                if hyphenated[start]:
                    cost += LAST_LINE_HYPHEN_PENALTY
            elif w + extra_here > limit:
                continue  # the hyphen this break would add does not fit
            else:
                slack = (width - w - extra_here) / width
                cost = slack * slack + penalties[end - 1] + shorts[end - 1]
            hard, lines, total = before
            candidate = (hard + (hyphenated[start] and hyphen_here), lines + 1, total + cost)
            current = best[end]
            if current is None or candidate < current:
                best[end] = candidate
                prev[end] = start
    if best[n] is None:  # a piece fits, but not with the hyphen a break after it shows
        worst = max(range(n), key=lambda i: pieces[i].width + pieces[i].break_extra)
        return Overflow(worst, pieces[worst].width + pieces[worst].break_extra - width)
    result = []
    end = n
    while end > 0:
        result.append((prev[end], end))
        end = prev[end]
    return result[::-1]
