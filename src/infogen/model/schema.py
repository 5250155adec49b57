"""Typed reading of YAML node trees into frozen dataclasses.

One general mechanism for every input file: a dataclass declares the keys,
their types, ranges and documentation; `read()` walks the YAML nodes, converts
values, and collects *every* problem with its line and column. The same
declarations produce the layout reference in the README (`infogen reference`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import yaml

from ..diagnostics import Collector, Location, closest
from ..source import Node, node_location, scalar_value
from ..units import Colour, Paper, Pt, parse_colour, parse_length, parse_paper

T = TypeVar("T")


@dataclass(frozen=True)
class TextValue:
    """A value written as text in YAML and parsed by infogen (lengths, colours, paper)."""

    parse: Callable[[str], Any]
    expected: str  # for messages: "a length such as '5mm' or '12pt'"
    name: str  # for the reference table


TEXT_VALUES: dict[Any, TextValue] = {
    Pt: TextValue(parse_length, "a length such as '5mm' or '12pt'", "length"),
    Colour: TextValue(parse_colour, "a colour such as '#1F4E79', 'cmyk(90, 20, 40, 10)' or both", "colour"),
    Paper: TextValue(
        parse_paper, "a paper size such as 'A3', 'letter' or '420x297mm' (at most 200in a side)", "paper size"
    ),
}
MAX_LENGTH = 5000.0  # pt (1.76 m): the upper bound of every length that names none
MAX_ITEMS = 100  # the most items of any list or mapping that names no count


def field_bounds(cls: type, name: str) -> tuple[float | None, float | None]:
    """The documented range of one key of a model class (for command-line options)."""
    spec = next(f for f in dataclasses.fields(cls) if f.name == name)
    return bounds(type_hints(cls)[name], spec.metadata)


def bounds(tp: Any, meta: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """A key's documented range; lengths are always bounded."""
    low, high = meta.get("min"), meta.get("max")
    if tp is Pt and high is None:
        high = MAX_LENGTH
    return low, high


def key(
    doc: str,
    *,
    default: Any = MISSING,
    min: float | None = None,
    max: float | None = None,
    items: tuple[int, int] | None = None,
    ref: str | None = None,
) -> Any:
    """Declare a YAML key: its documentation; for numbers and lengths, their range; for
    lists and mappings, how many items they may hold (which also bounds hostile input);
    for a name, the top-level mapping it must be a key of (`ref="styles"`)."""
    metadata = {"doc": doc, "min": min, "max": max, "items": items, "ref": ref}
    if default is MISSING:
        return field(metadata=metadata)
    if isinstance(default, dict):  # a mapping that may be left out: a fresh one each time
        return field(default_factory=lambda: dict(default), metadata=metadata)
    return field(default=default, metadata=metadata)


class _Invalid:
    """Marker for a value that failed to convert (already reported)."""


INVALID: Any = _Invalid()


