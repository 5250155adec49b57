"""The designer's loop on the tiny fixture project: `validate` (every message kind with its
exact place, the sort order, the text, GitHub and JSON formats, --strict), the fit report,
`--set`, `--layout PATH`, environment variables, and the errors a designer meets.

Places are checked against the files' text: `place(file, needle)` finds where `needle` is
written, independently of the YAML parser's marks.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from infogen.cli import main

from squarefont import write_square_fonts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tiny"

# A bullet far too long for its panel at 6pt: the grid must shrink for it.
LONG = "LONG WORDS THAT GO ON AND ON AND ON AND ON AND ON AND ON AND ON AND ON AND ON"


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny project, as the current directory (messages show paths relative to it)."""
    root = tmp_path / "tiny"
    shutil.copytree(FIXTURE, root)
    write_square_fonts(root / "fonts")
    monkeypatch.chdir(root)
    return root


def cli(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(project)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def place(path: Path, needle: str, project: Path) -> str:
    """'data/lang/en.yaml:12:5': where `needle` first starts in the file (1-based)."""
    text = path.read_text()
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{path.relative_to(project)}:{line}:{col}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def lang_file(project: Path, lang: str = "en") -> Path:
    return project / "data" / "lang" / f"{lang}.yaml"


def layout_file(project: Path) -> Path:
    return project / "layouts" / "tiny.yaml"


def lengthen(project: Path, times: int = 3) -> None:
    """Theme a-two's bullet made so long that the grid must shrink for it."""
    edit(lang_file(project), "bullets: [DD]", "bullets: [" + " ".join([LONG] * times) + "]")


# --- validate ---


def test_a_clean_project_validates_with_exit_0_and_prints_the_fit_table(tiny):
    code, out, err = cli(tiny, "validate")
    assert code == 0 and out == ""
    assert "validated 1 layout × 2 languages (2 pages composed): 0 errors, 0 warnings" in err
    assert "tiny/en" in err and "tiny/xr" in err and "not shrunk" in err


def test_every_problem_is_reported_at_once_sorted_by_file_and_line(tiny):
    layout = layout_file(tiny)
    edit(layout, "  body:    {font: regular, size: 10pt,", "  body:    {font: regular, sise: 10pt,")
    edit(lang_file(tiny, "xr"), "\n", "\nbogus: 1\n")
    edit(lang_file(tiny), "  a: GA\n", "  a: GA\n  a: GAA\n")
    code, out, _ = cli(tiny, "validate")
    assert code == 2
    lines = [line for line in out.splitlines() if not line.startswith("  hint:")]
    expected = sorted(
        [
            f"{place(lang_file(tiny), 'a: GAA', tiny)}: error: duplicate key 'a': it was already given at line "
            f"{place(lang_file(tiny), 'a: GA', tiny).split(':')[1]}",
            f"{place(lang_file(tiny, 'xr'), 'bogus', tiny)}: error: bogus: unknown key 'bogus'",
            f"{place(layout, 'sise', tiny)}: error: styles.body.sise: unknown key 'sise'",
        ]
    )
    assert lines == expected
    assert "  hint: did you mean 'size'? ('size' is required and missing)" in out
    assert "missing key 'size'" not in out  # one typo, one message


def test_the_order_is_file_then_line_then_column(tiny):
    layout = layout_file(tiny)
    edit(layout, 'colour: "#222222"', 'colour: "#22"')  # line of styles.body
    edit(layout, "  heading: {font: bold,    size: 20pt,", "  heading: {font: bold,    size: 2000pt,")
    code, out, _ = cli(tiny, "validate", "--diagnostic-format", "json")
    assert code == 2
    found = [json.loads(line) for line in out.splitlines()]
    assert [(p["line"], p["col"]) for p in found] == sorted((p["line"], p["col"]) for p in found)
    assert [p["key"] for p in found] == ["styles.heading.size", "styles.body.colour"]


def test_github_annotations_escape_what_the_runner_would_misread(tiny):
    edit(layout_file(tiny), "panel: card", "panel: cards")
    code, out, _ = cli(tiny, "validate", "--diagnostic-format", "github")
    line, col = place(layout_file(tiny), "cards", tiny).split(":")[1:]
    assert code == 2
    assert out.splitlines() == [
        f"::error file=layouts/tiny.yaml,line={line},col={col},title=body[2].panel::"
        "unknown panel design 'cards' (hint: did you mean 'card'?)"
    ]


def test_json_has_one_object_per_problem_with_its_place_and_hint(tiny):
    edit(layout_file(tiny), "panel: card", "panel: cards")
    code, out, _ = cli(tiny, "validate", "--diagnostic-format", "json", "--lang", "en")
    line, col = place(layout_file(tiny), "cards", tiny).split(":")[1:]
    assert code == 2
    assert [json.loads(x) for x in out.splitlines()] == [
        {
            "file": "layouts/tiny.yaml",
            "line": int(line),
            "col": int(col),
            "severity": "error",
            "key": "body[2].panel",
            "message": "unknown panel design 'cards'",
            "hint": "did you mean 'card'?",
        }
    ]


def test_a_key_with_no_effect_is_a_warning_and_strict_makes_it_fail(tiny):
    edit(
        layout_file(tiny),
        "  title:   {font: bold,    size: 8pt,  leading: 1.0}",
        "  title:   {font: bold,    size: 8pt,  leading: 1.0, colour: red}",
    )
    edit(layout_file(tiny), "colour: red", 'colour: "#FF0000"')
    where = place(layout_file(tiny), '"#FF0000"}', tiny)
    code, out, err = cli(tiny, "validate")
    assert code == 0 and "0 errors, 1 warning," in err
    assert out.splitlines()[0] == (
        f"{where}: warning: styles.title.colour: has no effect: this style is only used by panel "
        "titles, group labels or badge numbers, which take their colour from the group's palette"
    )
    assert cli(tiny, "validate", "--strict")[0] == 2


def test_a_style_without_a_colour_for_text_that_needs_one_is_an_error(tiny):
    edit(layout_file(tiny), ', colour: "#222222"}', "}")
    code, out, _ = cli(tiny, "validate", "--lang", "en")
    assert code == 2
    assert out.splitlines()[0] == (
        f"{place(layout_file(tiny), '{font: regular, size: 10pt', tiny)}: error: styles.body.colour: the style has no "
        "colour, and text regions or bullets use it"
    )


def test_problems_of_every_language_are_reported_in_one_run(tiny):
    edit(lang_file(tiny), "heading: AB CD", "heading: [AB]")
    edit(lang_file(tiny, "xr"), "\n", "\nbogus: 1\n")
    for command in (["validate"], ["render", "--layout", "tiny", "--lang", "all", "--check"]):
        code, out, err = cli(tiny, *command)
        text = out + err
        assert code == 2, text
        assert "data/lang/en.yaml" in text and "data/lang/xr.yaml" in text, text


def test_validate_writes_nothing(tiny):
    before = sorted(p.relative_to(tiny) for p in tiny.rglob("*"))
    cli(tiny, "validate", "--report", str(tiny.parent / "fit.json"))
    assert sorted(p.relative_to(tiny) for p in tiny.rglob("*")) == before


# --- the fit report ---


def test_the_fit_report_names_the_panel_and_string_that_forced_the_shrink(tiny):
    lengthen(tiny)
    report = tiny.parent / "fit.json"
    code, _, err = cli(
        tiny,
        "render",
        "--layout",
        "tiny",
        "--lang",
        "en",
        "--format",
        "svg",
        "--out",
        str(tiny / "out"),
        "--report",
        str(report),
    )
    assert code == 0, err
    (row,) = json.loads(report.read_text())["fits"]
    (grid,) = row["grids"]
    assert (row["layout"], row["lang"], grid["grid"]) == ("tiny", "en", "body[2]")
    assert grid["smallest_size"] < grid["designed_size"] == 6
    assert grid["limited_by"] == {
        "panel": "a-two",
        "string": "themes.a-two.bullets[0]",
        "location": place(lang_file(tiny), LONG, tiny),
    }
    sizes = {p["panel"]: p for p in grid["panels"]}
    assert set(sizes) == {"a-one", "a-two", "b-one"}
    assert {p["size"] for p in sizes.values()} == {grid["smallest_size"]}  # uniform mode
    assert grid["fullest"]["panel"] == "a-two" and 0.9 < grid["fullest"]["fullness"] <= 1.0
    # The table on the terminal says the same.
    table = next(line for line in err.splitlines() if line.startswith("tiny/en"))
    assert (
        "5.75pt of 6pt" in table
        and "themes.a-two.bullets[0]" in table
        and place(lang_file(tiny), LONG, tiny) in table
    )


def test_text_shrunk_below_warn_below_is_a_warning_pointing_at_the_string(tiny):
    lengthen(tiny)
    code, out, err = cli(tiny, "validate", "--lang", "en", "--set", "body[2].fit.warn_below=7pt")
    assert code == 0, out
    (warning,) = [line for line in out.splitlines() if ": warning: " in line]
    assert warning.startswith(f"{place(lang_file(tiny), LONG, tiny)}: warning: themes.a-two.bullets[0]: ")
    assert (
        "below the grid's fit.warn_below 7pt (body[2].fit.warn_below at --set body[2].fit.warn_below=7pt)"
        in warning
    )
    assert cli(tiny, "validate", "--lang", "en", "--strict", "--set", "body[2].fit.warn_below=7pt")[0] == 2


def test_text_below_a_readable_size_for_the_paper_is_a_warning(tiny):
    lengthen(tiny, 4)
    code, out, _ = cli(tiny, "validate", "--lang", "en")
    assert code == 0
    assert "the smallest readable size on this 71x106mm page" in out


# --- --set ---


def test_set_changes_a_value_for_one_run(tiny):
    out = tiny / "out"
    assert cli(tiny, "render", "--layout", "tiny", "-l", "en", "-f", "svg", "-o", str(out))[0] == 0
    before = (out / "tiny-en.svg").read_bytes()
    code, _, err = cli(
        tiny,
        "render",
        "--layout",
        "tiny",
        "-l",
        "en",
        "-f",
        "svg",
        "-o",
        str(out),
        "--set",
        "styles.bullet.size=5pt",
    )
    assert code == 0, err
    assert (out / "tiny-en.svg").read_bytes() != before
    assert "of 5pt" in err  # the fit table: the designed size is now 5pt


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        (
            "styles.bulet.size=5pt",
            "--set styles.bulet.size=5pt: error: styles.bulet.size: styles has no 'bulet'",
        ),
        (
            "styles.bullet.size=huge",
            "--set styles.bullet.size=huge: error: styles.bullet.size: expected a length",
        ),
        (
            "styles.bullet.sise=5pt",
            "--set styles.bullet.sise=5pt: error: styles.bullet.sise: unknown key 'sise'",
        ),
        ("body[9].gap=1pt", "--set body[9].gap=1pt: error: body[9].gap: 'body' has 7 items; there is no [9]"),
        ("styles.bullet.size", "--set styles.bullet.size: error: expected KEY=VALUE"),
        ("styles..size=5pt", "--set styles..size=5pt: error: styles..size: '' is not a key"),
        ("page.bleed=-3mm", "--set page.bleed=-3mm: error: page.bleed: -3mm is out of range"),
    ],
)
def test_a_bad_set_points_at_the_argument(tiny, argument, message):
    code, out, err = cli(tiny, "validate", "--set", argument)
    assert code == 2
    assert (out + err).startswith(message), out + err


