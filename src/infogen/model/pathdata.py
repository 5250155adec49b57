"""SVG path data, for icons: read strictly, into absolute moves, lines and cubic curves.

Every command known, every command given the numbers it takes, every number finite and
of a sensible size, arc flags 0 or 1 — checked when the icons are loaded (`path_problem`),
so a bad path is an error naming the icon, not a blank or a crash at export. Drawing
reads the same data with the same parser (`parse_path`), so what was checked is what is
drawn. Relative commands, H and V, the smooth curves S and T, quadratic curves and
elliptical arcs (SVG 1.1, implementation notes F.6) all become M, L, C and Z: the only
path commands the Scene has. (fontTools' svgLib parses paths too, but imports lxml to do
it: ~40 ms of a cold render, for a grammar this module already had to check.)"""

from __future__ import annotations

import math
import re
from functools import lru_cache

ARGUMENTS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}
MAX_COORDINATE = 10_000.0  # icon units; an icon grid is a few dozen wide
TINY = 1e-9  # icon units: an arc this short, or of a radius this small, is none
_FLAG = re.compile(r"\s*([01])\s*,?")
_TOKEN = re.compile(r"\s*(?:([A-Za-z])|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))\s*,?")

# One absolute segment: ("M", (x, y)), ("L", (x, y)), ("C", (x1, y1, x2, y2, x, y)), ("Z", ()).
Segment = tuple[str, tuple[float, ...]]


class PathDataError(ValueError):
    """What is wrong with a path's data, in words for the person who wrote it."""


def path_problem(d: str) -> str | None:
    """What is wrong with path data `d`, or None when it is well formed."""
    try:
        parse_path(d)
    except PathDataError as problem:
        return str(problem)
    return None


def _tokens(d: str) -> list[str | float]:
    tokens: list[str | float] = []
    position = 0
    arc_numbers = -1  # numbers read since the last A (its flags may be written without spaces)
    while position < len(d):
        if arc_numbers % 7 in (3, 4):  # an arc's large-arc or sweep flag: one digit, "0110"
            flag = _FLAG.match(d, position)
            if flag:
                tokens.append(float(flag.group(1)))
                arc_numbers += 1
                position = flag.end()
                continue
        match = _TOKEN.match(d, position)
        if not match or match.end() == position:
            if d[position:].strip() == "":
                break
            raise PathDataError(f"unexpected {d[position : position + 12]!r} at character {position + 1}")
        command, number = match.groups()
        if command is not None:
            if command.upper() not in ARGUMENTS:
                raise PathDataError(f"unknown command '{command}' at character {position + 1}")
            tokens.append(command)
            arc_numbers = 0 if command in "Aa" else -1
        else:
            if arc_numbers >= 0:
                arc_numbers += 1
            value = float(number)
            if not math.isfinite(value) or abs(value) > MAX_COORDINATE:
                raise PathDataError(
                    f"the number {number[:20]} is out of range (at most {MAX_COORDINATE:g} in size)"
                )
            tokens.append(value)
        position = match.end()
    if not tokens:
        raise PathDataError("the path is empty")
    if not isinstance(tokens[0], str) or tokens[0].upper() != "M":
        raise PathDataError("a path starts with a move (M)")
    return tokens


def _commands(d: str) -> list[tuple[str, list[float]]]:
    """The path's commands, each with one group of the numbers it takes (a command given
    several groups repeats; a move's further pairs are lines, as SVG says)."""
    tokens = _tokens(d)
    commands: list[tuple[str, list[float]]] = []
    index = 0
    while index < len(tokens):
        command = tokens[index]
        assert isinstance(command, str)
        index += 1
        start = index
        while index < len(tokens) and not isinstance(tokens[index], str):
            index += 1
        numbers = [float(n) for n in tokens[start:index]]
        count = ARGUMENTS[command.upper()]
        if count == 0:
            if numbers:
                raise PathDataError(f"'{command}' takes no numbers, got {len(numbers)}")
            commands.append((command, []))
            continue
        if not numbers or len(numbers) % count:
            raise PathDataError(f"'{command}' takes {count} numbers (or a multiple), got {len(numbers)}")
        for k in range(0, len(numbers), count):
            group = numbers[k : k + count]
            if command in "Aa" and (group[3] not in (0.0, 1.0) or group[4] not in (0.0, 1.0)):
                raise PathDataError(f"'{command}': the large-arc and sweep flags are 0 or 1")
            repeated = {"M": "L", "m": "l"}.get(command, command) if k else command
            commands.append((repeated, group))
    return commands


