"""Choosing line breaks: fewest lines first, then the most even right edge, never an orphan.

A pure algorithm over measured pieces (no fonts), so it is tested with plain numbers.
It is an optimal-fit breaker in the spirit of Knuth–Plass, for ragged-right text:
among the breakings with the fewest lines it picks the one with the smallest sum of
squared slack over all lines but the last, and it rejects a last line made of a
single word whenever another breaking with the same number of lines exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ORPHAN_PENALTY = 1e6  # a lone last word is worse than any raggedness


@dataclass(frozen=True)
class Piece:
    """An unbreakable run of text and what may follow it."""

    width: float
    space_after: bool  # a (stretch-less) space follows; False inside a word, e.g. after "Cross-"
    break_extra: float = 0.0  # width added when a line ends here (a hyphen)
    penalty: float = 0.0  # cost of ending a line here (hyphenation), like squared slack


@dataclass(frozen=True)
class Overflow:
    """No breaking fits: the widest unbreakable piece exceeds the line by `excess`."""

    piece: int
    excess: float


def break_lines(
    pieces: Sequence[Piece], space: float, width: float, balance: bool = False
) -> list[tuple[int, int]] | Overflow:
    """Return the lines as (start, end) piece ranges, or the Overflow that prevents any.

    With `balance`, the last line's slack counts too, so all lines come out about
    the same length (as headings are set) instead of full lines and a short last one.
    """
    n = len(pieces)
    if n == 0:
        return []
    widest = max(range(n), key=lambda i: pieces[i].width)
    if pieces[widest].width > width + 1e-9 or width <= 0:
        return Overflow(widest, pieces[widest].width - width)
    inf = (float("inf"), float("inf"))
    # best[j] = (lines, cost) of the best breaking of pieces[:j]; prev[j] = start of its last line
    best: list[tuple[float, float]] = [(0, 0.0)] + [inf] * n
    prev = [0] * (n + 1)
    for end in range(1, n + 1):
        w = 0.0
        for start in range(end - 1, -1, -1):
            # The line grows leftwards: add the piece and, if a space follows it, the space.
            w += pieces[start].width + (space if start < end - 1 and pieces[start].space_after else 0.0)
            if w > width + 1e-9:
                break
            if end < n and w + pieces[end - 1].break_extra > width + 1e-9:
                continue  # the hyphen this break would add does not fit
            if best[start] == inf:
                continue
            lines, cost = best[start]
            cost += _line_cost(pieces, start, end, w, width, end == n, start == 0, balance)
            candidate = (lines + 1, cost)
            if candidate < best[end]:
                best[end] = candidate
                prev[end] = start
    result = []
    end = n
    while end > 0:
        result.append((prev[end], end))
        end = prev[end]
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
) -> float:
    if is_last:
        slack = (width - w) / width
        if any(p.space_after for p in pieces):  # words between spaces: a lone last word
            orphan_line = all(not p.space_after for p in pieces[start : end - 1])
        else:  # CJK, no spaces: a last line of one or two characters
            orphan_line = end - start <= 2
        orphan = ORPHAN_PENALTY if orphan_line and not is_first else 0.0
        return orphan + (slack * slack if balance else 0.0)
    slack = (width - w - pieces[end - 1].break_extra) / width
    return slack * slack + pieces[end - 1].penalty
