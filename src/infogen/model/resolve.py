"""Joining the structure, the icons and one language's strings into the Content that
layout receives — checking that they match exactly, and that every text is usable."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..diagnostics import Collector, Location, closest
from ..source import display_path
from .content import Content, Group, IconSet, LanguageStrings, PageString, StringRole, Structure, Theme
from .pathdata import path_problem

# Folded YAML lines and runs of ordinary spaces become one space; no-break spaces
# (U+00A0, U+202F) are kept, so translators can bind words ("10\u00a0km", « oui »).
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TEXT_CHARS = 1000  # per string: a heading, a paragraph or a bullet
MAX_CREDITS_CHARS = 2000  # the credits line with the names filled in
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(ch: str) -> bool:
    """A character that puts ink on the page (not a space, a joiner or a direction mark)."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me")


def fill_placeholders(
    c: Collector, template: str, values: dict[str, str], location: Location, key_path: str
) -> str:
    """Replace {name} placeholders. Plain substitution, not str.format: a translator's
    braces must never reach attributes of Python objects ("{authors.__class__}")."""
    found = set(_PLACEHOLDER.findall(template))
    unknown = sorted(found - values.keys())
    leftover = _PLACEHOLDER.sub("", template)
    if unknown or "{" in leftover or "}" in leftover:
        c.error(
            f"unknown placeholder {', '.join('{' + u + '}' for u in unknown) or 'or stray brace'}",
            location,
            key_path,
            f"only {', '.join('{' + k + '}' for k in values)} may appear in braces",
        )
        return template
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


NONCHARACTERS = "\ufffe\uffff"  # not characters at all, and XML (SVG, a PDF's XMP) cannot carry them


def unprintable(ch: str) -> bool:
    """A character no page may hold: a control character (the caller allows tab and
    newline where they mean something), a lone surrogate, or U+FFFE / U+FFFF."""
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in NONCHARACTERS


def unprintable_kinds(chars: Iterable[str]) -> str:
    """What to call the unprintable characters found, for the message."""
    kinds = {"noncharacters" if ch in NONCHARACTERS else "control characters" for ch in chars}
    return " and ".join(sorted(kinds))


def clean(text: str) -> str:
    """Collapse YAML line folding and stray spaces into single spaces."""
    return _SPACES.sub(" ", text).strip()


def check_icons(c: Collector, icons: IconSet, locations: dict[str, Location]) -> None:
    """Every icon's path data is well formed (see pathdata.py)."""
    for name, icon in icons.icons.items():
        for i, d in enumerate(icon.paths):
            problem = path_problem(d)
            if problem:
                key_path = f"icons.{name}.paths[{i}]"
                c.error(
                    f"invalid path data: {problem}",
                    locations.get(key_path),
                    key_path,
                    "write SVG path data such as 'M4 12 L20 12' (commands M L H V C S Q T A Z)",
                )


def check_structure(
    structure: Structure, locations: dict[str, Location], icons: IconSet, icon_locations: dict[str, Location]
) -> None:
    """Ids are unique, every theme's icon exists and is well formed, and there is something to show."""
    c = Collector()
    check_icons(c, icons, icon_locations)
    credits = [("credits.publisher", structure.credits.publisher)]
    credits += [(f"credits.authors[{i}]", a) for i, a in enumerate(structure.credits.authors)]
    for key_path, text in credits:
        if len(text) > MAX_TEXT_CHARS or not text.strip():
            c.error(
                f"a name of {len(text)} characters; 1 to {MAX_TEXT_CHARS} are allowed",
                locations.get(key_path),
                key_path,
                "write the name as it is credited",
            )
    seen: dict[str, str] = {}
    for g, group in enumerate(structure.groups):
        entries = [(f"groups[{g}].id", group.id)]
        entries += [(f"groups[{g}].themes[{t}].id", theme.id) for t, theme in enumerate(group.themes)]
        for key_path, ident in entries:
            if not _ID.match(ident):
                c.error(
                    f"'{ident}' is not a valid id",
                    locations.get(key_path),
                    key_path,
                    "use lower-case letters, digits and hyphens, e.g. 'harnessing-data'",
                )
            if ident in seen:
                c.error(
                    f"id '{ident}' is used twice (first at {seen[ident]})",
                    locations.get(key_path),
                    key_path,
                    "every group and theme needs its own id",
                )
            seen.setdefault(ident, key_path)
        for t, theme in enumerate(group.themes):
            if theme.icon not in icons.icons:
                key_path = f"groups[{g}].themes[{t}].icon"
                c.error(
                    f"unknown icon '{theme.icon}'",
                    locations.get(key_path),
                    key_path,
                    f"icons in data/icons.yaml: {', '.join(sorted(icons.icons))}",
                )
    c.raise_if_errors()


