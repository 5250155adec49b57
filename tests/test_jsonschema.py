"""The JSON Schemas editors read (schemas/*.schema.json) stay true to infogen's own validator:
they are what `infogen schema` prints, every shipped file passes them, files infogen refuses
they refuse too, and their patterns accept exactly the lengths, colours and papers infogen does."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from infogen.cli import main
from infogen.model.jsonschema import KINDS, TEXT_DEFS, json_schema
from infogen.units import MAX_PAGE_SIDE, POINTS_PER_UNIT, parse_colour, parse_length, parse_paper

from conftest import ROOT

SHIPPED = {
    "layout": sorted((ROOT / "layouts").glob("*.yaml")),
    "language": sorted((ROOT / "data" / "lang").glob("*.yaml")),
    "theme": [ROOT / "data" / "theme.yaml"],
}


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_what_infogen_schema_prints(kind):
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text()
    assert result.stdout == committed, f"schemas/{kind}.schema.json is stale: run scripts/update-schemas"
    assert committed.endswith("}\n")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_a_valid_draft_2020_12_schema(kind):
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_unknown_kind_is_refused_by_the_command():
    result = CliRunner().invoke(main, ["schema", "icons"])
    assert result.exit_code == 2 and "layout" in result.output


@pytest.mark.parametrize(
    ("kind", "path"),
    [(kind, path) for kind, paths in SHIPPED.items() for path in paths],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_every_shipped_file_names_its_schema_and_passes_it(kind, path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    named = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert named == (ROOT / "schemas" / f"{kind}.schema.json").resolve()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(_load(path))]
    assert errors == []


def _defaults(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "default" in node:
            yield node
        for value in node.values():
            yield from _defaults(value)
    elif isinstance(node, list):
        for value in node:
            yield from _defaults(value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_default_passes_its_own_schema(kind):
    """Editors insert a key's default when completing it: it must be valid YAML for infogen."""
    schema = json_schema(kind)
    found = list(_defaults(schema))
    for prop in found:
        check = {k: v for k, v in prop.items() if k != "default"}
        Draft202012Validator({**check, "$defs": schema["$defs"]}).validate(prop["default"])
    assert found or kind != "layout"


# --- Files infogen refuses are refused by the schema too. -------------------------------------

Edit = Callable[[dict[str, Any]], Any]


def _set(path: list[Any], value: Any) -> Edit:
    def edit(layout: dict[str, Any]) -> None:
        node = layout
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return edit


def _delete(path: list[Any]) -> Edit:
    def edit(layout: dict[str, Any]) -> None:
        node = layout
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return edit


def _append(path: list[Any], value: Any) -> Edit:
    def edit(layout: dict[str, Any]) -> None:
        node = layout
        for step in path:
            node = node[step]
        node.append(value)

    return edit


def _replace(document: dict[str, Any]) -> Edit:
    return lambda layout: document


# (id, edit of layouts/default.yaml, extra render options, what infogen says, where the schema
# objects (its instance path) and a word its message names, or the keyword that failed)
BAD_LAYOUTS: list[tuple[str, Edit, list[str], list[str], list[Any], str]] = [
    ("unknown-top-level-key", _set(["colour_mode"], "rgb"), [],
     ["unknown key 'colour_mode'"], [], "colour_mode"),
    ("unknown-region-kind", _set(["body", 1, "kind"], "spacers"), [],
     ["body[1].kind", "unknown kind 'spacers'"], ["body", 1, "kind"], "spacers"),
    ("mapping-for-a-length", _set(["page", "bleed"], {"value": "3mm"}), [],
     ["page.bleed", "expected a length"], ["page", "bleed"], "type"),
    ("choice-not-offered", _set(["page", "orientation"], "diagonal"), [],
     ["page.orientation", "expected one of portrait, landscape, got 'diagonal'"], ["page", "orientation"], "diagonal"),
    ("missing-required-key", _delete(["png"]), [],
     ["missing key 'png'"], [], "png"),
    ("unknown-key-in-a-panel-part", _set(["panels", "card", "parts", 1, "colour"], "#000000"), [],
     ["panels.card.parts[1]", "unknown key 'colour'"], ["panels", "card", "parts", 1], "colour"),
    ("length-without-a-unit", _set(["page", "margin", "top"], 12), [],
     ["page.margin.top", "expected a length"], ["page", "margin", "top"], "type"),
    ("number-out-of-range", _set(["body", 2, "columns"], 99), [],
     ["body[2].columns", "out of range"], ["body", 2, "columns"], "maximum"),
    ("negative-length", _set(["body", 1, "height"], "-2mm"), [],
     ["body[1].height", "out of range"], ["body", 1, "height"], "-2mm"),
    ("not-a-colour", _set(["page", "background"], "white"), [],
     ["page.background", "expected a colour"], ["page", "background"], "white"),
    ("not-a-paper-size", _set(["page", "size"], "0x297mm"), [],
     ["page.size", "expected a paper size"], ["page", "size"], "0x297mm"),
    ("region-without-kind", _delete(["body", 4, "kind"]), [],
     ["body[4]", "missing key 'kind'"], ["body", 4], "kind"),
    ("too-many-panel-parts", _append(["panels", "card", "parts"], {"kind": "title", "style": "x", "gap": "1mm"}), [],
     ["panels.card.parts", "4 items, but at most 3"], ["panels", "card", "parts"], "maxItems"),
    ("text-that-is-null", _set(["name"], None), [],
     ["name", "expected text, got null"], ["name"], "None"),
    ("unknown-key-in-an-orientation-section", _set(["landscape", "pages"], {}), ["--landscape"],
     ["unknown key 'pages'"], ["landscape"], "pages"),
    ("unknown-key-in-a-layout-that-extends", _replace({"extends": "layouts/default.yaml", "page": {"bleeds": "3mm"}}), [],
     ["page.bleeds", "unknown key 'bleeds'"], ["page"], "bleeds"),
    ("extends-that-is-no-path", _replace({"extends": ["layouts/default.yaml"], "name": "x"}), [],
     ["extends", "expected the path of a layout file"], ["extends"], "type"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "options", "says", "where", "word"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_LAYOUTS],
)
def test_a_bad_layout_is_refused_by_the_schema_and_by_infogen(project_copy, edit, options, says, where, word):
    layout = _edited(_load(project_copy / "layouts" / "default.yaml"), edit)
    _assert_schema_objects("layout", layout, where, word)
    (project_copy / "layouts" / "bad.yaml").write_text(
        yaml.safe_dump(layout, sort_keys=False, allow_unicode=True)
    )
    result = _render_check(project_copy, "--layout", "bad", *options)
    assert result.exit_code == 2, result.output
    for fragment in ["layouts/bad.yaml", *says]:
        assert fragment in result.output, (fragment, result.output)
    assert "internal error" not in result.output


