"""Gettext PO files (Poedit, Weblate, Crowdin, Lokalise, msgfmt), written and read with polib.

One entry per string: msgctxt is its key path, msgid the English, msgstr the translation
(empty while there is none); `#.` comments say where it stands on the page and its length
budget; `#:` references point at the English and the translation in the YAML files. A stale
translation is `fuzzy` (gettext's "needs review"), and a string with placeholders is
`python-brace-format`, so `msgfmt --check` and the editors check that `{authors}` stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polib

from .catalog import Catalog, Entry, Meta, State, Unit, refuse

WRAP = 78


def write(units: Sequence[Unit], meta: Meta, date: str) -> bytes:
    """The PO file of one language. `date` ('2024-05-01 12:00+0000') is its revision date."""
    po = polib.POFile(wrapwidth=WRAP, check_for_duplicates=False)
    po.header = (
        f"{meta.language} translation of {meta.project}: the strings of {meta.file}.\n"
        f"Written by {meta.generator} (`infogen i18n export`). Translate msgstr, keep the\n"
        "placeholders in braces, then write it back with `infogen i18n import FILE`.\n"
        "msgctxt is the key path of each string in the language file."
    )
    po.metadata = {
        "Project-Id-Version": meta.project,
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "",
        "Language-Team": meta.language,
        "Language": meta.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": meta.generator,
    }
    for unit in units:
        flags = ["fuzzy"] if unit.state == "needs-review" else []
        if unit.placeholders:
            flags.append("python-brace-format")
        if unit.limit is not None:
            flags.append(f"max-length:{unit.limit}")  # Weblate's check; msgfmt lets it be
        refs = [r for r in (unit.source_ref, unit.target_ref) if r is not None and r.line]
        po.append(
            polib.POEntry(
                msgctxt=unit.key,
                msgid=unit.source,
                msgstr=unit.target,
                comment="\n".join(unit.notes),
                occurrences=[(r.file, str(r.line)) for r in refs],
                flags=flags,
            )
        )
    return (str(po) + "\n").encode("utf-8")


_LINE = re.compile(r"\(line (\d+)\)")
_STRING_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$')


def _lexical_problem(text: str) -> tuple[int, str] | None:
    """The first line polib would read leniently (an unclosed string loses its last
    character there): every line is a comment, blank, or a keyword with a whole string."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _STRING_LINE.match(line):
            return number, "expected a keyword (msgctxt, msgid, msgstr) and a string in double quotes"
    return None


def read(data: bytes, shown: str) -> Catalog:
    """A PO file's entries; a syntax error is refused at its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            f"not UTF-8 (byte {exc.start})", shown, hint="save the PO file as UTF-8 (charset=UTF-8)"
        ) from None
    if "\n" not in text:  # polib would take a one-line text for a file name
        text += "\n"
    problem = _lexical_problem(text)
    if problem is not None:
        raise refuse(
            f"not a valid PO file: {problem[1]}",
            shown,
            problem[0],
            hint="open and save it in Poedit, or check it with `msgfmt --check`",
        )
    try:
        po = polib.pofile(text, check_for_duplicates=False)
    except (OSError, ValueError) as exc:
        found = _LINE.search(str(exc))
        raise refuse(
            f"not a valid PO file: {exc}",
            shown,
            int(found.group(1)) if found else None,
            hint="open and save it in Poedit, or check it with `msgfmt --check`",
        ) from None
    entries = []
    for entry in po:
        if entry.obsolete:  # `#~` entries msgmerge and Poedit keep: not translations
            continue
        if entry.msgid_plural:
            raise refuse("plural forms are not used by infogen", shown, entry.linenum, entry.msgctxt or "")
        state: State = (
            "needs-review" if entry.fuzzy else "translated" if entry.msgstr.strip() else "untranslated"
        )
        entries.append(Entry(entry.msgctxt, entry.msgid, entry.msgstr, state, entry.linenum or 0))
    return Catalog(shown, "po", po.metadata.get("Language") or None, None, tuple(entries))