def resolve_content(
    structure: Structure,
    icons: IconSet,
    strings: LanguageStrings,
    locations: dict[str, Location],
    path: Path,
    max_bullets: int | None = None,
) -> Content:
    """Join structure, icons and one language's strings, checking they match exactly."""
    c = Collector()
    where = Location(display_path(path))
    if strings.language.code != path.stem:
        c.error(
            f"language code '{strings.language.code}' does not match the file name '{path.name}'",
            locations.get("language.code"),
            "language.code",
            f"set it to '{path.stem}' or rename the file",
        )
    if not ISO_15924.match(strings.language.script):
        written = strings.language.script
        guess = {"latin": "Latn", "arabic": "Arab", "japanese": "Jpan", "cyrillic": "Cyrl", "greek": "Grek",
                 "hebrew": "Hebr", "chinese": "Hans", "korean": "Kore", "devanagari": "Deva", "thai": "Thai"}  # fmt: skip
        suggestion = guess.get(written.strip().casefold()) or (written[:1].upper() + written[1:4].lower())
        c.error(
            f"'{written}' is not an ISO 15924 script code",
            locations.get("language.script", where),
            "language.script",
            f"did you mean '{suggestion}'? four letters, the first a capital: Latn, Arab, Jpan, Cyrl, Grek, Hans…"
            if ISO_15924.match(suggestion)
            else "four letters, the first a capital: Latn, Arab, Jpan, Cyrl, Grek, Hans…",
        )
    group_ids = [g.id for g in structure.groups]
    theme_ids = [t.id for g in structure.groups for t in g.themes]
    _match_keys(c, "groups", group_ids, strings.groups, locations, where)
    _match_keys(c, "themes", theme_ids, strings.themes, locations, where)
    for name in strings.icons:
        if name not in icons.icons:
            close = closest(name, icons.icons)
            c.error(
                f"unknown icon '{name}'",
                locations.get(f"icons.{name}", where),
                f"icons.{name}",
                f"did you mean '{close}'?"
                if close
                else f"icons in data/icons.yaml: {', '.join(sorted(icons.icons))}",
            )
    raw = list(_raw_strings(structure, strings, icons))
    _check_texts(c, raw, locations, where)
    if max_bullets is not None:
        for tid, theme in strings.themes.items():
            if len(theme.bullets) > max_bullets:
                c.error(
                    f"{len(theme.bullets)} bullets, but the layout shows at most {max_bullets}",
                    locations.get(f"themes.{tid}.bullets", where),
                    f"themes.{tid}.bullets",
                    "shorten the list, or raise `max` of the panel's bullets part in the layout",
                )
    credits = fill_placeholders(
        c,
        strings.credits,
        {"authors": ", ".join(structure.credits.authors), "publisher": structure.credits.publisher},
        locations.get("credits", where),
        "credits",
    )
    if len(credits) > MAX_CREDITS_CHARS:
        c.error(
            f"the credits line is {len(credits)} characters long with the names filled in; "
            f"at most {MAX_CREDITS_CHARS} are allowed",
            locations.get("credits", where),
            "credits",
            "shorten the credits, or the authors and publisher in data/theme.yaml",
        )
    c.raise_if_errors()
    page_strings = tuple(
        PageString(key, clean(credits if key == "credits" else text), role, locations.get(key, where))
        for key, text, role in raw
    )
    text = {s.key: s.text for s in page_strings}
    numbers = {tid: number for number, tid in enumerate(theme_ids, start=1)}
    groups = tuple(
        Group(
            id=g.id,
            label=text[f"groups.{g.id}"],
            themes=tuple(
                Theme(
                    id=t.id,
                    number=numbers[t.id],
                    title=text[f"themes.{t.id}.title"],
                    bullets=tuple(
                        text[f"themes.{t.id}.bullets[{i}]"] for i in range(len(strings.themes[t.id].bullets))
                    ),
                    icon=replace(icons.icons[t.icon], description=text[f"icons.{t.icon}"]),
                )
                for t in g.themes
            ),
        )
        for g in structure.groups
    )
    return Content(
        source=display_path(path),
        lang=strings.language.code,
        script=strings.language.script,
        direction=strings.language.direction,
        document=strings.document,
        authors=structure.credits.authors,
        groups=groups,
        icon_view_box=icons.view_box,
        strings=page_strings,
    )


