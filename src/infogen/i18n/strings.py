"""The two sides of a translation, string by string: the English source (what there is to
translate) and one language file (what is translated, stale, or still English).

What is translatable is the content model's one list of strings: the English
`Content.strings` — keys, roles, places — and nothing else. Their texts are taken as the
English file writes them (placeholders such as `{authors}` kept, not filled in), since
that is what a translator must reproduce.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ..diagnostics import Location
from ..model.content import StringRole
from ..source import Node, display_path, load_yaml, node_location
from .hashes import source_hash
from .keys import Written, written_strings

SOURCE_LANG = "en"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

Status = Literal["translated", "missing", "identical", "stale"]


@dataclass(frozen=True)
class SourceString:
    """One string to translate, from the English side."""

    key: str  # key path: 'themes.harnessing-data.bullets[1]'
    text: str  # the English as written: folding collapsed, placeholders kept
    role: StringRole
    location: Location | None  # where data/lang/en.yaml has it

    @property
    def placeholders(self) -> tuple[str, ...]:
        return placeholders(self.text)

    @property
    def hash(self) -> str:
        return source_hash(self.text)


def placeholders(text: str) -> tuple[str, ...]:
    """The `{name}` placeholders of a text, sorted, each once."""
    return tuple(sorted(set(_PLACEHOLDER.findall(text))))


def source_strings(project: Any) -> tuple[SourceString, ...]:
    """Every translatable string, in reading order: the English Content's strings (the one
    list), with each text as data/lang/en.yaml writes it (an icon's alternative text that
    en.yaml leaves out is the description in data/icons.yaml)."""
    content = project.load_content(SOURCE_LANG)
    written = written_strings(load_yaml(project.lang_path(SOURCE_LANG), project.roots))
    return tuple(
        SourceString(s.key, written[s.key].text if s.key in written else s.text, s.role, s.location)
        for s in content.strings
    )


@dataclass(frozen=True)
class LanguageFile:
    """A language file read leniently — every string it has, by key path, and what the
    translation tools recorded — so an unfinished or broken file can still be counted."""

    lang: str
    path: Path
    texts: Mapping[str, Written]
    source_hashes: Mapping[str, str] = field(default_factory=dict)
    same_as_source: frozenset[str] = frozenset()
    record: Mapping[str, Location] = field(default_factory=dict)  # where each recorded key is

    @property
    def shown(self) -> str:
        return display_path(self.path)


def read_language_file(project: Any, lang: str) -> LanguageFile:
    """The file's strings and its `translation:` record; raises InfogenError only when the
    file is not YAML at all."""
    path = project.lang_path(lang)
    node = load_yaml(path, project.roots)
    texts = written_strings(node)
    record = _child(node, "translation")
    hashes, same, where = {}, set(), {}
    hash_node = _child(record, "source_hashes")
    if isinstance(hash_node, yaml.MappingNode):
        for key_node, value in hash_node.value:
            if isinstance(key_node, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                hashes[str(key_node.value)] = str(value.value)
                where[str(key_node.value)] = node_location(key_node)
    same_node = _child(record, "same_as_source")
    if isinstance(same_node, yaml.SequenceNode):
        for item in same_node.value:
            if isinstance(item, yaml.ScalarNode):
                same.add(str(item.value))
                where.setdefault(str(item.value), node_location(item))
    texts = {k: v for k, v in texts.items() if not k.startswith(("translation.", "language."))}
    return LanguageFile(lang, path, texts, hashes, frozenset(same), where)


def string_status(source: SourceString, file: LanguageFile) -> Status:
    """What one string of a language is: `missing` (no text), `identical` (still the English,
    and neither marked as meant to be nor without letters, like '2024'), `stale` (the English
    changed after it was translated) or `translated`."""
    written = file.texts.get(source.key)
    if written is None or not written.text:
        return "missing"
    if (
        written.text == source.text
        and source.key not in file.same_as_source
        and any(ch.isalpha() for ch in source.text)
    ):
        return "identical"
    recorded = file.source_hashes.get(source.key)
    if recorded is not None and recorded != source.hash:
        return "stale"
    return "translated"


def _child(node: Node | None, name: str) -> Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)
