"""Where a project keeps its files, and loading them into the validated model.

A project is a directory with `data/` (theme.yaml, icons.yaml, lang/<code>.yaml),
`layouts/<name>.yaml` and optionally `fonts/`. Everything read here is checked
completely before anything is laid out, and every problem is reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, reduce
from pathlib import Path
from typing import TypeVar

import yaml

from .diagnostics import Collector, Diagnostic, InfogenError, Location, Severity, closest
from .model.check import check_layout
from .model.content import (
    Content,
    IconSet,
    LanguageStrings,
    Structure,
)
from .model.layout import Layout
from .model.resolve import check_structure, resolve_content
from .model.schema import INVALID, Reader
from .source import (
    ORIENTATIONS,
    Node,
    display_path,
    leaf_paths,
    load_yaml,
    merge_nodes,
    missing_keys,
    node_location,
    orientation_of,
    with_orientation,
)

T = TypeVar("T")
MAX_EXTENDS = 8


def read_node(cls: type[T], node: Node) -> tuple[T, dict[str, Location]]:
    """A YAML node tree as `cls`, and where each key was read; raise with every problem."""
    collector = Collector()
    reader = Reader(collector)
    value = reader.dataclass(cls, node, "")
    collector.raise_if_errors()
    assert value is not INVALID
    return value, reader.locations


def read_file(cls: type[T], path: Path, roots: tuple[Path, ...]) -> tuple[T, dict[str, Location]]:
    """Load one YAML file as `cls`; raise with every problem found."""
    return read_node(cls, load_yaml(path, roots))


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Project:
    root: Path
    # Directories outside the project that data and layout files may name (--allow-dir).
    allowed_dirs: tuple[Path, ...] = ()
    # Layouts named by path on the command line (`--layout ~/designs/poster.yaml`): name → file.
    layout_files: tuple[tuple[str, Path], ...] = ()
    # `--set KEY=VALUE` overrides, applied over every layout, validated like its keys.
    overrides: tuple[str, ...] = ()
    _parsed: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)

    def resolve_named_path(self, value: str, location: Location | None, key_path: str) -> Path:
        """A path named in a data or layout file, relative to the project root.

        It must stay inside the project or an allowed directory: a layout from a pull
        request must not read ../../etc/passwd or /home/someone/.ssh."""
        if "\x00" in value or len(value) > 1024 or any(len(part) > 255 for part in value.split("/")):
            raise InfogenError(
                [
                    Diagnostic(
                        "not a usable file name (a NUL byte, or longer than file systems allow)",
                        location,
                        key_path,
                        "name a file inside the project, relative to its root (e.g. fonts/MyFont.ttf)",
                    )
                ]
            )
        path = Path(value)
        roots = list(self.roots)
        try:
            target = (path if path.is_absolute() else self.root / path).resolve()
        except (OSError, RuntimeError) as exc:  # a loop of links
            raise InfogenError([Diagnostic(f"cannot follow '{value}': {exc}", location, key_path)]) from None
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

    @cached_property
    def roots(self) -> tuple[Path, ...]:
        """Where the files infogen reads may really be: the project, and --allow-dir."""
        extra = [*self.allowed_dirs, *(path.parent for _, path in self.layout_files)]
        return (self.root.resolve(), *dict.fromkeys(d.resolve() for d in extra))

    def check_name(self, name: str, what: str, known: list[str]) -> None:
        """A layout or language is named, not given as a path: its file is always
        layouts/NAME.yaml or data/lang/NAME.yaml, and its outputs OUT/LAYOUT-LANG.EXT."""
        if NAME.match(name):
            return
        shown = name.encode("unicode_escape").decode("ascii")[:60]
        hint = _did_you_mean(name, known)
        raise InfogenError(
            [
                Diagnostic(
                    f"'{shown}' is not a {what} name",
                    hint=hint
                    + f"a {what} is named by letters, digits, '-' and '_' (known: {', '.join(known) or 'none'})",
                )
            ]
        )

    def unknown(self, what: str, name: str) -> tuple[str, Location, str, str]:
        """The message, place, key and hint for a layout or language that does not exist."""
        if what == "layout":
            known = self.layouts()
            hint = f"available layouts: {', '.join(known) or 'none'}"
            return (
                f"unknown layout '{name}'",
                Location(display_path(self.layouts_dir)),
                "",
                _did_you_mean(name, known) + hint,
            )
        known = self.languages()
        close = _did_you_mean(name, known)
        hint = f"configured languages: {', '.join(known) or 'none'}"
        if not close:  # a new language, not a typo of a configured one
            hint += f"; to add one, copy data/lang/en.yaml to data/lang/{name.lower()}.yaml and translate it"
        return (f"unknown language '{name}'", Location(display_path(self.lang_dir)), "", close + hint)

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
        return sorted(p.stem for p in self.lang_dir.glob("*.yaml") if NAME.match(p.stem))

    def layouts(self) -> list[str]:
        shipped = {p.stem for p in self.layouts_dir.glob("*.yaml") if NAME.match(p.stem)}
        return sorted(shipped | {name for name, _ in self.layout_files})

    def layout_path(self, name: str) -> Path:
        """layouts/NAME.yaml, or the file given for NAME by path on the command line."""
        return dict(self.layout_files).get(name) or self.layouts_dir / f"{name}.yaml"

    def lang_path(self, lang: str) -> Path:
        return self.lang_dir / f"{lang}.yaml"

    def load_layout(self, name: str, orientation: str | None = None) -> Layout:
        return self.read_layout(name, orientation)[0]

    def read_layout(
        self, name: str, orientation: str | None = None, warnings: list[Diagnostic] | None = None
    ) -> tuple[Layout, dict[str, Location]]:
        """The layout, its `extends` parents merged in, and the `portrait:` or `landscape:`
        section for the orientation (this run's, else the layout's own) merged on top;
        and where each of its keys was written."""
        self.check_name(name, "layout", self.layouts())
        path = self.layout_path(name)
        if not path.exists():
            raise InfogenError([Diagnostic(*self.unknown("layout", name))])
        # A cascade, like CSS: each file's orientation section over that file, and each
        # file over the one it extends; the orientation is this run's, else the layout's.
        files = self._layout_files(path, [])
        plain = self._with_settings(reduce(merge_nodes, [with_orientation(n, None) for n in files]))
        orientation = orientation or orientation_of(plain)
        node = self._with_settings(reduce(merge_nodes, [with_orientation(n, orientation) for n in files]))
        layout, locations = read_node(Layout, node)
        try:
            group_ids: list[str] | None = [g.id for g in self.structure[0].groups]
        except InfogenError:
            group_ids = None  # reported with the language, not twice
        found = check_layout(layout, locations, group_ids)
        if warnings is not None:
            warnings.extend(found)
        return self._with_font_files(layout, locations), locations

    def orientation_sections(self, name: str) -> set[str]:
        """The orientations the layout (or one it extends) has a `portrait:` or
        `landscape:` section for: the ones it is designed to be rendered in, too."""
        self.check_name(name, "layout", self.layouts())
        path = self.layout_path(name)
        if not path.exists():
            raise InfogenError([Diagnostic(*self.unknown("layout", name))])
        return {
            k.value
            for node in self._layout_files(path, [])
            if isinstance(node, yaml.MappingNode)
            for k, _ in node.value
            if isinstance(k, yaml.ScalarNode) and k.value in ORIENTATIONS
        }

    def _with_settings(self, node: Node) -> Node:
        """The `--set` overrides written over the merged layout, last word of the cascade."""
        from .settings import apply_setting

        for argument in self.overrides:
            apply_setting(node, argument)
        return node

    def _layout_files(self, path: Path, chain: list[Path]) -> list[Node]:
        """The layout's YAML and that of every layout it `extends:`, the furthest first."""
        node = load_yaml(path, self.roots)
        if not isinstance(node, yaml.MappingNode):
            return [node]
        extends = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "extends"]
        if not extends:
            return [node]
        key_node, value_node = extends[0]
        node.value = [(k, v) for k, v in node.value if k is not key_node]
        if not isinstance(value_node, yaml.ScalarNode) or not value_node.value:
            raise InfogenError(
                [Diagnostic("expected the path of a layout file", node_location(value_node), "extends")]
            )
        named = value_node.value
        if NAME.match(named) and named in self.layouts():  # `extends: default`: a layout's name
            parent = self.layout_path(named).resolve()
            if parent == path.resolve():  # a draft named like the layout it extends
                parent = (self.layouts_dir / f"{named}.yaml").resolve()
        else:
            parent = self.resolve_named_path(named, node_location(value_node), "extends")
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
                [
                    Diagnostic(
                        f"no layout file '{value_node.value}'",
                        node_location(value_node),
                        "extends",
                        _did_you_mean(Path(value_node.value).stem, self.layouts())
                        + "name a layout (one of "
                        + (", ".join(self.layouts()) or "none")
                        + "), or a file by its path from the project root, e.g. layouts/default.yaml",
                    )
                ]
            )
        return [*self._layout_files(parent, [*chain, path.resolve()]), node]

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
        max_bullets: int | None = None,
        fallback: str | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> Content:
        """One language's content, checked against the structure (and against the most
        bullets per theme the layout shows). With a
        `fallback` language, strings missing here are taken from it, one warning each."""
        self.check_name(lang, "language", self.languages())
        path = self.lang_path(lang)
        if not path.exists() and lang in self.pseudo_languages():
            return self._pseudo_content(lang, max_bullets)
        if not path.exists():
            raise InfogenError([Diagnostic(*self.unknown("language", lang))])
        structure, icons = self.structure
        if fallback and fallback != lang:
            node = load_yaml(path, self.roots)
            base = self._fallback_node(fallback)
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
            strings, locations = read_node(LanguageStrings, merge_nodes(base, node))
        else:
            strings, locations = read_file(LanguageStrings, path, self.roots)
        return resolve_content(structure, icons, strings, locations, path, max_bullets)

    @cached_property
    def structure(self) -> tuple[Structure, IconSet]:
        """theme.yaml and icons.yaml, checked against each other: read once per render,
        however many languages it covers."""
        structure, locations = read_file(Structure, self.data_dir / "theme.yaml", self.roots)
        icons, icon_locations = read_file(IconSet, self.data_dir / "icons.yaml", self.roots)
        check_structure(structure, locations, icons, icon_locations)
        return structure, icons

    def _fallback_node(self, lang: str) -> Node:
        """The fallback language's YAML, parsed once however many languages fall back to it."""
        if lang not in self._parsed:
            self._parsed[lang] = load_yaml(self.lang_path(lang), self.roots)
        return self._parsed[lang]

    def pseudo_languages(self) -> list[str]:
        """The pseudo-locales (`qps`, `qps-rtl`: the English, longer and accented), made at load
        time; not in `languages()`, so `--lang all` leaves them out. A file of that name wins."""
        from .i18n.pseudo import PSEUDO_LOCALES

        return [code for code in PSEUDO_LOCALES if not self.lang_path(code).exists()]

    def has_language(self, lang: str) -> bool:
        return lang in self.languages() or lang in self.pseudo_languages()

    def _pseudo_content(self, lang: str, max_bullets: int | None) -> Content:
        from .i18n.pseudo import pseudo_node

        structure, icons = self.structure
        node = pseudo_node(self._fallback_node("en"), lang)
        strings, locations = read_node(LanguageStrings, node)
        return resolve_content(structure, icons, strings, locations, self.lang_path(lang), max_bullets)

    def language_name(self, lang: str) -> str:
        """'Nederlands (Dutch)', read leniently (for listings, even of a file that does not
        validate), but through the same safe, bounded loader as everything else."""
        if not self.lang_path(lang).exists() and lang in self.pseudo_languages():
            from .i18n.pseudo import NAMES

            return f"{NAMES[lang][0]} ({NAMES[lang][1]})"
        try:
            node = load_yaml(self.lang_path(lang), self.roots)
        except InfogenError:
            return lang
        info = _child(node, "language")
        return f"{_scalar(info, 'name') or lang} ({_scalar(info, 'english_name') or lang})"

    def string_keys(self, lang: str) -> set[str]:
        """Key paths of every string a language file has (for completeness reports)."""
        return set(leaf_paths(load_yaml(self.lang_path(lang), self.roots)))


def _did_you_mean(name: str, known: list[str]) -> str:
    """'did you mean 'nl'? ' for 'NL' or 'nll'; '' when nothing is close."""
    close = next((k for k in known if k.lower() == name.lower()), None) or closest(name, known)
    return f"did you mean '{close}'? " if close else ""


def _child(node: Node | None, name: str) -> Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)


def _scalar(node: Node | None, name: str) -> str | None:
    value = _child(node, name)
    return value.value if isinstance(value, yaml.ScalarNode) else None