# (id, file kind, edit of data/lang/en.yaml or data/theme.yaml, what infogen says, where the
# schema objects, a word its message names or the keyword that failed); a language is
# written as data/lang/xx.yaml.
BAD_DATA: list[tuple[str, str, Edit, list[str], list[Any], str]] = [
    ("unknown-key-in-a-theme", "language", _set(["themes", "harnessing-data", "subtitle"], "x"),
     ["themes.harnessing-data", "unknown key 'subtitle'"], ["themes", "harnessing-data"], "subtitle"),
    ("direction-not-offered", "language", _set(["language", "direction"], "up"),
     ["language.direction", "expected one of ltr, rtl"], ["language", "direction"], "up"),
    ("text-for-a-list", "language", _set(["intro"], "One paragraph."),
     ["intro", "expected a list"], ["intro"], "type"),
    ("missing-heading", "language", _delete(["heading"]),
     ["missing key 'heading'"], [], "heading"),
    ("missing-credits", "theme", _delete(["credits"]),
     ["missing key 'credits'"], [], "credits"),
    ("group-without-themes", "theme", _set(["groups", 0, "themes"], []),
     ["groups[0].themes", "0 items, but at least 1"], ["groups", 0, "themes"], "minItems"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "edit", "says", "where", "word"), [pytest.param(*case[1:], id=case[0]) for case in BAD_DATA]
)
def test_a_bad_data_file_is_refused_by_the_schema_and_by_infogen(project_copy, kind, edit, says, where, word):
    source = project_copy / "data" / ("lang/en.yaml" if kind == "language" else "theme.yaml")
    document = _edited(_load(source), edit)
    target = source.with_name("xx.yaml") if kind == "language" else source
    if kind == "language":
        document["language"]["code"] = "xx"  # the file's name, so that is no problem of its own
    _assert_schema_objects(kind, document, where, word)
    target.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    lang = "xx" if kind == "language" else "en"
    result = _render_check(project_copy, "--lang", lang)
    assert result.exit_code == 2, result.output
    for fragment in [target.relative_to(project_copy).as_posix(), *says]:
        assert fragment in result.output, (fragment, result.output)
    assert "internal error" not in result.output


def test_the_unedited_copy_passes_both(project_copy):
    """The bad layouts differ from a good one only by their edit: the same file, dumped the
    same way, passes the schema and infogen's checks (stopping before fonts and rendering)."""
    from infogen.project import Project

    layout = _load(project_copy / "layouts" / "default.yaml")
    assert list(validator("layout").iter_errors(layout)) == []
    (project_copy / "layouts" / "bad.yaml").write_text(
        yaml.safe_dump(layout, sort_keys=False, allow_unicode=True)
    )
    Project(project_copy).read_layout("bad")
    Project(project_copy).read_layout("bad", "landscape")


def _assert_schema_objects(kind: str, document: Any, where: list[Any], word: str) -> None:
    """The schema refuses `document` at `where`, saying `word` (or failing the keyword `word`)."""
    errors = list(validator(kind).iter_errors(document))
    assert any(
        list(e.absolute_path) == where and (word in e.message or word == e.validator) for e in errors
    ), [(list(e.absolute_path), e.message) for e in errors]


