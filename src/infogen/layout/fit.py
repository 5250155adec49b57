"""Fitting a grid's panels: one text scale per panel (or one for all) and each row's height.

A grid is a vertical sequence of bands: fixed ones (group labels, gaps) and rows of
panels. A row is as tall as its tallest panel needs (`rows: content`, the leftover
height shared out evenly) or all rows are equal (`equal`). When the text does not
fit, its size shrinks in `fit.step` decrements down to `fit.min_size` — in `uniform`
mode by the same amount in every panel, so they stay alike; in `per-panel` mode each
panel by what it needs. Below the minimum the render fails, naming the panel, the
language and by how much it overflows. Nothing is ever clipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location, quoted
from ..model.regions import Grid, PanelDesign
from ..units import describe_pt
from .context import PAPER_HINT
from .panel import PanelSlot, PanelText, nominal_size, set_panel
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class Limit:
    """What stopped the text at a larger size: the panel that did not fit one step up,
    and in it the string that takes the most lines (the one to shorten first)."""

    panel: str  # theme id
    key: str  # the string's key path in the language file


@dataclass(frozen=True)
class Sizing:
    """The outcome of fitting: each slot's content, set at its scale, and each row's height."""

    texts: tuple[PanelText, ...]
    row_heights: tuple[float, ...]
    limit: Limit | None = None  # None: nothing shrank


@dataclass(frozen=True)
class FitProblem:
    """Where to point when the panels cannot fit: at the string to shorten, in the
    language file (`strings`: each string's place), with the grid's `fit.min_size` in the
    layout named in the hint."""

    location: Location | None
    key_path: str
    strings: Mapping[str, Location | None] = field(default_factory=dict)


def candidate_scales(grid: Grid, nominal: float) -> list[float]:
    """Scales to try, largest first: the nominal size down to the minimum, by `step`."""
    fit = grid.fit
    sizes: list[float] = []
    size: float = nominal
    while size > fit.min_size + 1e-9:
        sizes.append(size)
        size -= fit.step
    sizes.append(min(fit.min_size, nominal))
    return [s / nominal for s in sizes]


Probe = Callable[[float], tuple[bool, float | None]]  # scale -> (fits, how full: needed / room)


def first_fitting(scales: list[float], probe: Probe) -> int | None:
    """Index of the largest scale that fits (None: none does). Text that fits at one size
    fits at every smaller one (fewer or equal lines, each shorter), so any search that
    brackets the boundary finds the answer plain bisection finds; this one tries fewer
    sizes. The designed size first (most pages fit as designed: one try). Then each try
    goes where the fullness seen so far says the boundary is (fullness grows about as a
    power of the size: text takes area; padding and gaps that do not scale make it grow
    slower): the exponent is measured between two tries, or taken as 1.5 from one) — and
    the try next to it settles it. Wherever a guess lands, it is kept within the range
    from which bisection would still finish in time: never more tries than bisection's
    plus three, each size at most once."""
    n = len(scales)
    low, high = 0, n  # everything below `low` overflows; `high` fits (n: nothing does)
    budget = math.ceil(math.log2(n + 1)) + 3  # tries allowed: bisection's, and three
    fills: dict[int, float] = {}  # index -> fullness, where a try measured it
    index = 0
    while low < high:
        ok, full = probe(scales[index])
        budget -= 1
        if full is not None and math.isfinite(full) and full > 0:
            fills[index] = full
        measured = index in fills
        if ok:
            high = index
        else:
            low = index + 1
        if low >= high:
            break
        # Either outcome must leave at most 2 ** (budget - 1) candidates (low .. high).
        reach = 2 ** (budget - 1)
        safe_low, safe_high = max(low, high - reach), min(high - 1, low + reach - 1)
        # A try that measured nothing (a panel gave up at its row's height) taught the
        # guess nothing: bisect, or the same guess would step down one size at a time.
        guess = _predicted_boundary(scales, fills, low, high) if measured else None
        index = min(max(guess, safe_low), safe_high) if guess is not None else (safe_low + safe_high) // 2
    return low if low < n else None


def _predicted_boundary(scales: list[float], fills: dict[int, float], low: int, high: int) -> int | None:
    """The first index (largest scale) whose fullness the tries so far put at 1 or below:
    fullness ~ scale ** k, k from the two tries nearest the boundary (or 1.5)."""
    below = sorted(i for i in fills if i < low)  # overflowed, the nearest last
    above = sorted(i for i in fills if i >= high)  # fitted, the nearest first
    # The tries on either side of the boundary, else the two nearest on the one side.
    near = below[-1:] + above[:1] if below and above else below[-2:] or above[:2]
    if not near:
        return None
    exponent = 1.5
    if len(near) == 2:
        (a, b) = near
        ratio = math.log(scales[a] / scales[b]) if scales[a] != scales[b] else 0.0
        quotient = fills[a] / fills[b]  # both finite and above 0, but may underflow
        measured = math.log(quotient) / ratio if ratio and quotient > 0 and math.isfinite(quotient) else 0.0
        if 0.5 <= measured <= 4.0:  # else the step between two line counts: not a trend
            exponent = measured
    anchor = min(near, key=lambda i: abs(math.log(fills[i])))  # the try nearest to full
    try:
        boundary = scales[anchor] * fills[anchor] ** (-1 / exponent)
    except OverflowError:  # a fullness too far from 1 to say where: bisect
        return None
    return next((i for i in range(low, high) if scales[i] <= boundary + 1e-12), high - 1)


def size_panels(
    ts: Typesetter,
    grid: Grid,
    design: PanelDesign,
    slots: Sequence[PanelSlot],
    rows: int,
    available: float,
    problem: FitProblem,
) -> Sizing:
    """Choose every panel's text scale and every row's height, or fail clearly."""
    nominal = nominal_size(design, ts)
    scales = candidate_scales(grid, nominal)
    per_panel = grid.fit.mode == "per-panel"
    content_rows = grid.rows == "content" and not per_panel

    def needs(scale: float, members: Sequence[PanelSlot], limit: float) -> list[float] | None:
        try:
            return [set_panel(ts, design, slot, scale, limit).height for slot in members]
        except Overflowing:
            return None

    def set_all(members: Sequence[PanelSlot]) -> Callable[[float], list[PanelText]]:
        return lambda scale: [set_panel(ts, design, slot, scale) for slot in members]

    def failure(members: Sequence[PanelSlot], row_height: float | None) -> InfogenError:
        return _failure(ts, grid, design, members, scales[-1], row_height, problem, available)

    if per_panel or not content_rows:
        row_height = available / rows
        chosen = []
        members_list = [[slot] for slot in slots] if per_panel else [list(slots)]
        smallest: tuple[int, list[PanelSlot]] | None = None
        for members in members_list:

            def probe(scale: float, members: list[PanelSlot] = members) -> tuple[bool, float | None]:
                heights = needs(scale, members, row_height)
                if heights is None:
                    return False, None
                fill = max(heights) / row_height if row_height > 0 else None
                return max(heights) <= row_height + 1e-6, fill

            def fits(scale: float, probe: Probe = probe) -> bool:
                return probe(scale)[0]

            index = first_fitting(scales, probe)
            if index is None:
                raise failure(members, row_height)
            if index and (smallest is None or index > smallest[0]):
                smallest = (index, members)
            chosen += unhyphenated(grid, scales, index, fits, set_all(members), nominal)
        limit = None
        if smallest is not None:
            limit = limit_of(ts, design, smallest[1], scales[smallest[0] - 1], row_height)
        return Sizing(tuple(chosen), (row_height,) * rows, limit)

    def tallest_per_row(heights: Sequence[float]) -> list[float]:
        return [
            max((h for h, s in zip(heights, slots, strict=True) if s.row == r), default=0.0)
            for r in range(rows)
        ]

    def probe_all(scale: float) -> tuple[bool, float | None]:
        heights = needs(scale, slots, available)
        if heights is None:
            return False, None
        needed = sum(tallest_per_row(heights))
        return needed <= available + 1e-6, needed / available if available > 0 else None

    def fits_all(scale: float) -> bool:
        return probe_all(scale)[0]

    index = first_fitting(scales, probe_all)
    if index is None:
        raise failure(slots, None)
    texts = tuple(unhyphenated(grid, scales, index, fits_all, set_all(slots), nominal))
    tallest = tallest_per_row([t.height for t in texts])
    spare = (available - sum(tallest)) / rows  # shared out evenly
    limit = limit_of(ts, design, slots, scales[index - 1], None) if index else None
    return Sizing(texts, tuple(t + spare for t in tallest), limit)


def limit_of(
    ts: Typesetter, design: PanelDesign, slots: Sequence[PanelSlot], scale: float, row_height: float | None
) -> Limit:
    """Which panel kept the text from the next larger size, `scale`: one whose text
    overflows at it, else the fullest for its row (`row_height`), else — rows sized by
    their content — the tallest; and the string of it that takes the most lines."""
    measured: list[tuple[float, PanelSlot, PanelText]] = []
    for slot in slots:
        try:
            text = set_panel(ts, design, slot, scale)
        except Overflowing as exc:
            return Limit(slot.theme.id, exc.key)
        measured.append((text.height / row_height if row_height else text.height, slot, text))
    _, slot, text = max(measured, key=lambda m: m[0])
    return Limit(slot.theme.id, longest_string(slot, text))


def longest_string(slot: PanelSlot, text: PanelText) -> str:
    """The key of the panel's string that takes the most lines (the tallest, of those)."""
    key = f"themes.{slot.theme.id}"
    candidates = [(text.title, f"{key}.title")] if text.title else []
    candidates += [(p, f"{key}.bullets[{i}]") for i, (p, _) in enumerate(text.bullets)]
    if not candidates:
        return key
    return max(candidates, key=lambda c: (c[0].line_count, c[0].height))[1]


