"""`--set KEY=VALUE`: one layout value changed for one run, without editing the file.

The value is written into the layout's YAML node tree before it is read, so it is
validated exactly like the file's own keys (types, ranges, names, "did you mean"), and
every problem with it points at the `--set` argument instead of a line of the file.
"""

from __future__ import annotations

import re

import yaml

from .diagnostics import Diagnostic, InfogenError, Location, closest
from .source import Node, check_shape, flatten_merges

SET_PREFIX = "--set "  # the "file name" of nodes that come from the command line
SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d{1,4}\])*)$")
MAX_SET_CHARS = 4000


def set_location(argument: str) -> Location:
    return Location(f"{SET_PREFIX}{argument}")


def apply_setting(root: Node, argument: str) -> None:
    """Write `argument` ('styles.bullet.size=15pt', 'body[2].gap=4mm') into `root` in place;
    a mapping key that does not exist is added (and then refused by the schema with a
    suggestion, if it is not a key the layout has)."""
    where = set_location(argument)
    path, value = _split(argument, where)
    steps = _steps(path, where)
    value_node = _compose(value, argument, where)
    node = root
    for number, (name, indices) in enumerate(steps):
        last = number == len(steps) - 1 and not indices
        node = _child(node, name, where, path, value_node if last else None)
        for depth, index in enumerate(indices):
            if not isinstance(node, yaml.SequenceNode):
                raise _problem(f"'{name}' is not a list", where, path, "leave out the [index]")
            if index >= len(node.value):
                raise _problem(
                    f"'{name}' has {len(node.value)} items; there is no [{index}]",
                    where,
                    path,
                    f"count from 0: the last item is [{len(node.value) - 1}]",
                )
            if number == len(steps) - 1 and depth == len(indices) - 1:
                node.value[index] = value_node
                return
            node = node.value[index]


def _split(argument: str, where: Location) -> tuple[str, str]:
    if len(argument) > MAX_SET_CHARS:
        raise _problem(f"longer than {MAX_SET_CHARS} characters", where, "")
    path, sep, value = argument.partition("=")
    if not sep or not path.strip():
        raise _problem(
            "expected KEY=VALUE",
            where,
            "",
            "e.g. --set styles.bullet.size=15pt or --set 'styles.bullet.colour=#24313D'",
        )
    return path.strip(), value


def _steps(path: str, where: Location) -> list[tuple[str, list[int]]]:
    steps = []
    for segment in path.split("."):
        match = SEGMENT.match(segment)
        if not match:
            raise _problem(
                f"'{segment}' is not a key",
                where,
                path,
                "write key paths as in `infogen reference`: names joined by '.', list items as [N]",
            )
        steps.append((match[1], [int(i) for i in re.findall(r"\d+", match[2])]))
    return steps


def _compose(value: str, argument: str, where: Location) -> Node:
    """The value as YAML (15pt, {top: 2mm, ...}, {kind: spacer}), its marks naming the
    argument. A value starting with '#' is a colour, not the YAML comment it would be."""
    if value.lstrip().startswith("#"):
        value = yaml.safe_dump(value.strip(), default_style='"').strip()
    loader = yaml.SafeLoader(value)
    loader.name = f"{SET_PREFIX}{argument}"
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise _problem(f"the value is not valid YAML: {problem}", where, "") from None
    finally:
        loader.dispose()
    if node is None:  # `--set key=`: an empty value
        node = yaml.ScalarNode("tag:yaml.org,2002:null", "", _mark(where), _mark(where))
    check_shape(node)
    flatten_merges(node)
    return node


def _mark(where: Location) -> yaml.Mark:
    return yaml.Mark(where.file, 0, 0, 0, None, 0)


def _child(node: Node, name: str, where: Location, path: str, replace_with: Node | None) -> Node:
    if not isinstance(node, yaml.MappingNode):
        raise _problem(
            "the path goes through a value that is not a mapping",
            where,
            path,
            "check the key path with `infogen reference`",
        )
    for index, (key, value) in enumerate(node.value):
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            if replace_with is not None:
                node.value[index] = (key, replace_with)
                return replace_with
            return value
    if replace_with is None:  # only the last key may be new: `styles.bulet.size` is a typo
        known = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        parent = path.split(name)[0].rstrip(".") or "the layout"
        close = closest(name, known)
        raise _problem(
            f"{parent} has no '{name}'",
            where,
            path,
            (f"did you mean '{close}'? " if close else "")
            + f"{parent} has: {', '.join(known[:12]) or 'nothing'}",
        )
    key_node = yaml.ScalarNode("tag:yaml.org,2002:str", name, _mark(where), _mark(where))
    value = replace_with or yaml.MappingNode("tag:yaml.org,2002:map", [], _mark(where), _mark(where))
    node.value.append((key_node, value))
    return value


def _problem(message: str, where: Location, key_path: str, hint: str = "") -> InfogenError:
    return InfogenError([Diagnostic(message, where, key_path, hint)])