def _render_check(project: Path, *options: str) -> Any:
    """`infogen render --check` of one PDF: a bad file stops it before fonts and rendering."""
    args = ["render", "--check", "-q", "--format", "pdf", "--project", str(project), *options]
    return CliRunner().invoke(main, args)


def _edited(layout: dict[str, Any], edit: Edit) -> dict[str, Any]:
    copied = copy.deepcopy(layout)
    replaced = edit(copied)
    return replaced if isinstance(replaced, dict) else copied


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- The patterns of lengths, colours and paper sizes agree with infogen's parsers. -----------


def _accepts(name: str, text: str) -> bool:
    return re.search(TEXT_DEFS[name]["pattern"], text) is not None


LENGTHS = ["5mm", "12pt", " 0.5in ", "1cm", "4px", "5 mm", "-3mm", "-0mm", "-0.00pt", "0", "12", "5MM",
           "5mm\n", "1.mm", ".5mm", "1e3pt", "1234567890mm", "1.1234567890mm", "5 m m", "", "mm"]  # fmt: skip
COLOURS = ["#1F4E79", "#fff", "#FFFFFF cmyk(11, 5, 4, 6)", " cmyk(60,40,40,100) ", "CMYK(100, 0, 0, 0)",
           "#fff\tcmyk(1,2,3,4)", "#ffff", "#12345g", "#fffcmyk(1,2,3,4)", "cmyk(101, 0, 0, 0)",
           "cmyk(100.5, 0, 0, 0)", "cmyk(100.000, 0, 0, 0)", "cmyk(050, 0, 0, 0)", "cmyk(1, 2, 3)",
           "cmyk(1,2,3,4) #fff", "white", "", "#", "rgb(1, 2, 3)"]  # fmt: skip
PAPERS = ["A3", " a4 ", "Letter", "TABLOID", "b5", "420x297mm", "1080x1080px", "0.5x1in", "0x297mm",
          "297x0.0mm", "A7", "420X297mm", "420x297", "420x297MM", "x297mm", "letterx"]  # fmt: skip


@pytest.mark.parametrize("text", LENGTHS)
def test_length_patterns_agree_with_infogen(text):
    value = parse_length(text)
    assert _accepts("length", text) == (value is not None)
    assert _accepts("non-negative-length", text) == (value is not None and value >= 0)


@pytest.mark.parametrize("text", COLOURS)
def test_colour_pattern_agrees_with_infogen(text):
    assert _accepts("colour", text) == (parse_colour(text) is not None)


@pytest.mark.parametrize("text", PAPERS)
def test_paper_pattern_agrees_with_infogen(text):
    assert _accepts("paper", text) == (parse_paper(text) is not None)


def test_paper_pattern_leaves_the_largest_side_to_infogen():
    """The one difference: a side over 200in needs its unit converted, which a pattern cannot."""
    assert _accepts("paper", "300x300in") and parse_paper("300x300in") is None


NEAR_LENGTHS = r"[ \t]?-?[0-9]{0,10}(\.[0-9]{0,10})?[ \t]?(pt|mm|cm|in|px|PT|em|)[ \t]?"
NEAR_COLOURS = (
    r"[ \t]?(#[0-9a-fA-Fg]{2,7})?[ \t]?((cmyk|CMYK|cmy)\([ ]?[0-9]{1,4}(\.[0-9]{0,7})?"
    r"([ ]?,[ ]?[0-9]{1,4}(\.[0-9]{0,7})?){2,4}\))?[ \t]?"
)
NEAR_PAPERS = (
    r"[ \t]?([aAbB][0-9]|letter|LEGAL|Tabloid|[0-9]{1,4}(\.[0-9]{0,3})?[ ]?[xX][ ]?[0-9]{1,4}"
    r"(\.[0-9]{0,3})?[ ]?(mm|pt|in|MM|))[ \t]?"
)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(NEAR_LENGTHS, fullmatch=True),
    st.from_regex(NEAR_COLOURS, fullmatch=True),
    st.from_regex(NEAR_PAPERS, fullmatch=True),
)
def test_patterns_agree_with_infogen_on_near_misses(length, colour, paper):
    value = parse_length(length)
    assert _accepts("length", length) == (value is not None)
    assert _accepts("non-negative-length", length) == (value is not None and value >= 0)
    assert _accepts("colour", colour) == (parse_colour(colour) is not None)
    parsed = parse_paper(paper)
    if parsed is not None:
        assert _accepts("paper", paper)
    else:
        assert not _accepts("paper", paper) or _side_over_the_limit(paper)


def _side_over_the_limit(paper: str) -> bool:
    """A custom size whose longer side is over 200in: infogen refuses it, the pattern cannot."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*x\s*([0-9.]+)\s*([a-z]+)\s*", paper)
    unit = POINTS_PER_UNIT.get(match.group(3), 0) if match else 0
    return match is not None and max(float(match[1]), float(match[2])) * unit > MAX_PAGE_SIDE
