"""Hyphenation patterns read lazily: pyphen's dictionaries, parsed pattern by pattern on
first use instead of all at once.

pyphen parses every pattern of a dictionary when it opens it — 0.8 s for German's, in
pure Python, once per process — although a page's few hundred words look up a small
fraction of them. Here opening a dictionary only indexes its lines by their letters (a
C-speed `str.translate` per line), and a pattern's digits are parsed the first time a
word looks it up; the breaks are exactly pyphen's (the same `positions` code runs on
the same patterns; tests compare them word by word).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyphen

_DIGITS = str.maketrans("", "", "0123456789")


class LazyPatterns:
    """The `patterns` mapping pyphen's `HyphDict.positions` reads: letters -> (offset,
    values), parsed from the pattern's line on first `get`."""

    def __init__(self, lines: dict[str, str | tuple[str, ...]]) -> None:
        self._lines = lines
        self._parsed: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        found = self._parsed.get(key, _UNPARSED)
        if found is _UNPARSED:
            # Of lines with the same letters, the last one not all zeros wins, as in pyphen.
            written = self._lines.get(key, ())
            parsed = [
                p for p in map(_parse, (written,) if isinstance(written, str) else written) if p is not None
            ]
            found = self._parsed[key] = parsed[-1] if parsed else None
        return found if found is not None else default


_UNPARSED = object()


def _parse(pattern: str) -> tuple[int, tuple[Any, ...]] | None:
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
    """pyphen's HyphDict, its patterns indexed at once and parsed on demand."""

    def __init__(self, path: Path) -> None:  # deliberately not calling pyphen's parse-all
        with path.open("rb") as fd:
            encoding = fd.readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        lines = index_patterns(path.read_text(encoding))
        self.patterns = LazyPatterns(lines)
        self.cache: dict[str, Any] = {}
        self.maxlen = max(len(key) for key in lines)


# What makes a line more than a plain pattern: blank space, a ^^hh code, an alternative
# (nonstandard hyphenation, "/" ... "="), a comment or a setting at its start. Rare: each
# is searched for in the whole text, and only the lines found are read one by one.
_BLANK = re.compile(r"[^\S\n]")
_MARKS = ("/", "^^", *("\n" + prefix for prefix in pyphen.ignored))


def _special_lines(body: str) -> set[str]:
    found = {""}
    starts = [m.start() for m in _BLANK.finditer(body)]
    for mark in _MARKS:
        at = body.find(mark)
        while at >= 0:
            starts.append(at + 1 if mark.startswith("\n") else at)
            at = body.find(mark, at + 1)
    if body.startswith(pyphen.ignored):
        starts.append(0)
    for at in starts:
        end = body.find("\n", at)
        found.add(body[body.rfind("\n", 0, at) + 1 : end if end >= 0 else len(body)])
    return found


def index_patterns(text: str) -> dict[str, str | tuple[str, ...]]:
    """A dictionary file's patterns (the first line, its encoding, left out) by their letters:
    letters -> the pattern's line, or a tuple of lines, in file order, for letters given more
    than once. German's 78,000 lines: the letters of the plain lines are found in two C
    calls (every digit deleted from the whole text at once), and only the few special
    lines are read as pyphen reads them."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    written = body.split("\n")
    # Digits are ASCII: deleted from the UTF-8 bytes (str.translate is ~25x slower); "\n" is
    # kept, so the letters come out line by line.
    letters = body.encode().translate(None, b"0123456789").decode().split("\n")
    special = _special_lines(body)
    lines: dict[str, str | tuple[str, ...]] = {}  # a tuple only for letters given twice
    get = lines.get
    for pattern, key in zip(written, letters, strict=True):
        if pattern in special:
            pattern = pattern.strip()
            if not pattern or pattern.startswith(pyphen.ignored):
                continue
            if "^^" in pattern:  # ^^hh: a character given by its code
                pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
            key = (pattern.split("/", 1)[0] if "/" in pattern and "=" in pattern else pattern).translate(
                _DIGITS
            )
        before = get(key)
        if before is None:
            lines[key] = pattern
        else:
            lines[key] = (*((before,) if isinstance(before, str) else before), pattern)
    return lines


def dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen | None:
    """A Pyphen for the language (None without patterns), its patterns read lazily."""
    code = pyphen.language_fallback(lang.replace("-", "_"))
    if not code:
        return None
    path = pyphen.LANGUAGES[code]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = LazyHyphDict(Path(path))
    return pyphen.Pyphen(lang=code, left=left, right=right)
