"""The README stays true: its layout reference is what `infogen reference` prints."""

import pytest
import yaml
from click.testing import CliRunner

from infogen.cli import main

from conftest import ROOT


def test_readme_layout_reference_matches_the_code():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- layout-reference:start -->\n")[1].split("<!-- layout-reference:end -->")[0]
    assert section == CliRunner().invoke(main, ["reference"]).output


NAMED = {"fonts": 1, "styles": 1, "scripts": 2, "panels": 1}  # mappings of named entries: levels


def documented_paths(node, path=""):  # type: ignore[no-untyped-def]
    """(section, key path) for every key written in a layout: a region's or a part's keys in
    its kind's section, other keys by their path (named entries as `*`, list items as `[]`)."""
    if isinstance(node, list):
        for item in node:
            yield from documented_paths(item, path + "[]")
    elif isinstance(node, dict) and "kind" in node:
        for name, value in node.items():
            yield f"kind: {node['kind']}", name
            if name == "items":
                yield from documented_paths(value)
    elif isinstance(node, dict):
        for name, value in node.items():
            if not path and name in ("extends", "landscape", "portrait"):
                continue  # documented by hand; orientation sections repeat documented keys
            here = f"{path}.{name}" if path else name
            levels = NAMED.get(here, 0)
            yield from _named(value, here, levels) if levels else [("", here), *documented_paths(value, here)]


def _named(value, path, levels):  # type: ignore[no-untyped-def]
    """Entries of a mapping of named entries (`styles.heading` is documented as `styles.*`)."""
    if "*" not in path:
        yield "", path
    for entry in value.values():
        if levels > 1:
            yield from _named(entry, path + ".*", levels - 1)
        else:
            yield from documented_paths(entry, path + ".*")


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "layouts").glob("*.yaml")))
def test_every_key_of_every_shipped_layout_is_documented(name):
    readme = (ROOT / "README.md").read_text()
    layout = yaml.safe_load((ROOT / "layouts" / f"{name}.yaml").read_text())
    paths = list(documented_paths(layout))
    assert len(paths) > 5
    for section, path in paths:
        if section:
            text = readme.split(f"#### `{section}`")[1].split("####")[0]
            assert f"| `{path}`" in text, (section, path)
        else:
            assert f"`{path}`" in readme, path