# --- --layout PATH, extends by name ---


def test_a_layout_can_be_given_by_path_and_extend_a_layout_by_name(tiny, tmp_path):
    design = tmp_path / "designs" / "wide-gaps.yaml"
    design.parent.mkdir()
    design.write_text("extends: tiny\nstyles:\n  bullet: {size: 5pt}\n")
    out = tiny / "out"
    code, _, err = cli(tiny, "render", "--layout", str(design), "-l", "en", "-f", "svg", "-o", str(out))
    assert code == 0, err
    assert (out / "wide-gaps-en.svg").exists() and "wide-gaps/en" in err
    assert cli(tiny, "validate", "--layout", str(design))[0] == 0


def test_a_missing_layout_path_and_an_unknown_extends_name_are_explained(tiny):
    code, out, err = cli(tiny, "render", "--layout", "designs/nope.yaml", "--check")
    assert code == 2 and "no layout file designs/nope.yaml" in err
    (tiny / "layouts" / "child.yaml").write_text("extends: tinny\n")
    code, out, err = cli(tiny, "validate", "--layout", "child")
    assert code == 2
    assert "layouts/child.yaml:1:10: error: extends: no layout file 'tinny'" in out
    assert "did you mean 'tiny'? name a layout (one of child, tiny)" in out


