"""Diagnostics: what went wrong, where, and how to fix it — and how it is printed.

Every stage reports problems as `Diagnostic` values instead of raising ad hoc
exceptions, so the CLI can print all of them at once in one familiar format
(`file:line:col: error: key.path: message`) and choose the exit code.
"""

from __future__ import annotations

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

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        key = f"{self.key_path}: " if self.key_path else ""
        text = f"{where}{self.severity.value}: {key}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


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