def unhyphenated(
    grid: Grid,
    scales: list[float],
    index: int,
    fits: Callable[[float], bool],
    set_all: Callable[[float], list[PanelText]],
    nominal: float,
) -> list[PanelText]:
    """The panels set at the largest fitting scale — or, where that hyphenates a word, at a
    slightly smaller one that fits without any hyphen, within `fit.unhyphenated_within`."""
    texts = set_all(scales[index])
    if not any(t.hyphens for t in texts):
        return texts
    for scale in scales[index + 1 :]:
        if (scales[index] - scale) * nominal > grid.fit.unhyphenated_within + 1e-9:
            break
        if fits(scale):
            candidate = set_all(scale)
            if not any(t.hyphens for t in candidate):
                return candidate
    return texts


def _failure(
    ts: Typesetter,
    grid: Grid,
    design: PanelDesign,
    slots: Sequence[PanelSlot],
    scale: float,
    row_height: float | None,
    problem: FitProblem,
    available: float,
) -> InfogenError:
    """Why the panels do not fit even at the minimum size, panel by panel where possible."""
    problems: list[tuple[PanelSlot, Overflowing]] = []
    heights: dict[int, float] = {}
    longest: dict[str, str] = {}  # theme id: its string that takes the most lines
    for i, slot in enumerate(slots):
        try:
            text = set_panel(ts, design, slot, scale)
            heights[i] = text.height
            longest[slot.theme.id] = longest_string(slot, text)
        except Overflowing as exc:
            problems.append((slot, exc))
    if not problems and row_height is not None:
        problems = [
            (slot, Overflowing("the text is too tall for the panel", heights[i] - row_height))
            for i, slot in enumerate(slots)
            if heights[i] > row_height + 1e-6
        ]
    if not problems:  # rows sized by content: the rows together are too tall
        rows = max(s.row for s in slots) + 1
        tallest = [max(heights[i] for i, s in enumerate(slots) if s.row == r) for r in range(rows)]
        worst = max(range(len(slots)), key=lambda i: heights[i])
        excess = sum(tallest) - available
        problems = [
            (
                slots[worst],
                Overflowing(
                    f"the rows of panels need {describe_pt(sum(tallest))}, more than the grid's "
                    f"{describe_pt(available)} of the page,",
                    excess,
                ),
            )
        ]
    if len(slots) > 2 and len(problems) == len(slots) and row_height is not None:
        # Not one panel's text: the grid has too little room, one message for all of them.
        least = min(exc.excess for _, exc in problems)
        return InfogenError(
            [
                Diagnostic(
                    f"none of the {len(slots)} panels fits in language '{ts.lang}', even at the "
                    f"minimum size {grid.fit.min_size:g}pt: each row has {describe_pt(row_height)} "
                    f"of the grid's {describe_pt(available)}, and every panel needs at least "
                    f"{describe_pt(least)} more",
                    problem.location,
                    problem.key_path,
                    "the regions around the grid take most of the page: shorten a long heading or "
                    "intro, make them smaller, give the page more room, or lower fit.min_size; " + PAPER_HINT,
                    exit_code=ExitCode.RENDER_FAILED,
                )
            ]
        )
    return InfogenError(
        [
            _fit_failure(slot, exc, ts.lang, grid, problem, longest.get(slot.theme.id))
            for slot, exc in problems
        ]
    )


def _fit_failure(
    slot: PanelSlot, exc: Overflowing, lang: str, grid: Grid, problem: FitProblem, longest: str | None
) -> Diagnostic:
    """Pointed at the string to shorten (the one that overflows, else the panel's longest),
    with the layout key that would give it room in the hint."""
    key = exc.key if exc.key in problem.strings else longest
    where = problem.strings.get(key) if key else None
    return Diagnostic(
        f"panel '{slot.theme.id}' (\"{quoted(slot.theme.title)}\") does not fit in language '{lang}': "
        f"{exc.what} by {describe_pt(exc.excess)} even at the minimum size "
        f"{grid.fit.min_size:g}pt",
        where or problem.location,
        key if where and key else problem.key_path,
        ("shorten this string (the panel's longest), " if where else "shorten the text, ")
        + "make the panels larger (smaller gaps or padding), or lower "
        + f"{problem.key_path} (at {problem.location or 'the layout'}); a long heading or intro "
        + "also takes the grid's room; "
        + PAPER_HINT,
        exit_code=ExitCode.RENDER_FAILED,
    )
