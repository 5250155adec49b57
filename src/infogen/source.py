"""Reading YAML safely while keeping the line and column of every value.

Data and layouts come from many hands, so we never construct Python objects
from tags (safe loading only) and we keep the composed node tree: every
diagnostic can then point at the exact line and column of the value at fault.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, InfogenError, Location

Node = yaml.Node
# Limits that no real infographic comes near (its files are a few kB, a few hundred
# values, five levels deep) and that keep hostile input cheap to refuse.
MAX_FILE_BYTES = 1_000_000
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
    return Location(str(mark.name), mark.line + 1, mark.column + 1)


def load_yaml(path: Path) -> Node:
    """Compose one YAML file into a node tree, or raise a located diagnostic."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InfogenError([Diagnostic(f"cannot read file: {exc.strerror}", Location(shown))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InfogenError(
            [Diagnostic(f"file is larger than {MAX_FILE_BYTES} bytes", Location(shown))]
        ) from None
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
    loader = yaml.SafeLoader(text)
    loader.name = shown  # marks carry the name shown in diagnostics
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise InfogenError([Diagnostic(f"invalid YAML: {exc.problem}", loc)]) from None
    except yaml.YAMLError as exc:
        raise InfogenError([Diagnostic(f"invalid YAML: {exc}", Location(shown))]) from None
    except RecursionError:
        raise InfogenError([Diagnostic("invalid YAML: nested too deeply", Location(shown))]) from None
    finally:
        loader.dispose()
    if node is None:
        raise InfogenError([Diagnostic("file is empty", Location(shown))]) from None
    check_shape(node)
    return node


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
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)


_constructor = yaml.constructor.SafeConstructor()


def scalar_value(node: yaml.ScalarNode) -> Any:
    """The plain Python value of a scalar node (str, int, float, bool or None)."""
    return _constructor.construct_object(node, deep=True)
