"""`infogen i18n status`: how complete each language is, string by string.

For every language file: how many of the English strings it translates, which are
missing, which still read as the English (unless marked as meant to), which are stale
(the English changed after they were translated: their recorded source hash no longer
matches), which are over the layout's length budget, and which make the panels' text
shrink (the fit's own measurement). Each finding is a located diagnostic, so an editor
or CI can jump to it; the whole is also a JSON document for CI.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, InfogenError, Location, Severity, printable
from ..model.content import StringRole
from .budget import Budget
from .hashes import source_hash
from .strings import SOURCE_LANG, LanguageFile, SourceString, Status, read_language_file, string_status

STATUS_FORMAT = 1


@dataclass(frozen=True)
class Shrink:
    """A grid whose text shrank in one layout, and the string that limited its size."""

    layout: str
    grid: str
    size: float
    designed_size: float
    key: str | None
    location: Location | None


@dataclass(frozen=True)
class OverBudget:
    key: str
    length: int
    limit: int
    budget: Budget
    location: Location | None


@dataclass(frozen=True)
class LanguageStatus:
    """One language: the status of each English string, and what else needs attention."""

    lang: str
    name: str
    file: str
    statuses: Mapping[str, Status]  # by key path, in reading order
    over_budget: tuple[OverBudget, ...] = ()
    shrinks: tuple[Shrink, ...] = ()
    findings: tuple[Diagnostic, ...] = ()  # each problem above, located, for people and CI
    problems: tuple[Diagnostic, ...] = ()  # the file does not load, or its page cannot be laid out
    broken: bool = False  # the file cannot be read or validated at all

    def keys(self, status: Status) -> list[str]:
        return [k for k, s in self.statuses.items() if s == status]

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def translated(self) -> int:
        """Strings that have a translation (stale ones too: they are translated, but old)."""
        return sum(s in ("translated", "stale") for s in self.statuses.values())

    @property
    def complete(self) -> bool:
        """Nothing missing, still English, stale, over budget or broken."""
        if self.problems or self.over_budget:
            return False
        return self.lang == SOURCE_LANG or all(s == "translated" for s in self.statuses.values())


def language_status(
    project: Any,
    sources: Sequence[SourceString],
    lang: str,
    budgets: Mapping[StringRole, Budget],
    renderer: Any = None,
    layouts: Iterable[str] = (),
) -> LanguageStatus:
    """The status of one language file; with a renderer (one that falls back to English),
    also which strings make each layout's panels shrink."""
    name = project.language_name(lang)
    try:
        file = read_language_file(project, lang)
    except InfogenError as exc:
        shown = project.lang_path(lang)
        empty = LanguageFile(lang, shown, {})
        statuses = {s.key: string_status(s, empty) for s in sources}
        return LanguageStatus(lang, name, empty.shown, statuses, problems=tuple(exc.diagnostics), broken=True)
    # The English is the source: every one of its strings is there by definition.
    statuses = {s.key: "translated" if lang == SOURCE_LANG else string_status(s, file) for s in sources}
    problems: list[Diagnostic] = []
    broken = False
    try:
        project.load_content(lang, None, SOURCE_LANG, [])
    except InfogenError as exc:
        problems += exc.diagnostics
        broken = True
    over = [] if lang == SOURCE_LANG else over_budget(sources, file, statuses, budgets)
    shrinks: list[Shrink] = []
    if renderer is not None and not broken:
        for layout in layouts:
            try:
                _, fits = renderer.scene_with_fits(layout, lang)
            except InfogenError as exc:
                problems += exc.diagnostics
                continue
            shrinks += [
                Shrink(layout, f.grid, f.smallest_size, f.designed_size, f.limit_key, f.limit_location)
                for f in fits
                if f.limit_key is not None
            ]
    findings = _findings(sources, file, statuses, over, shrinks) if lang != SOURCE_LANG else []
    if lang == SOURCE_LANG:
        findings = [_shrink_finding(s, file) for s in shrinks]
    return LanguageStatus(
        lang,
        name,
        file.shown,
        statuses,
        tuple(over),
        tuple(shrinks),
        tuple(findings),
        tuple(problems),
        broken,
    )


def over_budget(
    sources: Sequence[SourceString],
    file: LanguageFile,
    statuses: Mapping[str, Status],
    budgets: Mapping[StringRole, Budget],
) -> list[OverBudget]:
    found = []
    for source in sources:
        budget = budgets.get(source.role)
        written = file.texts.get(source.key)
        if budget is None or written is None or statuses[source.key] in ("missing", "identical"):
            continue
        limit = budget.limit(source.text)
        if len(written.text) > limit:
            found.append(OverBudget(source.key, len(written.text), limit, budget, written.location))
    return found


