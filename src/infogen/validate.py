"""`infogen validate`: every layout × language checked as far as a render would go —
files read, layouts and languages checked, each page composed and its text fitted —
without writing anything, and every problem reported at once, sorted by place.

A render stops at what it cannot draw; validation goes on, so a designer or a CI job
sees the whole list in one run. A layout with a `portrait:` or `landscape:` section is
checked in both orientations (unless the run fixes one), since either may be rendered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .diagnostics import Diagnostic, InfogenError, Severity

FORMATS = ("text", "github", "json")


@dataclass
class Validation:
    """What validation found: the problems (errors and warnings, each once, in file and
    line order) and the fit of every page it composed."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    fits: list[dict[str, Any]] = field(default_factory=list)  # report.fit_rows entries
    pages: int = 0  # layout × language × orientation combinations composed

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def validate(request: Any, layouts: Sequence[str], langs: Sequence[str]) -> Validation:
    """Check every layout in every language (and each orientation it designs for)."""
    from . import batch, report

    found: list[Diagnostic] = []
    result = Validation()
    first = renderer = request.renderer()
    designed: dict[str, str] = {}  # each layout's own orientation
    designed_problems: set[str] = set()  # what the first pass found, not repeated
    for orientation in _orientations(request, renderer, layouts):
        if orientation is not None:
            request = replace(request, options=replace(request.options, orientation=orientation))
            renderer = request.renderer()
        names = [
            n
            for n in layouts
            if orientation is None
            or (
                designed.get(n) not in (None, orientation, "square") and orientation in _sections(renderer, n)
            )
        ]
        for name in names:
            try:
                page = renderer.layout(name).page
                # A square page looks the same either way: its own orientation only.
                designed.setdefault(name, "square" if page.width == page.height else page.orientation)
                renderer.pdf_options(name)  # the print profile, where the layout needs one
            except InfogenError as exc:
                found += _in(orientation, exc.diagnostics, designed_problems)
                continue
            try:  # a render of every format (the default) refuses it; the pages are still checked
                renderer.check_png_size(name)
            except InfogenError as exc:
                found += _in(orientation, exc.diagnostics, designed_problems)
            for lang in langs:
                warned = len(renderer.warnings)
                try:
                    _, fits = renderer.scene_with_fits(name, lang)
                except InfogenError as exc:
                    found += _in(orientation, exc.diagnostics, designed_problems)
                    continue
                result.pages += 1
                result.fits.append(
                    report.fit_row(
                        name,
                        lang,
                        orientation or designed[name],
                        [batch.fit_entry(f) for f in fits],
                        renderer.warnings[warned:],
                        as_designed=orientation is None,
                    )
                )
        found += _in(orientation, renderer.warnings, designed_problems)
        if orientation is None:
            designed_problems = {d.format() for d in found}
    for lang in langs:  # a language's problems, even where no layout could be read
        try:
            first.project.load_content(lang, None, request.fallback, [])
        except InfogenError as exc:
            found += exc.diagnostics
    result.diagnostics = sort_diagnostics(_contrast_as_errors(found))
    return result


def _contrast_as_errors(found: list[Diagnostic]) -> list[Diagnostic]:
    """Text below the WCAG contrast a render only warns about is an error here."""
    from .model.contrast import is_contrast_problem

    return [replace(d, severity=Severity.ERROR) if is_contrast_problem(d) else d for d in found]


def _in(orientation: str | None, diagnostics: Iterable[Diagnostic], designed: set[str]) -> list[Diagnostic]:
    """Problems found only in the other orientation say so; those found in the layout's own
    orientation already are not repeated."""
    if orientation is None:
        return list(diagnostics)
    return [
        replace(d, message=f"{d.message} (in {orientation})")
        for d in diagnostics
        if d.format() not in designed
    ]


def _orientations(request: Any, renderer: Any, layouts: Sequence[str]) -> list[str | None]:
    """None (each layout as designed), then the other orientations some layout has a
    section for — unless this run fixes the orientation."""
    if request.options.orientation is not None:
        return [None]
    others: list[str | None] = [None]
    for orientation in ("portrait", "landscape"):
        if any(orientation in _sections(renderer, n) for n in layouts):
            others.append(orientation)
    return others


def _sections(renderer: Any, name: str) -> set[str]:
    try:
        return renderer.project.orientation_sections(name)
    except InfogenError:
        return set()  # reported when the layout is read


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each problem once, by file, line and column (those without a place first)."""
    unique = {d.format(): d for d in diagnostics}.values()

    def key(d: Diagnostic) -> tuple[str, int, int, int, str]:
        loc = d.location
        severity = 0 if d.severity is Severity.ERROR else 1
        if loc is None:
            return ("", 0, 0, severity, d.message)
        return (loc.file, loc.line, loc.col, severity, d.message)

    return sorted(unique, key=key)


def format_diagnostic(d: Diagnostic, style: str, strict: bool = False) -> str:
    """One problem as `text` (file:line:col: error: key: message, and a hint line), a
    GitHub Actions annotation (`github`), or a JSON object on one line (`json`)."""
    if style == "json":
        loc = d.location
        return json.dumps(
            {
                "file": loc.file if loc else None,
                "line": loc.line if loc and loc.line else None,
                "col": loc.col if loc and loc.col else None,
                "severity": d.severity.value,
                "key": d.key_path or None,
                "message": d.message,
                "hint": d.hint or None,
            },
            ensure_ascii=False,
        )
    if style == "github":
        properties = []
        if d.location is not None and not d.location.file.startswith("--set "):  # a file, not an option
            properties.append(f"file={_github_property(d.location.file)}")
            if d.location.line:
                properties += [f"line={d.location.line}", f"col={d.location.col}"]
        if d.key_path:
            properties.append(f"title={_github_property(d.key_path)}")
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        command = "error" if d.severity is Severity.ERROR or strict else "warning"
        return f"::{command} {','.join(properties)}::{_github_data(text)}"
    return d.format()


def _github_data(text: str) -> str:
    """Escaped as the runner's workflow-command parser expects (actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")
