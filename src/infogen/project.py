"""Where a project keeps its files, and loading them into the validated model.

A project is a directory with `data/` (theme.yaml, icons.yaml, lang/<code>.yaml),
`layouts/<name>.yaml` and optionally `fonts/`. Everything read here is checked
completely before anything is laid out, and every problem is reported at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .diagnostics import Collector, Diagnostic, InfogenError, Location, Severity
from .model.content import (
    Content,
    Group,
    IconSet,
    LanguageStrings,
    Structure,
    Theme,
)
from .model.layout import Layout
from .model.schema import INVALID, Reader
from .source import Node, display_path, load_yaml, node_location

T = TypeVar("T")
# Folded YAML lines and runs of ordinary spaces become one space; no-break spaces
# (U+00A0, U+202F) are kept, so translators can bind words ("10\u00a0km", « oui »).
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TEXT_CHARS = 1000  # per string: a heading, a paragraph or a bullet
MAX_EXTENDS = 8


def read_file(cls: type[T], path: Path) -> tuple[T, dict[str, Location]]:
    """Load one YAML file as `cls`; raise with every problem found."""
    node = load_yaml(path)
    collector = Collector()
    reader = Reader(collector)
    value = reader.dataclass(cls, node, "")
    collector.raise_if_errors()
    assert value is not INVALID
    return value, reader.locations


@dataclass(frozen=True)
class Project:
    root: Path
    # Directories outside the project that data and layout files may name (--allow-dir).
    allowed_dirs: tuple[Path, ...] = ()

    def resolve_named_path(self, value: str, location: Location | None, key_path: str) -> Path:
        """A path named in a data or layout file, relative to the project root.

        It must stay inside the project or an allowed directory: a layout from a pull
        request must not read ../../etc/passwd or /home/someone/.ssh."""
        path = Path(value)
        roots = [self.root.resolve(), *(d.resolve() for d in self.allowed_dirs)]
        target = (path if path.is_absolute() else self.root / path).resolve()
        if path.is_absolute() and not any(target.is_relative_to(d) for d in roots[1:]):
            problem = "absolute paths are not allowed"
        elif not any(target.is_relative_to(root) for root in roots):
            problem = f"'{value}' points outside the project"
        else:
            return target
        raise InfogenError(
            [
                Diagnostic(
                    problem,
                    location,
                    key_path,
                    "name a file inside the project, relative to its root (e.g. fonts/MyFont.ttf), "
                    "or allow its directory with --allow-dir",
                )
            ]
        )

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def lang_dir(self) -> Path:
        return self.data_dir / "lang"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def check(self) -> None:
        """Fail early, and clearly, when run outside a project."""
        missing = [p for p in (self.data_dir / "theme.yaml", self.layouts_dir) if not p.exists()]
        if missing:
            raise InfogenError(
                [
                    Diagnostic(
                        f"not an infogen project: {display_path(missing[0])} does not exist",
                        hint="run infogen from the project directory, or pass --project DIR",
                    )
                ]
            )

    def languages(self) -> list[str]:
        return sorted(p.stem for p in self.lang_dir.glob("*.yaml"))

    def layouts(self) -> list[str]:
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml"))

    def layout_path(self, name: str) -> Path:
        return self.layouts_dir / f"{name}.yaml"

    def load_layout(self, name: str, orientation: str | None = None) -> Layout:
        """The layout, its `extends` parents merged in, and the `portrait:` or `landscape:`
        section for the orientation (this run's, else the layout's own) merged on top."""
        path = self.layout_path(name)
        if not path.is_file():
            raise InfogenError(
                [
                    Diagnostic(
                        f"unknown layout '{name}'",
                        Location(display_path(self.layouts_dir)),
                        hint=f"available layouts: {', '.join(self.layouts()) or 'none'}",
                    )
                ]
            )
        node = with_orientation(self._layout_node(path, []), orientation)
        collector = Collector()
        reader = Reader(collector)
        layout = reader.dataclass(Layout, node, "")
        collector.raise_if_errors()
        _check_layout_references(layout, reader.locations)
        return self._with_font_files(layout, reader.locations)

    def _layout_node(self, path: Path, chain: list[Path]) -> Node:
        """The layout's YAML with every `extends:` parent merged in underneath it."""
        node = load_yaml(path)
        if not isinstance(node, yaml.MappingNode):
            return node
        extends = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "extends"]
        if not extends:
            return node
        key_node, value_node = extends[0]
        node.value = [(k, v) for k, v in node.value if k is not key_node]
        if not isinstance(value_node, yaml.ScalarNode) or not value_node.value:
            raise InfogenError(
                [Diagnostic("expected the path of a layout file", node_location(value_node), "extends")]
            )
        parent = self.resolve_named_path(value_node.value, node_location(value_node), "extends")
        if parent in chain or parent == path.resolve() or len(chain) >= MAX_EXTENDS:
            raise InfogenError(
                [
                    Diagnostic(
                        "layouts extend each other in a loop (or too deeply)",
                        node_location(value_node),
                        "extends",
                    )
                ]
            )
        if not parent.is_file():
            raise InfogenError(
                [Diagnostic(f"no layout file '{value_node.value}'", node_location(value_node), "extends")]
            )
        return merge_nodes(self._layout_node(parent, [*chain, path.resolve()]), node)

    def _with_font_files(self, layout: Layout, locations: dict[str, Location]) -> Layout:
        """Resolve each `fonts.*.file` safely; the font library then loads it directly."""
        fonts = {}
        for name, spec in layout.fonts.items():
            if spec.file is not None:
                key_path = f"fonts.{name}.file"
                resolved = self.resolve_named_path(spec.file, locations.get(key_path), key_path)
                spec = replace(spec, file=str(resolved))
            fonts[name] = spec
        return replace(layout, fonts=fonts)

    def load_content(
        self,
        lang: str,
        bullet_count: int | None = None,
        fallback: str | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> Content:
        """One language's content, checked against the structure (and, when the layout
        needs a fixed number of bullets per theme, against that number). With a
        `fallback` language, strings missing here are taken from it, one warning each."""
        path = self.lang_dir / f"{lang}.yaml"
        if not path.is_file():
            raise InfogenError(
                [
                    Diagnostic(
                        f"unknown language '{lang}'",
                        Location(display_path(self.lang_dir)),
                        hint=f"configured languages: {', '.join(self.languages()) or 'none'}; "
                        f"to add one, copy data/lang/en.yaml to data/lang/{lang}.yaml and translate it",
                    )
                ]
            )
        structure, structure_locations = read_file(Structure, self.data_dir / "theme.yaml")
        icons, _ = read_file(IconSet, self.data_dir / "icons.yaml")
        check_structure(structure, structure_locations, icons)
        if fallback and fallback != lang:
            node = load_yaml(path)
            base = load_yaml(self.lang_dir / f"{fallback}.yaml")
            for key_path in missing_keys(base, node):
                if warnings is not None:
                    warnings.append(
                        Diagnostic(
                            f"no translation; using the '{fallback}' text",
                            Location(display_path(path)),
                            key_path,
                            severity=Severity.WARNING,
                        )
                    )
            collector = Collector()
            reader = Reader(collector)
            strings = reader.dataclass(LanguageStrings, merge_nodes(base, node), "")
            collector.raise_if_errors()
            locations = reader.locations
        else:
            strings, locations = read_file(LanguageStrings, path)
        return resolve_content(structure, icons, strings, locations, path, bullet_count)

    def language_name(self, lang: str) -> str:
        """'Nederlands (Dutch)', read leniently: for listings, even of a broken file."""
        try:
            data = yaml.safe_load((self.lang_dir / f"{lang}.yaml").read_text(encoding="utf-8"))
            info = data.get("language", {})
            return f"{info.get('name', lang)} ({info.get('english_name', lang)})"
        except (OSError, yaml.YAMLError, AttributeError):
            return lang

    def string_keys(self, lang: str) -> set[str]:
        """Key paths of every string a language file has (for completeness reports)."""
        return set(leaf_paths(load_yaml(self.lang_dir / f"{lang}.yaml")))


ORIENTATIONS = ("portrait", "landscape")


def with_orientation(node: Node, orientation: str | None) -> Node:
    """Merge the section named after the page's orientation over the rest of the layout,
    as a designer's 'media query': e.g. `landscape: {body: {arrangement: rows}}`."""
    if not isinstance(node, yaml.MappingNode):
        return node
    sections = {
        k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value in ORIENTATIONS
    }
    rest = yaml.MappingNode(
        node.tag,
        [(k, v) for k, v in node.value if not (isinstance(k, yaml.ScalarNode) and k.value in ORIENTATIONS)],
        node.start_mark,
        node.end_mark,
    )
    if orientation is None:
        page = next((v for k, v in rest.value if isinstance(k, yaml.ScalarNode) and k.value == "page"), None)
        found = [v.value for k, v in getattr(page, "value", []) if getattr(k, "value", None) == "orientation"]
        orientation = found[0] if found and isinstance(found[0], str) else None
    section = sections.get(orientation or "")
    return merge_nodes(rest, section) if section is not None else rest


def leaf_paths(node: Node, prefix: str = "") -> list[str]:
    """Key paths of the scalar values and lists in a YAML mapping tree."""
    if not isinstance(node, yaml.MappingNode):
        return [prefix]
    paths = []
    for key_node, value in node.value:
        path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
        paths += leaf_paths(value, path)
    return paths


def missing_keys(base: Node, node: Node) -> list[str]:
    return sorted(set(leaf_paths(base)) - set(leaf_paths(node)))


def merge_nodes(base: Node, override: Node) -> Node:
    """Deep-merge two YAML mappings: the override's keys win, mappings merge, the rest
    (lists, scalars) is replaced. Nodes keep their own file and line for messages."""
    if not (isinstance(base, yaml.MappingNode) and isinstance(override, yaml.MappingNode)):
        return override
    merged = list(base.value)
    for key_node, value_node in override.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        for i, (base_key, base_value) in enumerate(merged):
            if isinstance(base_key, yaml.ScalarNode) and base_key.value == name:
                merged[i] = (key_node, merge_nodes(base_value, value_node))
                break
        else:
            merged.append((key_node, value_node))
    return yaml.MappingNode(override.tag, merged, override.start_mark, override.end_mark)


def _check_layout_references(layout: Layout, locations: dict[str, Location]) -> None:
    """Styles must name known fonts; every *_style key must name a known style."""
    collector = Collector()
    for name, style in layout.styles.items():
        if style.font not in layout.fonts:
            collector.error(
                f"unknown font '{style.font}'",
                locations.get(f"styles.{name}.font"),
                f"styles.{name}.font",
                f"fonts defined in `fonts`: {', '.join(layout.fonts)}",
            )
    style_refs = {
        "header.heading_style": layout.header.heading_style,
        "header.intro_style": layout.header.intro_style,
        "footer.style": layout.footer.style,
        "body.label.style": layout.body.label.style,
        "panel.title_style": layout.panel.title_style,
        "panel.bullets.style": layout.panel.bullets.style,
    }
    for path, style_name in style_refs.items():
        if style_name not in layout.styles:
            collector.error(
                f"unknown text style '{style_name}'",
                locations.get(path),
                path,
                f"styles defined in `styles`: {', '.join(layout.styles)}",
            )
    collector.raise_if_errors()


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


def clean(text: str) -> str:
    """Collapse YAML line folding and stray spaces into single spaces."""
    return _SPACES.sub(" ", text).strip()


def check_structure(structure: Structure, locations: dict[str, Location], icons: IconSet) -> None:
    """Ids are unique, every theme's icon exists, and there is something to show."""
    c = Collector()
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
    bullet_count: int | None = None,
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
    group_ids = [g.id for g in structure.groups]
    theme_ids = [t.id for g in structure.groups for t in g.themes]
    _match_keys(c, "groups", group_ids, strings.groups, locations, where)
    _match_keys(c, "themes", theme_ids, strings.themes, locations, where)
    _check_texts(c, strings, locations, where)
    if bullet_count is not None:
        for tid, theme in strings.themes.items():
            if len(theme.bullets) != bullet_count:
                c.error(
                    f"{len(theme.bullets)} bullets, but the layout needs exactly {bullet_count}",
                    locations.get(f"themes.{tid}.bullets", where),
                    f"themes.{tid}.bullets",
                    "write that many bullets, or change panel.bullets.count in the layout",
                )
    credits = fill_placeholders(
        c,
        strings.credits,
        {"authors": ", ".join(structure.credits.authors), "publisher": structure.credits.publisher},
        locations.get("credits", where),
        "credits",
    )
    c.raise_if_errors()
    groups = tuple(
        Group(
            id=g.id,
            label=clean(strings.groups[g.id]),
            themes=tuple(
                Theme(
                    id=t.id,
                    title=clean(strings.themes[t.id].title),
                    bullets=tuple(clean(b) for b in strings.themes[t.id].bullets),
                    icon=icons.icons[t.icon],
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
        heading=clean(strings.heading),
        intro=tuple(clean(p) for p in strings.intro),
        credits=clean(credits),
        authors=structure.credits.authors,
        groups=groups,
        icon_view_box=icons.view_box,
    )


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
    c: Collector, strings: LanguageStrings, locations: dict[str, Location], where: Location
) -> None:
    """Empty strings and control characters would render as nothing or as garbage."""
    texts: list[tuple[str, str]] = [("heading", strings.heading), ("credits", strings.credits)]
    texts += [("document.title", strings.document.title), ("document.subject", strings.document.subject)]
    texts += [(f"document.keywords[{i}]", k) for i, k in enumerate(strings.document.keywords)]
    texts += [(f"intro[{i}]", p) for i, p in enumerate(strings.intro)]
    texts += [(f"groups.{k}", v) for k, v in strings.groups.items()]
    for tid, theme in strings.themes.items():
        texts.append((f"themes.{tid}.title", theme.title))
        texts += [(f"themes.{tid}.bullets[{i}]", b) for i, b in enumerate(theme.bullets)]
    for path, text in texts:
        loc = locations.get(path, where)
        if not clean(text):
            c.error("text is empty", loc, path, "write the text, or copy it from data/lang/en.yaml")
        if len(text) > MAX_TEXT_CHARS:
            c.error(
                f"text is {len(text)} characters long; at most {MAX_TEXT_CHARS} are allowed",
                loc,
                path,
                "an infographic needs short texts: shorten it",
            )
        bad = sorted({ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs")})
        if bad:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
            c.error(f"text contains control characters ({codes})", loc, path, "remove them")
