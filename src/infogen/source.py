"""Reading YAML safely while keeping the line and column of every value.

Data and layouts come from many hands, so we never construct Python objects
from tags (safe loading only) and we keep the composed node tree: every
diagnostic can then point at the exact line and column of the value at fault.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, InfogenError, Location, printable

Node = yaml.Node
# Limits that no real infographic comes near (its files are a few kB, a few hundred
# values, five levels deep) and that keep hostile input cheap to refuse.
MAX_FILE_BYTES = 1_000_000  # a YAML file
MAX_PROFILE_BYTES = 8_000_000  # an ICC profile (FOGRA39 is 2 MB)
MAX_NODES = 20_000
MAX_DEPTH = 24
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    # 'value' and 'merge' are what plain '=' and '<<' resolve to: text or an unknown key, later.
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge", "map", "seq")
)


def display_path(path: Path) -> str:
    """Path as shown in messages: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def node_location(node: Node) -> Location:
    mark = node.start_mark
    if str(mark.name).startswith("--set "):  # a value from the command line: the argument
        return Location(str(mark.name))
    return Location(str(mark.name), mark.line + 1, mark.column + 1)


def read_regular_file(path: Path, limit: int, roots: Sequence[Path] | None = None) -> bytes:
    """The bytes of a file infogen reads: a regular file (not a FIFO, a device or a
    directory, which would hang a read or never end), no larger than `limit` — checked
    before reading — and, with `roots`, whose real path (links followed) lies inside one."""
    shown = display_path(path)

    def refuse(problem: str, hint: str = "") -> InfogenError:
        return InfogenError([Diagnostic(problem, Location(shown), hint=hint)])

    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError) as exc:
        raise refuse(f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    if roots is not None and not any(real.is_relative_to(root) for root in roots):
        raise refuse(
            "the file is a link to a place outside the project",
            "copy the file into the project, or allow its directory with --allow-dir",
        )
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file (a device, a pipe or a directory)", "name an ordinary file")
        if info.st_size > limit:
            raise refuse(f"file is {info.st_size} bytes, larger than the {limit} bytes allowed")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise refuse(f"file is larger than the {limit} bytes allowed")
        return b"".join(chunks)
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def load_yaml(path: Path, roots: Sequence[Path] | None = None) -> Node:
    """Compose one YAML file into a node tree, or raise a located diagnostic."""
    shown = display_path(path)
    raw = read_regular_file(path, MAX_FILE_BYTES, roots)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InfogenError(
            [
                Diagnostic(
                    f"not valid UTF-8 (byte {exc.start})",
                    Location(shown),
                    hint="save the file as UTF-8",
                )
            ]
        ) from None
    # libyaml's loader (when PyYAML has it) composes ten times faster and gives the same
    # nodes and marks; the stream's name is the name the marks carry in diagnostics.
    stream = io.StringIO(text)
    stream.name = shown
    try:
        loader = LOADER(stream)
        loader.name = shown
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a control byte: located by its offset
        raise _control_character(exc, text, shown) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise InfogenError([Diagnostic(f"invalid YAML: {exc.problem}", loc)]) from None
    except yaml.YAMLError as exc:
        raise InfogenError([Diagnostic(f"invalid YAML: {exc}", Location(shown))]) from None
    except RecursionError:
        raise InfogenError([Diagnostic("invalid YAML: nested too deeply", Location(shown))]) from None
    finally:
        if "loader" in locals():
            loader.dispose()
    if node is None:
        raise InfogenError([Diagnostic("file is empty", Location(shown))]) from None
    check_shape(node)
    flatten_merges(node)
    return node


LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _control_character(exc: yaml.reader.ReaderError, text: str, shown: str) -> InfogenError:
    line = text.count("\n", 0, exc.position) + 1
    col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    return InfogenError(
        [
            Diagnostic(
                f"invalid YAML: the file contains the control character U+{exc.character:04X}"
                if isinstance(exc.character, int)
                else f"invalid YAML: {exc.reason}",
                Location(shown, line, col),
                hint="remove it (write text as text; a YAML file cannot hold raw control bytes)",
            )
        ]
    )


MERGE = "tag:yaml.org,2002:merge"


def flatten_merges(root: Node) -> None:
    """Resolve YAML merge keys (`<<: *anchor`) in place, so a designer can reuse a part of
    a layout and change one key: `{<<: *badge, position: top}`. Keys written beside the
    merge win, then earlier merged mappings over later ones, as YAML specifies."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue  # an alias: the same node, already flattened
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        if not isinstance(node, yaml.MappingNode):
            continue
        explicit = [(k, v) for k, v in node.value if k.tag != MERGE]
        names = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
        for key_node, value in [(k, v) for k, v in node.value if k.tag == MERGE]:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise InfogenError(
                        [
                            Diagnostic(
                                "a merge key (<<) takes a mapping or a list of mappings",
                                node_location(key_node),
                                hint="write `<<: *anchor` where `&anchor` names a mapping",
                            )
                        ]
                    )
                flatten_merges(source)  # its own merge keys first, so its pairs are final
                for k, v in source.value:
                    if isinstance(k, yaml.ScalarNode) and k.value not in names:
                        explicit.append((k, v))
                        names.add(k.value)
        node.value = explicit
        stack.extend(v for _, v in node.value)


def check_shape(root: Node) -> None:
    """Refuse what no infographic needs and an attacker would use: deep nesting, alias
    bombs ("billion laughs": aliases that expand exponentially) and explicit tags."""
    visited = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            raise InfogenError(
                [
                    Diagnostic(
                        f"more than {MAX_NODES} values once aliases are expanded",
                        node_location(root),
                        hint="an infographic needs a few hundred; remove the anchors and aliases",
                    )
                ]
            )
        if depth > MAX_DEPTH:
            raise InfogenError([Diagnostic(f"nested more than {MAX_DEPTH} levels deep", node_location(node))])
        if node.tag not in PLAIN_TAGS:
            raise InfogenError(
                [
                    Diagnostic(
                        f"YAML tag '{node.tag}' is not allowed",
                        node_location(node),
                        hint="write plain values: text, numbers, true/false, lists and mappings",
                    )
                ]
            )
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    """A key written twice in one mapping: YAML forbids it, PyYAML silently keeps the last
    one, and a designer then edits the first and sees nothing change."""
    first: dict[str, Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == MERGE:
            continue
        if key.value in first:
            earlier = node_location(first[key.value])
            raise InfogenError(
                [
                    Diagnostic(
                        f"duplicate key '{printable(key.value, 80)}': it was already given at line {earlier.line}",
                        node_location(key),
                        hint="keep one of them (YAML does not allow a key twice in a mapping)",
                    )
                ]
            )
        first[key.value] = key


_constructor = yaml.constructor.SafeConstructor()


def scalar_value(node: yaml.ScalarNode) -> Any:
    """The plain Python value of a scalar node (str, int, float, bool or None)."""
    return _constructor.construct_object(node, deep=True)


# --- Node trees: merging layouts and finding keys, positions kept. ---

ORIENTATIONS = ("portrait", "landscape")


def with_orientation(node: Node, orientation: str | None) -> Node:
    """Merge the section named after the orientation over the rest of one layout file, as
    a designer's 'media query': e.g. `landscape: {body: [...]}`; the sections are dropped."""
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
    section = sections.get(orientation or "")
    return merge_nodes(rest, section) if section is not None else rest


def orientation_of(node: Node) -> str | None:
    """`page.orientation` as a layout (orientation sections left out) writes it."""
    if not isinstance(node, yaml.MappingNode):
        return None
    page = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "page"), None)
    if not isinstance(page, yaml.MappingNode):
        return None  # not a mapping: the schema reports it, at its place
    found = [v.value for k, v in page.value if isinstance(k, yaml.ScalarNode) and k.value == "orientation"]
    return found[0] if found and isinstance(found[0], str) else None


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
