"""Translation catalogs: what a PO or XLIFF file holds, whichever the format.

Export turns the two sides of a translation (`strings.py`) into units — the English,
the existing translation, its state, where both stand, the context and the length
budget — that `po.py` and `xliff.py` write. Import reads a file back into entries, each
with the line it is on, so every message about it points into the file the translator has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import __version__
from ..diagnostics import Diagnostic, InfogenError, Location
from ..model.content import StringRole
from ..source import display_path, read_regular_file
from .budget import Budget
from .keys import context_of
from .strings import SOURCE_LANG, LanguageFile, SourceString, string_status

Format = Literal["po", "xliff"]
State = Literal["translated", "untranslated", "needs-review"]
EXTENSIONS: Mapping[Format, str] = {"po": ".po", "xliff": ".xlf"}
MAX_CATALOG_BYTES = 5_000_000


@dataclass(frozen=True)
class Meta:
    """About the whole catalog."""

    lang: str
    language: str  # its English name, e.g. 'French'
    project: str  # the infographic's id in data/theme.yaml
    file: str  # the language file, as shown: 'data/lang/fr.yaml'
    generator: str = f"infogen {__version__}"


@dataclass(frozen=True)
class Unit:
    """One string to translate, as a catalog presents it."""

    key: str  # the key path: PO msgctxt, XLIFF id
    source: str  # the English: PO msgid, XLIFF <source>
    target: str  # the translation so far; '' when there is none
    state: State
    role: StringRole
    notes: tuple[str, ...]  # for the translator: where it stands, the budget, why it needs review
    limit: int | None  # the length budget, in characters
    source_ref: Location | None  # where the English is
    target_ref: Location | None  # where the translation is
    placeholders: tuple[str, ...]  # {authors}, {publisher}: must stay


def units(
    sources: Sequence[SourceString], file: LanguageFile, budgets: Mapping[StringRole, Budget], root: Path
) -> list[Unit]:
    """The catalog of one language: every English string, with its translation. A string
    still identical to the English is offered untranslated; a stale one needs review.
    Places are given relative to the project's `root`, wherever the export ran."""
    found = []
    for source in sources:
        status = string_status(source, file)
        written = file.texts.get(source.key)
        context = context_of(source.key)
        detail = f"panel: {context.panel}; field: {context.field}; " if context.panel else ""
        notes = [f"{context.description} ({detail}role: {source.role})"]
        budget = budgets.get(source.role)
        if budget is not None:
            notes.append(f"length budget: {budget.describe(source.text)}")
        if source.placeholders:
            shown = ", ".join("{" + p + "}" for p in source.placeholders)
            notes.append(f"keep {shown} exactly as they are: the names are filled in")
        if status == "stale":
            notes.append("needs review: the English changed after this was translated")
        if source.key in file.same_as_source:
            notes.append("meant to read as in English (translation.same_as_source)")
        target = written.text if written and status in ("translated", "stale") else ""
        state: State = "needs-review" if status == "stale" else "translated" if target else "untranslated"
        found.append(
            Unit(
                source.key,
                source.text,
                target,
                state,
                source.role,
                tuple(notes),
                budget.limit(source.text) if budget else None,
                _relative(source.location, root),
                _relative(written.location, root) if written else None,
                source.placeholders,
            )
        )
    return found


def _relative(location: Location | None, root: Path) -> Location | None:
    """A place in a project file, its path relative to the project's root."""
    if location is None:
        return None
    try:
        path = Path(location.file).resolve().relative_to(root.resolve())
    except ValueError:
        return location
    return Location(path.as_posix(), location.line, location.col)


@dataclass(frozen=True)
class Entry:
    """One entry of a catalog read back, and the line it starts on."""

    key: str | None  # None: an entry with no msgctxt (infogen cannot tell what it is)
    source: str
    target: str
    state: State
    line: int


@dataclass(frozen=True)
class Catalog:
    file: str  # as shown in messages
    format: Format
    lang: str | None  # the language it says it is in (PO `Language`, XLIFF `target-language`)
    source_lang: str | None
    entries: tuple[Entry, ...]


def catalog_format(path: Path, data: bytes) -> Format:
    """PO or XLIFF, by the file name, else by a look at the start of the file."""
    suffix = path.suffix.lower()
    if suffix in (".po", ".pot"):
        return "po"
    if suffix in (".xlf", ".xliff", ".xml"):
        return "xliff"
    return "xliff" if data.lstrip()[:1] == b"<" else "po"


def read_catalog(path: Path) -> Catalog:
    """A PO or XLIFF 1.2 file, read with its format's own parser; its problems located."""
    from . import po, xliff

    data = read_regular_file(path, MAX_CATALOG_BYTES)
    shown = display_path(path)
    if catalog_format(path, data) == "po":
        return po.read(data, shown)
    return xliff.read(data, shown)


def refuse(message: str, file: str, line: int | None = None, key: str = "", hint: str = "") -> InfogenError:
    return InfogenError([Diagnostic(message, Location(file, line or 0, 1 if line else 0), key, hint)])


def source_language_ok(catalog: Catalog) -> None:
    if catalog.source_lang not in (None, SOURCE_LANG):
        raise refuse(
            f"the catalog's source language is '{catalog.source_lang}', not '{SOURCE_LANG}'",
            catalog.file,
            hint="import a catalog exported by `infogen i18n export` (its source is the English)",
        )
