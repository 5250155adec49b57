"""Diagnostics: what went wrong, where, and how to fix it — and how it is printed.

Every stage reports problems as `Diagnostic` values instead of raising ad hoc
exceptions, so the CLI can print all of them at once in one familiar format
(`file:line:col: error: key.path: message`) and choose the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class ExitCode:
    """Exit codes of the command-line tool (documented in the README)."""

    OK = 0
    RENDER_FAILED = 1  # the input is valid but cannot be rendered (e.g. text overflows)
    BAD_INPUT = 2  # a data, layout or font file, or a command-line option, is wrong


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem, phrased for the person who has to fix it."""

    message: str
    location: Location | None = None
    key_path: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR
    exit_code: int = ExitCode.BAD_INPUT
    code: str = ""  # a kind of problem a later stage treats differently ("contrast")

    def format(self) -> str:
        where = f"{printable(str(self.location))}: " if self.location else ""
        key = f"{printable(self.key_path)}: " if self.key_path else ""
        text = f"{where}{self.severity.value}: {key}{printable(self.message)}"
        if self.hint:
            text += f"\n  hint: {printable(self.hint)}"
        return text


MAX_SHOWN = 600  # characters of one part of a message: a 30 kB family name is cut


def printable(text: str, limit: int = MAX_SHOWN) -> str:
    """Text safe to print on a terminal: control characters (ESC, BEL, ...), line and
    paragraph separators and bidi overrides shown as escapes, so a data file cannot clear
    the screen, set the window title or reorder what the message says; cut to `limit`."""
    shown = "".join(_escape(ch) for ch in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def quoted(value: str, limit: int = 60) -> str:
    """A value from a file, quoted in a message, cut to a readable length."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    if ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff":
        return f"U+{code:04X}"
    return ch


@dataclass
class InfogenError(Exception):
    """Raised once a stage has collected problems it cannot render past."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.format())

    @property
    def exit_code(self) -> int:
        return max((d.exit_code for d in self.diagnostics), default=ExitCode.BAD_INPUT)

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class Collector:
    """Gathers diagnostics during a stage, so all of them are reported at once."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(
        self,
        message: str,
        location: Location | None = None,
        key_path: str = "",
        hint: str = "",
    ) -> None:
        self.diagnostics.append(Diagnostic(message, location, key_path, hint))

    def raise_if_errors(self) -> None:
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise InfogenError(errors)


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name most like a mistyped one, for a "did you mean" hint (difflib's
    ratio of 0.6 or more), or None. difflib is imported only when a mistake needs it."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1)
    return close[0] if close else None