ISO_15924 = re.compile(r"^[A-Z][a-z]{3}$")


def _raw_strings(
    structure: Structure, strings: LanguageStrings, icons: IconSet
) -> Iterator[tuple[str, str, StringRole]]:
    """(key path, text as written, role) of every string, in reading order: the one list
    the checks and the Content's strings are made from. An icon's alternative text not
    translated is its English description (from icons.yaml)."""
    yield "document.title", strings.document.title, "metadata"
    yield "document.subject", strings.document.subject, "metadata"
    for i, keyword in enumerate(strings.document.keywords):
        yield f"document.keywords[{i}]", keyword, "metadata"
    yield "heading", strings.heading, "heading"
    for i, paragraph in enumerate(strings.intro):
        yield f"intro[{i}]", paragraph, "intro"
    for group in structure.groups:
        if group.id in strings.groups:
            yield f"groups.{group.id}", strings.groups[group.id], "group-label"
        for ref in group.themes:
            theme = strings.themes.get(ref.id)
            if theme is None:
                continue
            yield f"themes.{ref.id}.title", theme.title, "theme-title"
            for i, bullet in enumerate(theme.bullets):
                yield f"themes.{ref.id}.bullets[{i}]", bullet, "theme-bullet"
    yield "credits", strings.credits, "credits"
    used = dict.fromkeys(ref.icon for group in structure.groups for ref in group.themes)
    for name in (n for n in used if n in icons.icons):
        yield f"icons.{name}", strings.icons.get(name, icons.icons[name].description), "icon-description"


def _match_keys(
    c: Collector,
    section: str,
    expected: list[str],
    given: dict[str, Any],
    locations: dict[str, Location],
    where: Location,
) -> None:
    for missing in [k for k in expected if k not in given]:
        c.error(
            f"missing translation for '{missing}'",
            locations.get(section, where),
            f"{section}.{missing}",
            "copy the entry from data/lang/en.yaml and translate it",
        )
    for extra in [k for k in given if k not in expected]:
        c.error(
            f"'{extra}' is not a {section[:-1]} in data/theme.yaml",
            locations.get(f"{section}.{extra}", where),
            f"{section}.{extra}",
            f"known ids: {', '.join(expected)}",
        )


def _check_texts(
    c: Collector, raw: list[tuple[str, str, StringRole]], locations: dict[str, Location], where: Location
) -> None:
    """Empty strings and control characters would render as nothing or as garbage."""
    for path, text, _ in raw:
        loc = locations.get(path, where)
        if not any(_visible(ch) for ch in text):
            what = (
                "text is empty"
                if not clean(text)
                else "text has no visible characters (only spaces or format characters)"
            )
            c.error(what, loc, path, "write the text, or copy it from data/lang/en.yaml")
        overrides = sorted({ch for ch in text if ch in BIDI_CONTROLS})
        if overrides:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in overrides)
            c.error(
                f"text contains bidi embedding or override characters ({codes})",
                loc,
                path,
                "remove them: the bidi algorithm orders the text, and overrides make what is shown "
                "and what is read or copied differ (the marks U+200E and U+200F are fine)",
            )
        if len(text) > MAX_TEXT_CHARS:
            c.error(
                f"text is {len(text)} characters long; at most {MAX_TEXT_CHARS} are allowed",
                loc,
                path,
                "an infographic needs short texts: shorten it",
            )
        bad = sorted({ch for ch in text if ch not in "\n\t" and unprintable(ch)})
        if bad:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
            c.error(f"text contains {unprintable_kinds(bad)} ({codes})", loc, path, "remove them")
