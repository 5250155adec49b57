"""Writing translations into a language file without disturbing anything else in it.

A language file is a translator's document: its comments, key order, quoting, folded
paragraphs and blank lines are theirs. ruamel.yaml's round trip keeps all of them; only
the values that change are rewritten, in the style of the value they replace (a folded
paragraph stays folded, wrapped like before). A file ruamel.yaml cannot reproduce byte
for byte is refused rather than silently reformatted. Only this module writes YAML.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..diagnostics import Diagnostic, InfogenError, Location
from .keys import Part, parse_key

RECORD = "translation"
RECORD_COMMENT = (
    "\nWritten by `infogen i18n import` and `infogen i18n stamp`: the strings meant to read as in\n"
    "English (same_as_source), and a hash of the English each translation was made from\n"
    "(source_hashes), by which `infogen i18n status` finds stale translations."
)
# (mapping indent, sequence indent, dash offset) styles tried, the shipped files' first.
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))


@dataclass(frozen=True)
class Edits:
    """What an import or a stamp changes in one language file."""

    texts: Mapping[str, str] = field(default_factory=dict)  # key path -> new text
    hashes: Mapping[str, str] = field(default_factory=dict)  # key path -> source hash to record
    mark: frozenset[str] = frozenset()  # keys to add to same_as_source
    unmark: frozenset[str] = frozenset()  # keys to remove from it

    def __bool__(self) -> bool:
        return bool(self.texts or self.hashes or self.mark or self.unmark)


def apply_edits(text: str, shown: str, edits: Edits, template: Sequence[tuple[str, str]]) -> str:
    """The file's text with the edits made. `template` is the English (key path, text) in
    its file's order: where a key is missing it is inserted in the English order, and a
    missing panel or list is created from the English, so the file stays complete."""
    yaml, data = _round_trip(text, shown)
    if not isinstance(data, CommentedMap):
        raise InfogenError([Diagnostic("expected a mapping of keys", Location(shown))])
    tree = _Template(template)
    for key in sorted(edits.texts, key=tree.position):
        _set(data, parse_key(key), edits.texts[key], tree)
    _record(data, edits, tree)
    return _dump(yaml, data)


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line: folded paragraphs keep their own breaks
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _round_trip(text: str, shown: str) -> tuple[YAML, Any]:
    """A YAML writer that reproduces this file exactly, and the file's document."""
    for style in _STYLES:
        yaml = _yaml(*style)
        try:
            data = yaml.load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
            raise InfogenError([Diagnostic(f"invalid YAML: {exc.problem}", where)]) from None
        except YAMLError as exc:
            raise InfogenError([Diagnostic(f"invalid YAML: {exc}", Location(shown))]) from None
        if _dump(yaml, data) == text:
            return yaml, data
    raise InfogenError(
        [
            Diagnostic(
                "the file cannot be rewritten without changing more than its strings (its indentation "
                "or quoting is unusual); nothing was written",
                Location(shown),
                hint="indent mappings by 2 spaces and list items by 2 (`  - item`), as data/lang/en.yaml "
                "does, or copy the translations in by hand",
            )
        ]
    )


class _Template:
    """The English file's shape: each key's text, and each mapping's keys in their order."""

    def __init__(self, template: Sequence[tuple[str, str]]) -> None:
        self.order = {key: i for i, (key, _) in enumerate(template)}
        self.texts: dict[tuple[Part, ...], str] = {}
        self.children: dict[tuple[Part, ...], list[Part]] = {}
        for key, text in template:
            parts = parse_key(key)
            self.texts[parts] = text
            for depth in range(len(parts)):
                kids = self.children.setdefault(parts[:depth], [])
                if parts[depth] not in kids:
                    kids.append(parts[depth])

    def position(self, key: str) -> tuple[int, str]:
        return (self.order.get(key, len(self.order)), key)

    def build(self, path: tuple[Part, ...]) -> Any:
        """A fresh value for `path`, as the English has it (a panel: title and bullets)."""
        if path in self.texts:
            return self.texts[path]
        kids = self.children.get(path, [])
        if kids and isinstance(kids[0], int):
            return CommentedSeq([self.build((*path, k)) for k in kids])
        mapping = CommentedMap()
        for kid in kids:
            mapping[kid] = self.build((*path, kid))
        return mapping