@dataclass
class Reader:
    """Converts nodes to typed values, reporting problems into `collector`."""

    collector: Collector
    # Where each key path was read from, so later cross-checks can point at it.
    locations: dict[str, Location] = field(default_factory=dict)

    def read(self, tp: Any, node: Node, path: str, meta: dict[str, Any] | None = None) -> Any:
        meta = meta or {}
        self.locations[path] = node_location(node)
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            if len(options) > 1:
                return self._tagged(options, node, path)
            if _is_null(node):
                return None
            return self.read(options[0], node, path, meta)
        if origin is Literal:
            return self._literal(get_args(tp), node, path)
        if origin in (tuple, list):
            return self._sequence(get_args(tp)[0], node, path, meta)
        if origin is dict:
            return self._mapping(get_args(tp)[1], node, path, meta)
        if dataclasses.is_dataclass(tp) and tp not in TEXT_VALUES:
            return self.dataclass(tp, node, path)  # type: ignore[arg-type]
        return self._scalar(tp, node, path, meta)

    def _tagged(self, options: list[type], node: Node, path: str) -> Any:
        """A tagged union: the `kind:` key chooses the dataclass, as in `{kind: grid, ...}`."""
        kinds = tagged_kinds(options)
        if not isinstance(node, yaml.MappingNode):
            return self._fail(node, path, f"expected a mapping with a `kind:` ({', '.join(kinds)})")
        kind_node = next((v for k, v in node.value if getattr(k, "value", None) == "kind"), None)
        if kind_node is None:
            self.collector.error(
                "missing key 'kind'", node_location(node), path, f"kinds: {', '.join(kinds)}"
            )
            return INVALID
        name = kind_node.value if isinstance(kind_node, yaml.ScalarNode) else None
        if name not in kinds:
            close = closest(str(name), kinds)
            hint = f"did you mean '{close}'?" if close else f"kinds: {', '.join(kinds)}"
            self.collector.error(
                f"unknown kind {_show(kind_node)}", node_location(kind_node), f"{path}.kind", hint
            )
            return INVALID
        return self.dataclass(kinds[name], node, path)

    def dataclass(self, cls: type[T], node: Node, path: str) -> T:
        if not isinstance(node, yaml.MappingNode):
            return self._fail(node, path, f"expected a mapping of keys ({_keys_hint(cls)})")
        hints = type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        given = self._pairs(node, path)
        values: dict[str, Any] = {}
        mistyped: set[str] = set()  # required keys given under a misspelt name: reported once
        for name, (key_node, value_node) in given.items():
            spec = fields.get(name)
            if spec is None:
                close = closest(name, fields)
                hint = f"did you mean '{close}'?" if close else f"known keys: {', '.join(fields)}"
                if close and close not in given:
                    mistyped.add(close)
                    target = fields[close]
                    if target.default is MISSING and target.default_factory is MISSING:
                        hint += f" ('{close}' is required and missing)"
                hint = getattr(sys.modules[cls.__module__], "REMOVED", {}).get(name, hint)
                self.collector.error(
                    f"unknown key '{name}'", node_location(key_node), _join(path, name), hint
                )
                continue
            values[spec.name] = self.read(
                hints[spec.name], value_node, _join(path, name), dict(spec.metadata)
            )
        for name, spec in fields.items():
            if spec.name in values:
                continue
            if spec.default is not MISSING:
                values[spec.name] = spec.default
            elif spec.default_factory is not MISSING:
                values[spec.name] = spec.default_factory()
            else:
                if name not in mistyped:
                    self.collector.error(
                        f"missing key '{name}'",
                        node_location(node),
                        path or "(top level)",
                        f"add `{name}:` — {spec.metadata.get('doc', '')}".rstrip(" —"),
                    )
                values[spec.name] = INVALID
        if any(v is INVALID for v in values.values()):
            return INVALID
        return cls(**values)

    def _pairs(self, node: yaml.MappingNode, path: str) -> dict[str, tuple[Node, Node]]:
        pairs: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if name is None:
                self._fail(key_node, path, "keys must be plain words")
            elif name in pairs:
                self.collector.error(
                    f"key '{name}' appears twice",
                    node_location(key_node),
                    _join(path, name),
                    "remove one of the two",
                )
            else:
                pairs[name] = (key_node, value_node)
        return pairs

    def _count(self, node: Node, path: str, meta: dict[str, Any], noun: str) -> bool:
        low, high = meta.get("items") or (0, MAX_ITEMS)
        count = len(node.value)
        if low <= count <= high:
            return True
        expected = f"at least {low}" if count < low else f"at most {high}"
        self._fail(node, path, f"{count} {noun}, but {expected} are allowed")
        return False

    def _sequence(self, item_tp: Any, node: Node, path: str, meta: dict[str, Any]) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self._fail(node, path, "expected a list")
        if not self._count(node, path, meta, "items"):
            return INVALID
        items = [self.read(item_tp, n, f"{path}[{i}]", meta) for i, n in enumerate(node.value)]
        return INVALID if any(i is INVALID for i in items) else tuple(items)

    def _mapping(self, value_tp: Any, node: Node, path: str, meta: dict[str, Any]) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self._fail(node, path, "expected a mapping")
        if not self._count(node, path, meta, "entries"):
            return INVALID
        result = {
            name: self.read(value_tp, value, _join(path, name), meta)
            for name, (_, value) in self._pairs(node, path).items()
        }
        return INVALID if any(v is INVALID for v in result.values()) else result

    def _literal(self, choices: tuple[str, ...], node: Node, path: str) -> Any:
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in choices:
            close = closest(str(value), choices) if value is not None else None
            self.collector.error(
                f"expected one of {', '.join(choices)}, got {_show(node)}",
                node_location(node),
                path,
                f"did you mean '{close}'?" if close else "",
            )
            return INVALID
        return value

    def _scalar(self, tp: Any, node: Node, path: str, meta: dict[str, Any]) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self._fail(node, path, f"expected {_describe(tp)}, got a {_kind(node)}")
        if tp is str:
            if node.tag == "tag:yaml.org,2002:null" and not node.style:  # plain (libyaml: "", PyYAML: None)
                shown = "nothing" if not node.value else f"{node.value} (put it in quotes to mean the word)"
                return self._fail(node, path, f"expected text, got {shown}")
            return node.value  # the text as written: 'no' stays 'no', '2024' stays '2024'
        if tp in TEXT_VALUES:
            value = TEXT_VALUES[tp].parse(node.value)
            if value is None:
                return self._fail(node, path, f"expected {TEXT_VALUES[tp].expected}, got {_show(node)}")
            if isinstance(value, Pt):
                return self._check_range(value, node, path, bounds(Pt, meta), node.value)
            return value
        try:
            value = scalar_value(node)
        except (yaml.YAMLError, ValueError, OverflowError):  # e.g. an integer of 5000 digits
            return self._fail(node, path, f"expected {_describe(tp)}, got {_show(node)}")
        if tp is bool and isinstance(value, bool):
            return value
        if isinstance(value, float) and not math.isfinite(value):
            return self._fail(node, path, f"expected a finite number, got {_show(node)}")
        if tp in (int, float) and isinstance(value, (int, float)) and not isinstance(value, bool):
            if tp is int and not isinstance(value, int):
                return self._fail(node, path, f"expected a whole number, got {_show(node)}")
            return self._check_range(tp(value), node, path, bounds(tp, meta), node.value)
        return self._fail(node, path, f"expected {_describe(tp)}, got {_show(node)}")

    def _check_range(
        self, value: float, node: Node, path: str, limits: tuple[float | None, float | None], shown: str
    ) -> Any:
        low, high = limits
        if (low is not None and value < low) or (high is not None and value > high):
            unit = "pt" if isinstance(value, Pt) else ""
            expected = (
                f"{_num(low)}{unit} to {_num(high)}{unit}"
                if high is not None
                else f"at least {_num(low)}{unit}"
            )
            return self._fail(node, path, f"{shown} is out of range: expected {expected}")
        return value

    def _fail(self, node: Node, path: str, message: str) -> Any:
        self.collector.error(message, node_location(node), path)
        return INVALID


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


