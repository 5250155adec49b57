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
MAX_FILE_BYTES = 2_000_000  # an infographic's data is a few kB; refuse anything absurd


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
    finally:
        loader.dispose()
    if node is None:
        raise InfogenError([Diagnostic("file is empty", Location(shown))]) from None
    return node


_constructor = yaml.constructor.SafeConstructor()


def scalar_value(node: yaml.ScalarNode) -> Any:
    """The plain Python value of a scalar node (str, int, float, bool or None)."""
    return _constructor.construct_object(node, deep=True)