def _set(root: CommentedMap, parts: tuple[Part, ...], value: str, tree: _Template) -> None:
    node: Any = root
    for depth, part in enumerate(parts[:-1]):
        child = _get(node, part)
        if not isinstance(child, (CommentedMap, CommentedSeq)):
            child = tree.build(parts[: depth + 1])
            _put(node, part, child, tree, parts[:depth])
        node = child
    _put(node, parts[-1], _styled(_get(node, parts[-1]), value), tree, parts[:-1])


def _get(node: Any, part: Part) -> Any:
    if isinstance(node, CommentedMap) and isinstance(part, str):
        return node.get(part)
    if isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
        return node[part]
    return None


def _put(node: Any, part: Part, value: Any, tree: _Template, parent: tuple[Part, ...]) -> None:
    """Set a mapping key or list item; a new key goes where the English has it."""
    if isinstance(node, CommentedSeq) and isinstance(part, int):
        while len(node) < part:  # the items before it, from the English
            node.append(tree.build((*parent, len(node))))
        if part == len(node):
            node.append(value)
        else:
            node[part] = value
        return
    if part in node:
        node[part] = value
        return
    order = tree.children.get(parent, [])
    keys = list(node)
    before = [k for k in order[: order.index(part)] if k in node] if part in order else []
    after = [k for k in order[order.index(part) + 1 :] if k in node] if part in order else []
    if before:
        at = keys.index(before[-1]) + 1
    elif after:
        at = keys.index(after[0])
    else:
        at = keys.index(RECORD) if RECORD in keys else len(keys)
    node.insert(at, part, value)


def _styled(old: Any, value: str) -> Any:
    """The new text in the style of the old: folded stays folded, quoted stays quoted."""
    if isinstance(old, FoldedScalarString):
        new = FoldedScalarString(value)
        new.fold_pos = _folds(value, _width(old))
        return new
    if isinstance(old, (LiteralScalarString, SingleQuotedScalarString, DoubleQuotedScalarString)):
        return type(old)(value)
    return value


def _width(old: FoldedScalarString) -> int:
    """The longest line of a folded paragraph, as its author wrapped it."""
    cuts = [-1, *getattr(old, "fold_pos", []), len(old)]
    return max(60, *(b - a - 1 for a, b in zip(cuts, cuts[1:], strict=False)))


def _folds(text: str, width: int) -> list[int]:
    """Where to break a folded paragraph (the positions of the spaces that become line
    breaks): greedily, at most `width` characters a line."""
    folds, start, last_space = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " ":
            if i - start > width and last_space > start:
                folds.append(last_space)
                start = last_space + 1
            last_space = i
    if len(text) - start > width and last_space > start:
        folds.append(last_space)
    return folds


def _record(root: CommentedMap, edits: Edits, tree: _Template) -> None:
    """Record source hashes and same-as-English marks in the `translation:` section."""
    if not (edits.hashes or edits.mark or edits.unmark):
        return
    record = root.get(RECORD)
    if not isinstance(record, CommentedMap):
        record = CommentedMap()
        root[RECORD] = record
        root.yaml_set_comment_before_after_key(RECORD, before=RECORD_COMMENT, indent=0)
    same = record.get("same_as_source")
    marks = [k for k in (same or []) if k not in edits.unmark]
    marks += [k for k in sorted(edits.mark, key=tree.position) if k not in marks]
    marks.sort(key=tree.position)
    if marks and list(same or []) != marks:
        if isinstance(same, CommentedSeq):
            same[:] = marks
        else:
            record.insert(0, "same_as_source", CommentedSeq(marks))
    elif not marks and same is not None:
        del record["same_as_source"]
    if edits.hashes:
        hashes = record.get("source_hashes")
        if not isinstance(hashes, CommentedMap):
            hashes = CommentedMap()
            record["source_hashes"] = hashes
        for key in sorted(edits.hashes, key=tree.position):
            if key in hashes:
                hashes[key] = edits.hashes[key]
                continue
            later = [i for i, k in enumerate(hashes) if tree.position(str(k)) > tree.position(key)]
            hashes.insert(later[0] if later else len(hashes), key, edits.hashes[key])
    if not record:
        del root[RECORD]
