"""Key paths — `themes.harnessing-data.bullets[1]` — and what they mean to a translator.

A key path names one string of a language file. It is the name every tool uses for it:
the content model's PageString, the diagnostics, a PO entry's msgctxt and an XLIFF unit's
id. Here: parsing and joining key paths, and reading the text leaves of a YAML node tree
by key path (with their line and column), leniently, so an unfinished file can be counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..diagnostics import Location
from ..model.resolve import clean
from ..source import Node, node_location

Part = str | int
_PART = re.compile(r"([^.\[\]]+)|\[(\d{1,4})\]")


def parse_key(path: str) -> tuple[Part, ...]:
    """'themes.x.bullets[1]' -> ('themes', 'x', 'bullets', 1); ValueError if malformed."""
    parts: list[Part] = [int(index) if index else name for name, index in _PART.findall(path)]
    if not parts or join_key(parts) != path:
        raise ValueError(f"not a key path: {path!r}")
    return tuple(parts)


def join_key(parts: tuple[Part, ...] | list[Part]) -> str:
    """The inverse of parse_key."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class Written:
    """A string as a file writes it: YAML folding collapsed, placeholders kept."""

    text: str
    location: Location


def written_strings(node: Node, prefix: tuple[Part, ...] = ()) -> dict[str, Written]:
    """Every scalar leaf of a YAML tree by key path, in file order. Lenient: a value of
    the wrong shape is simply not a string here (the validator reports it)."""
    found: dict[str, Written] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                found |= written_strings(value, (*prefix, str(key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            found |= written_strings(value, (*prefix, index))
    elif isinstance(node, yaml.ScalarNode) and prefix and node.tag != "tag:yaml.org,2002:null":
        found[join_key(prefix)] = Written(clean(str(node.value)), node_location(node))
    return found


@dataclass(frozen=True)
class Context:
    """Where a string stands on the page, for a translator: the panel and the field."""

    panel: str | None  # the theme id, for a panel's strings
    field: str  # 'title', 'bullets[1]', 'heading', 'intro[0]', ...
    description: str  # 'panel harnessing-data, bullet 2'


def context_of(key: str) -> Context:
    """The panel, field and a plain description of a key path."""
    parts = parse_key(key)
    head = parts[0]
    if head == "themes" and len(parts) >= 3:
        panel, field = str(parts[1]), join_key(list(parts[2:]))
        what = "title" if field == "title" else f"bullet {int(parts[3]) + 1}" if len(parts) > 3 else field
        return Context(panel, field, f"the panel's {what}")
    if head == "groups" and len(parts) == 2:
        return Context(None, key, f"label of the group {parts[1]}")
    if head == "icons" and len(parts) == 2:
        return Context(
            None, key, f"icon {parts[1]}: its alternative text, read by screen readers, not printed"
        )
    if head == "intro" and len(parts) == 2:
        return Context(None, key, f"intro, paragraph {int(parts[1]) + 1}")
    if head == "document":
        what = "search keyword" if len(parts) > 2 else str(parts[1])
        return Context(None, key, f"document {what} (PDF and SVG metadata, not printed)")
    if head == "credits":
        return Context(None, key, "the credits line")
    return Context(None, key, f"the page's {key}")