def _findings(
    sources: Sequence[SourceString],
    file: LanguageFile,
    statuses: Mapping[str, Status],
    over: Sequence[OverBudget],
    shrinks: Sequence[Shrink],
) -> list[Diagnostic]:
    """Every finding as a warning at its place in the language file, with what to do."""
    found = []
    here = Location(file.shown)
    for source in sources:
        status = statuses[source.key]
        written = file.texts.get(source.key)
        where = written.location if written else here
        english = f"'{printable(source.text, 60)}'"
        if status == "missing":
            found.append(
                _warn(
                    "missing: no translation",
                    here,
                    source.key,
                    f"translate the English {english} ({source.location or 'data/lang/en.yaml'})",
                )
            )
        elif status == "identical":
            found.append(
                _warn(
                    "still the English text",
                    where,
                    source.key,
                    f"translate it; or, if it is a name or an acronym meant to read as in English, "
                    f"add '{source.key}' to translation.same_as_source",
                )
            )
        elif status == "stale":
            found.append(
                _warn(
                    f"stale: the English changed after this was translated; it now reads {english}",
                    where,
                    source.key,
                    "check the translation, then import it from a PO/XLIFF file with the fuzzy flag "
                    f"cleared, or run `infogen i18n stamp --lang {file.lang} {source.key}`",
                )
            )
    for item in over:
        found.append(
            _warn(
                f"{item.length} characters, over the length budget: {item.budget.describe(_english(sources, item.key))}",
                item.location or here,
                item.key,
                "shorten it; or give the field more room in the layout and raise the budget",
            )
        )
    found += [_shrink_finding(s, file) for s in shrinks]
    for key, where in file.record.items():
        if key not in statuses:
            found.append(
                _warn(
                    f"translation: '{printable(key, 60)}' is not a string of the English",
                    where,
                    "translation",
                    "remove it (the English no longer has that string)",
                )
            )
    return found


def _shrink_finding(shrink: Shrink, file: LanguageFile) -> Diagnostic:
    return _warn(
        f"in layout '{shrink.layout}', {shrink.grid}: the panels' text shrank to {shrink.size:g}pt "
        f"(designed {shrink.designed_size:g}pt); this string limits the size",
        shrink.location or Location(file.shown),
        shrink.key or "",
        "shorten it to let the text grow (the fit report of `infogen render` shows the same)",
    )


def _warn(message: str, where: Location, key: str, hint: str) -> Diagnostic:
    return Diagnostic(message, where, key, hint, severity=Severity.WARNING)


def _english(sources: Sequence[SourceString], key: str) -> str:
    return next(s.text for s in sources if s.key == key)


def table(rows: Sequence[LanguageStatus]) -> str:
    """The status as a table for a terminal, one line per language."""
    header = ("lang", "language", "translated", "missing", "as English", "stale", "over budget", "shrinks")
    lines = [header]
    for row in rows:
        share = "source" if row.lang == SOURCE_LANG else f"{row.translated}/{row.total}"
        if row.lang != SOURCE_LANG:
            share += f" {100 * row.translated / max(1, row.total):.0f}%"
        if row.broken:
            share += " (broken)"
        lines.append(
            (
                row.lang,
                row.name,
                share,
                str(len(row.keys("missing"))),
                str(len(row.keys("identical"))),
                str(len(row.keys("stale"))),
                str(len(row.over_budget)),
                ", ".join(f"{s.layout} {s.size:g}/{s.designed_size:g}pt" for s in row.shrinks) or "-",
            )
        )
    widths = [max(_cells(line[i]) for line in lines) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(_pad(cell, width) for cell, width in zip(line[:-1], widths, strict=True)) + "  " + line[-1]
        for line in lines
    )


def document(rows: Sequence[LanguageStatus], layouts: Sequence[str]) -> dict[str, Any]:
    """The status as JSON (`--json`; format documented in the README)."""
    return {
        "format": STATUS_FORMAT,
        "source": SOURCE_LANG,
        "layouts": list(layouts),
        "languages": [_entry(row) for row in rows],
    }


def _entry(row: LanguageStatus) -> dict[str, Any]:
    return {
        "lang": row.lang,
        "name": row.name,
        "file": row.file,
        "total": row.total,
        "translated": row.translated,
        "complete": row.complete,
        "broken": row.broken,
        "missing": row.keys("missing"),
        "identical": row.keys("identical"),
        "stale": row.keys("stale"),
        "over_budget": [
            {
                "key": o.key,
                "length": o.length,
                "limit": o.limit,
                "ratio": o.budget.ratio,
                "layout": o.budget.layout,
                "location": str(o.location) if o.location else None,
            }
            for o in row.over_budget
        ],
        "shrinks": [
            {
                "layout": s.layout,
                "grid": s.grid,
                "size": round(s.size, 2),
                "designed_size": round(s.designed_size, 2),
                "string": s.key,
                "location": str(s.location) if s.location else None,
            }
            for s in row.shrinks
        ],
        "findings": [d.format() for d in row.findings],
        "problems": [d.format() for d in row.problems],
    }


def stamp_hashes(sources: Sequence[SourceString], file: LanguageFile, keys: Iterable[str]) -> dict[str, str]:
    """The hashes `infogen i18n stamp` records: for each key (or every translated string), the
    hash of the current English. Strings still missing or identical to English get none."""
    wanted = set(keys)
    return {
        s.key: source_hash(s.text)
        for s in sources
        if (not wanted or s.key in wanted)
        and string_status(s, file) in ("translated", "stale")
        and file.source_hashes.get(s.key) != s.hash
    }


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))
