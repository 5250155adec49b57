"""A strict reader of SVG path data, for icons: every command known, every command given
the numbers it takes, every number finite and of a sensible size — checked when the icons
are loaded, so a bad path is an error naming the icon, not a blank or a crash at export."""

from __future__ import annotations

import math
import re

ARGUMENTS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}
MAX_COORDINATE = 10_000.0  # icon units; an icon grid is a few dozen wide
_TOKEN = re.compile(r"\s*(?:([A-Za-z])|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))\s*,?")


def path_problem(d: str) -> str | None:
    """What is wrong with path data `d`, or None when it is well formed."""
    tokens: list[str | float] = []
    position = 0
    while position < len(d):
        match = _TOKEN.match(d, position)
        if not match or match.end() == position:
            if d[position:].strip() == "":
                break
            return f"unexpected {d[position : position + 12]!r} at character {position + 1}"
        command, number = match.groups()
        if command is not None:
            if command.upper() not in ARGUMENTS:
                return f"unknown command '{command}' at character {position + 1}"
            tokens.append(command)
        else:
            value = float(number)
            if not math.isfinite(value) or abs(value) > MAX_COORDINATE:
                return f"the number {number[:20]} is out of range (at most {MAX_COORDINATE:g} in size)"
            tokens.append(value)
        position = match.end()
    if not tokens:
        return "the path is empty"
    if not isinstance(tokens[0], str) or tokens[0].upper() != "M":
        return "a path starts with a move (M)"
    index = 0
    while index < len(tokens):
        command = tokens[index]
        assert isinstance(command, str)
        index += 1
        numbers = 0
        while index < len(tokens) and not isinstance(tokens[index], str):
            numbers += 1
            index += 1
        count = ARGUMENTS[command.upper()]
        if count == 0 and numbers:
            return f"'{command}' takes no numbers, got {numbers}"
        if count and (numbers == 0 or numbers % count):
            return f"'{command}' takes {count} numbers (or a multiple), got {numbers}"
    return None