@lru_cache(maxsize=256)  # checked when the icons are loaded, drawn from the same parse
def parse_path(d: str) -> tuple[Segment, ...]:
    """Path data as absolute segments (see Segment); PathDataError says what is wrong."""
    out: list[Segment] = []
    x = y = 0.0  # the current point
    start = (0.0, 0.0)  # where the subpath began (Z returns there)
    control: tuple[float, float] | None = None  # the last curve's second control point
    previous = ""  # the last command, upper case: S and T reflect only after a curve like them
    open_subpath = False
    for command, n in _commands(d):
        kind = command.upper()
        dx, dy = (x, y) if command.islower() else (0.0, 0.0)
        if kind not in ("M", "Z") and not open_subpath:
            out.append(("M", start))  # drawing on after a Z starts a subpath where it began
        open_subpath = kind != "Z"
        if kind == "M":
            x, y = n[0] + dx, n[1] + dy
            start = (x, y)
            out.append(("M", (x, y)))
        elif kind == "Z":
            if out[-1][0] == "Z":
                continue  # a second Z closes nothing
            if (x, y) != start:  # the closing line drawn out, as fontTools' parser did
                out.append(("L", start))
            out.append(("Z", ()))
            x, y = start
        elif kind in "LHV":
            if kind == "H":
                x = n[0] + dx
            elif kind == "V":
                y = n[0] + dy
            else:
                x, y = n[0] + dx, n[1] + dy
            out.append(("L", (x, y)))
        elif kind in "CS":
            if kind == "C":
                c1 = (n[0] + dx, n[1] + dy)
                rest = n[2:]
            else:
                c1 = _reflect(control, x, y) if previous in ("C", "S") else (x, y)
                rest = n
            c2 = (rest[0] + dx, rest[1] + dy)
            end = (rest[2] + dx, rest[3] + dy)
            out.append(("C", (*c1, *c2, *end)))
            control, (x, y) = c2, end
        elif kind in "QT":
            if kind == "Q":
                q = (n[0] + dx, n[1] + dy)
                end = (n[2] + dx, n[3] + dy)
            else:
                q = _reflect(control, x, y) if previous in ("Q", "T") else (x, y)
                end = (n[0] + dx, n[1] + dy)
            # The cubic that is the quadratic: controls two thirds of the way to q.
            c1 = (x + 2 / 3 * (q[0] - x), y + 2 / 3 * (q[1] - y))
            c2 = (end[0] + 2 / 3 * (q[0] - end[0]), end[1] + 2 / 3 * (q[1] - end[1]))
            out.append(("C", (*c1, *c2, *end)))
            control, (x, y) = q, end
        else:  # A
            end = (n[5] + dx, n[6] + dy)
            out.extend(_arc(x, y, n[0], n[1], n[2], bool(n[3]), bool(n[4]), *end))
            x, y = end
        previous = kind if kind != "M" else ""
    return tuple(out)


def _reflect(point: tuple[float, float] | None, x: float, y: float) -> tuple[float, float]:
    assert point is not None
    return (2 * x - point[0], 2 * y - point[1])


def _arc(
    x1: float,
    y1: float,
    rx: float,
    ry: float,
    rotation: float,
    large: bool,
    sweep: bool,
    x2: float,
    y2: float,
) -> list[Segment]:
    """An elliptical arc as cubic curves of at most a quarter turn each (SVG 1.1, F.6.5:
    from the endpoints to the centre, radii too small for the endpoints scaled up)."""
    if math.hypot(x2 - x1, y2 - y1) < TINY:
        return []  # no arc at all
    rx, ry = abs(rx), abs(ry)
    if rx < TINY or ry < TINY:  # no radius: a line (tinier ones would overflow the maths)
        return [("L", (x2, y2))]
    phi = math.radians(rotation % 360)
    cos, sin = math.cos(phi), math.sin(phi)
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    px, py = cos * hx + sin * hy, -sin * hx + cos * hy
    scale = (px / rx) ** 2 + (py / ry) ** 2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx * rx * ry * ry - rx * rx * py * py - ry * ry * px * px
    denominator = rx * rx * py * py + ry * ry * px * px
    root = math.sqrt(max(0.0, numerator / denominator))
    if large == sweep:
        root = -root
    cxp, cyp = root * rx * py / ry, -root * ry * px / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2
    theta = math.atan2((py - cyp) / ry, (px - cxp) / rx)
    delta = math.atan2((-py - cyp) / ry, (-px - cxp) / rx) - theta
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    # Quarter turns, a milliradian's grace each (as fontTools): a half circle is two curves.
    count = max(1, math.ceil(abs(delta) / (math.pi / 2 + 0.001)))
    step = delta / count
    t = 4 / 3 * math.tan(step / 4)  # the control distance for a unit circle's arc of `step`

    def point(ux: float, uy: float) -> tuple[float, float]:
        return (cx + rx * cos * ux - ry * sin * uy, cy + rx * sin * ux + ry * cos * uy)

    curves: list[Segment] = []
    for k in range(count):
        a, b = theta + k * step, theta + (k + 1) * step
        c1 = point(math.cos(a) - t * math.sin(a), math.sin(a) + t * math.cos(a))
        c2 = point(math.cos(b) + t * math.sin(b), math.sin(b) - t * math.cos(b))
        end = (x2, y2) if k == count - 1 else point(math.cos(b), math.sin(b))
        curves.append(("C", (*c1, *c2, *end)))
    return curves
