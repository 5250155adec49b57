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


@dataclass(frozen=True)
class Piece:
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
State = tuple[int, bool]  # (pieces set, whether the line ending there is hyphenated)


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
    best: dict[State, Score] = {(0, False): (0, 0, 0.0)}
    prev: dict[State, State] = {}
    for end in range(1, n + 1):
        hyphenated = end < n and pieces[end - 1].hyphen
        w = 0.0
        for start in range(end - 1, -1, -1):
            # The line grows leftwards: add the piece and, if a space follows it, the space.
            w += pieces[start].width + (space if start < end - 1 and pieces[start].space_after else 0.0)
            if w > width + 1e-9:
                break
            if end < n and w + pieces[end - 1].break_extra > width + 1e-9:
                continue  # the hyphen this break would add does not fit
            cost = _line_cost(pieces, start, end, w, width, end == n, start == 0, balance, bind_short)
            for after_hyphen in (False, True):
                before = best.get((start, after_hyphen))
                if before is None:
                    continue
                hard, lines, total = before
                extra = cost
                if end == n and after_hyphen:
                    extra += LAST_LINE_HYPHEN_PENALTY
                candidate = (hard + (after_hyphen and hyphenated), lines + 1, total + extra)
                here = (end, hyphenated)
                if here not in best or candidate < best[here]:
                    best[here] = candidate
                    prev[here] = (start, after_hyphen)
    state: State = (n, False)
    if state not in best:  # a piece fits, but not with the hyphen a break after it shows
        worst = max(range(n), key=lambda i: pieces[i].width + pieces[i].break_extra)
        return Overflow(worst, pieces[worst].width + pieces[worst].break_extra - width)
    result = []
    while state[0] > 0:
        previous = prev[state]
        result.append((previous[0], state[0]))
        state = previous
    return result[::-1]


def _line_cost(
    pieces: Sequence[Piece],
    start: int,
    end: int,
    w: float,
    width: float,
    is_last: bool,
    is_first: bool,
    balance: bool,
    bind_short: bool,
) -> float:
    if is_last:
        slack = (width - w) / width
        if any(p.space_after for p in pieces):  # words between spaces: a lone last word
            orphan_line = all(not p.space_after for p in pieces[start : end - 1])
        else:  # CJK, no spaces: a last line of one or two characters
            orphan_line = sum(p.length for p in pieces[start:end]) <= 2
        orphan = ORPHAN_PENALTY if orphan_line and not is_first else 0.0
        return orphan + (slack * slack if balance else 0.0)
    last = pieces[end - 1]
    slack = (width - w - last.break_extra) / width
    short = SHORT_WORD_PENALTY if bind_short and last.short_word else 0.0
    return slack * slack + last.penalty + short
