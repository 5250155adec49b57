"""Hyphenation patterns read quickly, held compactly and parsed on first use: pyphen's
dictionaries, their patterns indexed by shape.

pyphen parses every pattern of a dictionary when it opens it — 0.8 s for German's
78,000, in pure Python, once per process — although a page's few hundred words look up
a small fraction of them. A plain pattern's parse (the digits between its letters, zeros
trimmed) depends only on its shape: where its digits stand among its letters, not which
letters they are; German's patterns have ~5,600 shapes. So opening a dictionary finds
each line's letters (every digit deleted) and its shape (every letter made an "a") in a
few C calls over the whole text, and indexes letters -> shape, one shared string per
shape (~6 MiB for German, where a line of text per pattern took 12); a shape is parsed the
first time a word looks up a pattern of that shape, by the same code as pyphen's. The
breaks are exactly pyphen's (tests compare the index with pyphen's for every dictionary,
and the breaks word by word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyphen

from .memo import also_clear

_DIGITS = str.maketrans("", "", "0123456789")

# Each UTF-8 character to one byte: its first byte (ASCII, or a lead byte) to "a", digits
# and newlines kept; continuation bytes (0x80-0xBF) deleted.
_SHAPE = bytes(b if b in b"0123456789\n" else ord("a") for b in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))

Parsed = tuple[int, tuple[Any, ...]]  # pyphen's: the offset of the first value, the values


class LazyPatterns:
    """The `patterns` mapping pyphen's `HyphDict.positions` reads: letters -> (offset,
    values), from the pattern's shape, parsed on first `get` (or, for the few special
    lines, parsed already)."""

    def __init__(self, index: dict[str, str | Parsed]) -> None:
        self._index = index
        self._shapes: dict[str, Parsed | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        found = self._index.get(key)
        if found is None:
            return default
        if isinstance(found, str):
            parsed = self._shapes.get(found)
            if parsed is None:
                parsed = self._shapes[found] = _parse(found)
            return parsed
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)


def _parse(pattern: str) -> Parsed | None:
    """One pattern as pyphen's HyphDict parses it (its loop body), or None if all zeros."""
    if "/" in pattern and "=" in pattern:
        pattern, alternative = pattern.split("/", 1)
        factory: Any = pyphen.AlternativeParser(pattern, alternative)
    else:
        factory = int
    tags, values = zip(*[(string, factory(i or "0")) for i, string in pyphen.parse(pattern)], strict=True)
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


class LazyHyphDict(pyphen.HyphDict):
    """pyphen's HyphDict, its patterns indexed by shape at once and parsed on demand."""

    def __init__(self, path: Path) -> None:  # deliberately not calling pyphen's parse-all
        with path.open("rb") as fd:
            encoding = fd.readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        index = index_patterns(path.read_text(encoding))
        self.patterns = LazyPatterns(index)
        self.cache: dict[str, Any] = {}
        self.maxlen = max(map(len, index))


# What makes a line more than a plain pattern: blank space, a ^^hh code, an alternative
# (nonstandard hyphenation, "/" ... "="), a comment or a setting at its start. Rare: each
# is searched for in the whole text, and only the lines found are read one by one.
_BLANK = re.compile(r"[^\S\n]")
_MARKS = ("/", "^^", *("\n" + prefix for prefix in pyphen.ignored))


def _special_lines(body: str) -> dict[int, str]:
    """The special lines by their number (from 0), read from the whole text in one pass."""
    starts = [m.start() for m in _BLANK.finditer(body)]
    for mark in _MARKS:
        at = body.find(mark)
        while at >= 0:
            starts.append(at + 1 if mark.startswith("\n") else at)
            at = body.find(mark, at + 1)
    if body.startswith(pyphen.ignored):
        starts.append(0)
    found: dict[int, str] = {}
    line = counted = 0
    for at in sorted(set(starts)):
        line += body.count("\n", counted, at)
        counted = at
        end = body.find("\n", at)
        found[line] = body[body.rfind("\n", 0, at) + 1 : end if end >= 0 else len(body)]
    return found


def index_patterns(text: str) -> dict[str, str | Parsed]:
    """A dictionary file's patterns (the first line, its encoding, left out) by their
    letters, as pyphen's HyphDict.patterns has them once parsed: letters -> the shape
    of the last pattern with those letters that is not all zeros (a special line's:
    parsed already). The letters and shapes of the plain lines are found in a few C
    calls over the whole text; only the few special lines are read as pyphen reads them."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    # Digits are ASCII: deleted from the UTF-8 bytes (str.translate is ~25x slower); "\n" is
    # kept, so the letters and the shapes come out line by line.
    encoded = body.encode()
    letters = encoded.translate(None, b"0123456789").decode().split("\n")
    shapes = encoded.translate(_SHAPE, _CONTINUATION).decode("ascii").split("\n")
    special = _special_lines(body)
    for number in special:  # read below, one by one
        shapes[number] = ""
    # One string kept per shape (not one per line), the shapes of all zeros left out: the
    # plain lines are indexed by one comprehension, a later line with the same letters
    # replacing an earlier one, as pyphen's loop does.
    kept = {shape: shape for shape in set(shapes) if shape.strip("a0")}
    index: dict[str, str | Parsed] = {
        key: shape for key, shape in zip(letters, map(kept.get, shapes), strict=True) if shape
    }
    for number, line in special.items():  # in the file's order
        pattern = line.strip()
        if not pattern or pattern.startswith(pyphen.ignored):
            continue
        if "^^" in pattern:  # ^^hh: a character given by its code
            pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
        key = (pattern.split("/", 1)[0] if "/" in pattern and "=" in pattern else pattern).translate(_DIGITS)
        parsed = _parse(pattern)
        if parsed is None:
            continue
        plain = index.get(key)
        if isinstance(plain, str) and _last_line(letters, shapes, kept, key) > number:
            continue  # a plain line with the same letters comes later: it stands
        index[key] = parsed
    return index


def _last_line(letters: list[str], shapes: list[str], kept: dict[str, str], key: str) -> int:
    """The number of the last plain, not all-zero line with these letters (-1 if none)."""
    last, at = -1, -1
    while True:
        try:
            at = letters.index(key, at + 1)
        except ValueError:
            return last
        if shapes[at] in kept:
            last = at


also_clear(pyphen.hdcache.clear)  # where pyphen keeps the dictionaries opened below


def dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen | None:
    """A Pyphen for the language (None without patterns), its patterns read lazily."""
    code = pyphen.language_fallback(lang.replace("-", "_"))
    if not code:
        return None
    path = pyphen.LANGUAGES[code]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = LazyHyphDict(Path(path))
    return pyphen.Pyphen(lang=code, left=left, right=right)