# --- errors a designer meets ---


def test_a_mistyped_language_suggests_the_configured_one_not_a_new_file(tiny):
    code, _, err = cli(tiny, "render", "--layout", "tiny", "-l", "EN", "--check")
    assert code == 2
    assert "did you mean 'en'?" in err and "EN.yaml" not in err


def test_a_page_too_small_for_the_design_says_what_is_too_tall_and_mentions_paper(tiny):
    edit(layout_file(tiny), "size: 200x300pt", "size: 200x110pt")
    code, out, _ = cli(tiny, "validate", "--lang", "en")
    assert code == 2
    assert "the rows of panels need 35.7pt (12.6mm), more than the grid's 17.0pt (6.0mm) of the page" in out
    assert "pass --paper (e.g. --paper A4)" in out


def test_text_that_cannot_fit_is_pointed_out_in_the_language_file(tiny):
    edit(lang_file(tiny), "bullets: [DD]", "bullets: [" + " ".join([LONG] * 8) + "]")
    code, out, _ = cli(tiny, "validate", "--lang", "en")
    assert code == 2
    first = out.splitlines()[0]
    assert first.startswith(
        f"{place(lang_file(tiny), LONG, tiny)}: error: themes.a-two.bullets[0]: panel 'a-two'"
    )
    assert "body[2].fit.min_size (at layouts/tiny.yaml:" in out