def _is_null(node: Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(node: Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return "list" if isinstance(node, yaml.SequenceNode) else "value"


def _show(node: Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return repr(text)
    return f"a {_kind(node)}"


def _keys_hint(cls: type) -> str:
    return ", ".join(f.name for f in dataclasses.fields(cls))


def _describe(tp: Any) -> str:
    if tp in TEXT_VALUES:
        return TEXT_VALUES[tp].expected
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def tagged_kinds(options: Any) -> dict[str, type]:
    """The dataclasses of a tagged union by their `kind:` value."""
    return dict(_tagged_kinds(tuple(options)))


@functools.cache
def _tagged_kinds(options: tuple[type, ...]) -> tuple[tuple[str, type], ...]:
    return tuple((get_args(type_hints(cls)["kind"])[0], cls) for cls in options)


def type_hints(cls: Any) -> Mapping[str, Any]:
    """typing.get_type_hints, once per class: it evaluates every (string) annotation of the
    class, and the reader asks for them at every mapping it reads (~80 in a layout)."""
    return _type_hints(cls)


@functools.cache
def _type_hints(cls: Any) -> Mapping[str, Any]:
    return types.MappingProxyType(typing.get_type_hints(cls))


def union_options(tp: Any) -> list[Any]:
    """The members of a union type, None left out; [] for any other type."""
    if get_origin(tp) in (Union, types.UnionType):
        return [a for a in get_args(tp) if a is not type(None)]
    return []


def tagged_union(tp: Any) -> dict[str, type] | None:
    """For a tagged union (or a list of one), its kinds; else None."""
    if get_origin(tp) in (tuple, list):
        tp = get_args(tp)[0]
    options = union_options(tp)
    return tagged_kinds(options) if len(options) > 1 else None


def describe_type(tp: Any) -> str:
    """Short human description of a key's type, for the reference table."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = union_options(tp)
        if len(options) > 1:
            return "one of " + ", ".join(f"`{k}`" for k in tagged_kinds(options))
        return describe_type(options[0]) + " (optional)"
    if origin is Literal:
        return " \\| ".join(f"`{c}`" for c in get_args(tp))
    if origin in (tuple, list):
        return f"list of {describe_type(get_args(tp)[0])}"
    if origin is dict:
        return f"mapping name → {describe_type(get_args(tp)[1])}"
    if tp in TEXT_VALUES:
        return TEXT_VALUES[tp].name
    if dataclasses.is_dataclass(tp):
        return "mapping"
    return {str: "text", int: "integer", float: "number", bool: "boolean"}.get(tp, str(tp))


def reference_rows(cls: type, prefix: str = "") -> list[tuple[str, str, str]]:
    """(key path, type, documentation) for every key of `cls`, depth first."""
    rows: list[tuple[str, str, str]] = []
    hints = type_hints(cls)
    for spec in dataclasses.fields(cls):
        name = _join(prefix, spec.name)
        tp = hints[spec.name]
        doc = spec.metadata.get("doc", "")
        low, high = bounds(tp, spec.metadata)
        unit = "pt" if tp is Pt else ""
        if low is not None and high is not None:
            doc += f" Range: {_num(low)}{unit} to {_num(high)}{unit}."
        elif low is not None:
            doc += f" At least {_num(low)}{unit}."
        if spec.name == "kind" and get_origin(tp) is Literal:
            rows.append((name, describe_type(tp), f"Chooses this kind: `kind: {get_args(tp)[0]}`."))
            continue
        if spec.metadata.get("items"):
            low_items, high_items = spec.metadata["items"]
            doc += f" {low_items} to {high_items} items."
        if spec.default is not MISSING:
            shown = str(spec.default).lower() if isinstance(spec.default, bool) else spec.default
            doc += f" Optional, default `{shown}`."
        rows.append((name, describe_type(tp), doc))
        if tagged_union(tp) is not None:
            continue  # documented once per kind, not at every place a kind may stand
        inner = _nested_dataclass(tp)
        if inner is not None:
            rows.extend(reference_rows(inner, name + _container_suffix(tp)))
    return rows


def _container_suffix(tp: Any) -> str:
    """How a key path goes into a value of this type: `[]` per list, `.*` per mapping."""
    suffix = ""
    while get_origin(tp) in (tuple, list, dict):
        suffix += ".*" if get_origin(tp) is dict else "[]"
        tp = get_args(tp)[-1] if get_origin(tp) is dict else get_args(tp)[0]
    return suffix


def _nested_dataclass(tp: Any) -> type | None:
    if dataclasses.is_dataclass(tp) and tp not in TEXT_VALUES:
        return tp  # type: ignore[return-value]
    for arg in get_args(tp):
        found = _nested_dataclass(arg)
        if found is not None:
            return found
    return None


def references(value: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(key path, name, mapping it must name a key of) for every `ref` key in a model value."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from references(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from references(item, _join(path, name))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type) and type(value) not in TEXT_VALUES:
        for spec in dataclasses.fields(value):
            item = getattr(value, spec.name)
            ref = spec.metadata.get("ref")
            if ref and isinstance(item, str):
                yield _join(path, spec.name), item, ref
            else:
                yield from references(item, _join(path, spec.name))
