"""`infogen i18n import`: a translated catalog written back into its language file.

Only what the translator changed is written: a string whose text changed (its source
hash recorded: the English the translator saw), a stale string the translator reviewed
and kept (its hash brought up to date), and a string the translator deliberately left as
the English (marked `same_as_source`). Entries still untranslated or marked for review
(PO `fuzzy`, XLIFF `needs-review-*`) are left alone, as gettext's own tools leave them.

Nothing is written unless the whole result is a valid language file: placeholders,
control characters and unknown keys are refused at the catalog's line, and the new file
is then checked as a render would check it. An import that changes nothing changes no byte.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, InfogenError, Location, closest, printable
from ..model.content import LanguageStrings
from ..model.resolve import (
    BIDI_CONTROLS,
    MAX_TEXT_CHARS,
    clean,
    resolve_content,
    unprintable,
    unprintable_kinds,
)
from ..source import MAX_FILE_BYTES, display_path, load_yaml, read_regular_file
from .catalog import Catalog, Entry, source_language_ok
from .hashes import source_hash
from .keys import written_strings
from .strings import SOURCE_LANG, LanguageFile, SourceString, placeholders, read_language_file, source_strings
from .yamledit import Edits, apply_edits


@dataclass(frozen=True)
class Change:
    key: str
    old: str | None  # None: the file had no text for it
    new: str
    line: int  # the catalog entry's line


@dataclass(frozen=True)
class ImportPlan:
    """What an import does to one language file."""

    lang: str
    path: Path
    text: str | None  # the file's new text; None when nothing changes
    changed: tuple[Change, ...] = ()
    confirmed: tuple[str, ...] = ()  # stale translations reviewed and kept: their hash brought up to date
    marked: tuple[str, ...] = ()  # left as the English on purpose: now in same_as_source
    review: tuple[Entry, ...] = ()  # marked for review (fuzzy): not imported
    untranslated: int = 0
    older_english: tuple[str, ...] = ()  # translated from an English that has changed since


def plan_import(project: Any, catalog: Catalog, lang: str | None = None) -> ImportPlan:
    """The change to the language file the catalog is in, checked; raises with every problem."""
    source_language_ok(catalog)
    lang = _language(project, catalog, lang)
    sources = source_strings(project)
    by_key = {s.key: s for s in sources}
    file = read_language_file(project, lang)
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    edits: dict[str, Any] = {"texts": {}, "hashes": {}, "mark": set(), "unmark": set()}
    plan: dict[str, list[Any]] = {"changed": [], "confirmed": [], "marked": [], "review": [], "older": []}
    untranslated = 0
    for entry in catalog.entries:
        problem = _entry_problem(entry, by_key, seen, catalog.file)
        if problem is not None:
            problems.append(problem)
            continue
        assert entry.key is not None
        seen[entry.key] = entry.line
        if entry.state == "untranslated":
            untranslated += 1
        elif entry.state == "needs-review":
            plan["review"].append(entry)
        else:
            problems += _text_problems(entry, by_key[entry.key], catalog.file)
            _plan_entry(entry, by_key[entry.key], file, edits, plan)
    if problems:
        raise InfogenError(problems)
    todo = Edits(edits["texts"], edits["hashes"], frozenset(edits["mark"]), frozenset(edits["unmark"]))
    text = None
    if todo:
        raw = read_regular_file(file.path, MAX_FILE_BYTES, project.roots).decode("utf-8")
        text = apply_edits(raw, file.shown, todo, english_template(project, sources))
        _validate(project, lang, text, file, catalog, seen)
    return ImportPlan(
        lang,
        file.path,
        text,
        tuple(plan["changed"]),
        tuple(plan["confirmed"]),
        tuple(plan["marked"]),
        tuple(plan["review"]),
        untranslated,
        tuple(plan["older"]),
    )


def _language(project: Any, catalog: Catalog, lang: str | None) -> str:
    """The language to import into: --lang, else the one the catalog names; both must agree."""
    named = catalog.lang.replace("_", "-") if catalog.lang else None
    if lang and named and lang.lower() != named.lower():
        raise InfogenError(
            [
                Diagnostic(
                    f"the catalog is in '{catalog.lang}', not '{lang}'",
                    Location(catalog.file),
                    hint="import it into its own language, or fix the Language header (PO) or "
                    "target-language (XLIFF)",
                )
            ]
        )
    stem = Path(catalog.file).stem.replace("_", "-")
    if (
        not lang
        and named
        and stem.lower() in {c.lower() for c in project.languages()}
        and stem.lower() != named.lower()
    ):
        # es.po saying `Language: fr`: a header copied from another file would overwrite French
        raise InfogenError(
            [
                Diagnostic(
                    f"the catalog is named after '{stem}' but says it is in '{catalog.lang}'",
                    Location(catalog.file),
                    hint=f"pass --lang {stem} (or --lang {named}) to say which language it is, or fix the "
                    "Language header (PO) or target-language (XLIFF)",
                )
            ]
        )
    chosen = lang or named
    if chosen is None:
        raise InfogenError(
            [
                Diagnostic(
                    "the catalog does not say its language", Location(catalog.file), hint="pass --lang CODE"
                )
            ]
        )
    known = {code.lower(): code for code in project.languages()}
    if chosen.lower() == SOURCE_LANG:
        raise InfogenError(
            [
                Diagnostic(
                    "English is the source language: there is nothing to import into it",
                    Location(catalog.file),
                    hint="edit data/lang/en.yaml itself; translations of it go into other languages",
                )
            ]
        )
    if chosen.lower() not in known:
        raise InfogenError([Diagnostic(*project.unknown("language", chosen))])
    return str(known[chosen.lower()])


def _entry_problem(
    entry: Entry, by_key: dict[str, SourceString], seen: dict[str, int], shown: str
) -> Diagnostic | None:
    if not entry.key:
        return Diagnostic(
            "an entry without a key (msgctxt, or the trans-unit's id): infogen cannot tell which string it is",
            Location(shown, entry.line, 1),
            hint="export the catalog again with `infogen i18n export` and translate that one",
        )
    if entry.key not in by_key:
        close = closest(entry.key, by_key)
        return Diagnostic(
            "unknown key: the English has no such string",
            Location(shown, entry.line, 1),
            printable(entry.key, 80),
            (f"did you mean '{close}'? " if close else "")
            + "the catalog may be older than the English: export it again, and copy the translations over",
        )
    if entry.key in seen:
        return Diagnostic(
            f"the string is in the catalog twice (first at line {seen[entry.key]})",
            Location(shown, entry.line, 1),
            entry.key,
            "keep one of them",
        )
    return None


def _text_problems(entry: Entry, source: SourceString, shown: str) -> list[Diagnostic]:
    """What would make a bad language file: placeholders, control characters, length."""
    where = Location(shown, entry.line, 1)
    found = []
    for chars, what, hint in (
        (
            {ch for ch in entry.target if unprintable(ch)},
            unprintable_kinds(ch for ch in entry.target if unprintable(ch)),
            "remove them (a line break too: the page breaks lines by itself)",
        ),
        (
            {ch for ch in entry.target if ch in BIDI_CONTROLS},
            "bidi embedding or override characters",
            "remove them: the bidi algorithm orders the text (the marks U+200E and U+200F are fine)",
        ),
    ):
        if chars:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(chars))
            found.append(
                Diagnostic(f"the translation contains {what} ({codes})", where, entry.key or "", hint)
            )
    given, wanted = placeholders(entry.target), source.placeholders
    if given != wanted:
        shown_wanted = ", ".join("{" + p + "}" for p in wanted) or "none"
        shown_given = ", ".join("{" + p + "}" for p in given) or "none"
        found.append(
            Diagnostic(
                f"wrong placeholders: the English has {shown_wanted}, the translation {shown_given}",
                where,
                entry.key or "",
                "keep each placeholder exactly as the English writes it (the names are filled in); "
                "translate only the words around them",
            )
        )
    if len(entry.target) > MAX_TEXT_CHARS:
        found.append(
            Diagnostic(
                f"the translation is {len(entry.target)} characters long; at most {MAX_TEXT_CHARS} are allowed",
                where,
                entry.key or "",
                "an infographic needs short texts: shorten it",
            )
        )
    return found


def _plan_entry(
    entry: Entry, source: SourceString, file: LanguageFile, edits: dict[str, Any], plan: dict[str, list[Any]]
) -> None:
    """What one translated entry changes: the text, its source hash, its same-as-English mark."""
    key = source.key
    new, seen_english = clean(entry.target), clean(entry.source)
    current = file.texts.get(key)
    recorded = file.source_hashes.get(key)
    made_from = source_hash(seen_english)
    if current is None or current.text != new:
        edits["texts"][key] = new
        edits["hashes"][key] = made_from
        plan["changed"].append(Change(key, current.text if current else None, new, entry.line))
    elif recorded is not None and recorded != made_from:
        edits["hashes"][key] = made_from
        plan["confirmed"].append(key)
    if new == seen_english and key not in file.same_as_source and any(ch.isalpha() for ch in new):
        edits["mark"].add(key)
        plan["marked"].append(key)
    elif new != seen_english and key in file.same_as_source:
        edits["unmark"].add(key)
    if seen_english != source.text and (key in edits["texts"] or key in edits["hashes"]):
        plan["older"].append(key)


def english_template(project: Any, sources: tuple[SourceString, ...]) -> list[tuple[str, str]]:
    """The English strings in the order data/lang/en.yaml writes them (then any it leaves out)."""
    keys = {s.key: s.text for s in sources}
    written = written_strings(load_yaml(project.lang_path(SOURCE_LANG), project.roots))
    ordered = [(k, keys[k]) for k in written if k in keys]
    return ordered + [(k, t) for k, t in keys.items() if k not in written]


def _validate(
    project: Any, lang: str, text: str, file: LanguageFile, catalog: Catalog, lines: dict[str, int]
) -> None:
    """Check the would-be file as a render would read it; point problems at the catalog."""
    structure, icons = project.structure
    with tempfile.TemporaryDirectory(prefix="infogen-import-") as scratch:
        candidate = Path(scratch) / f"{lang}.yaml"
        candidate.write_text(text, encoding="utf-8")
        scratch_shown = display_path(candidate)
        try:
            from ..project import read_node

            strings, locations = read_node(LanguageStrings, load_yaml(candidate))
            resolve_content(structure, icons, strings, locations, file.path)
        except InfogenError as exc:
            raise InfogenError(
                [_relocate(d, scratch_shown, file, catalog, lines) for d in exc.diagnostics]
            ) from None


def _relocate(
    d: Diagnostic, scratch: str, file: LanguageFile, catalog: Catalog, lines: dict[str, int]
) -> Diagnostic:
    within = [k for k in lines if k == d.key_path or k.startswith((d.key_path + ".", d.key_path + "["))]
    if d.key_path and within:
        return replace(d, location=Location(catalog.file, lines[within[0]], 1))
    if d.location is not None and d.location.file == scratch:
        where = Location(file.shown, d.location.line, d.location.col)
        return replace(d, location=where, message=d.message + " (in the file as the import would write it)")
    return d