def test_negative_bleed_is_refused_in_a_layout_and_on_the_command_line(tiny):
    edit(layout_file(tiny), "bleed: 0pt", "bleed: -3mm")
    code, out, _ = cli(tiny, "validate")
    assert (
        code == 2
        and f"{place(layout_file(tiny), '-3mm', tiny)}: error: page.bleed: -3mm is out of range" in out
    )
    edit(layout_file(tiny), "bleed: -3mm", "bleed: 0pt")
    code, _, err = cli(tiny, "render", "--layout", "tiny", "--bleed", "-3mm", "--check")
    assert code == 2 and "out of range" in err


# --- environment variables ---


def test_options_come_from_the_environment(tiny):
    code, _, err = cli(tiny, "validate", env={"INFOGEN_LANG": "xr"})
    assert code == 0 and "1 layout × 1 language " in err and "tiny/xr" in err
    out = tiny / "elsewhere"
    code, _, err = cli(tiny, "render", "-f", "svg", env={"INFOGEN_LAYOUT": "tiny", "INFOGEN_OUT": str(out)})
    assert code == 0, err
    assert (out / "tiny-en.svg").exists()


# --- render --debug ---


def test_debug_writes_an_overlay_beside_unchanged_outputs(tiny):
    plain, debug = tiny / "plain", tiny / "debug-run"
    args = ("render", "--layout", "tiny", "-l", "en,xr", "-f", "pdf,svg")
    assert cli(tiny, *args, "-o", str(plain))[0] == 0
    code, _, err = cli(tiny, *args, "-o", str(debug), "--debug")
    assert code == 0, err
    for name in ("tiny-en.pdf", "tiny-en.svg", "tiny-xr.pdf", "tiny-xr.svg", "manifest.json"):
        assert (debug / name).read_bytes() == (plain / name).read_bytes(), name
    overlays = sorted(p.name for p in (debug / "debug").iterdir())
    assert overlays == ["tiny-en.svg", "tiny-xr.svg"]
    svg = (debug / "debug" / "tiny-en.svg").read_text()
    assert "themes.a-two" in svg and "body[2]" in svg


def test_a_script_name_instead_of_its_code_is_refused_with_the_code(tiny):
    edit(lang_file(tiny), "script: Latn", "script: Latin")
    code, out, _ = cli(tiny, "validate", "--lang", "en")
    assert code == 2
    assert out.splitlines()[:2] == [
        f"{place(lang_file(tiny), 'Latin', tiny)}: error: language.script: 'Latin' is not an ISO 15924 script code",
        "  hint: did you mean 'Latn'? four letters, the first a capital: Latn, Arab, Jpan, Cyrl, Grek, Hans…",
    ]
