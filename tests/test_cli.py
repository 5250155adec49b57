"""The command line as users and CI meet it: help, version, files, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from infogen import __version__
from infogen.cli import main


def invoke(*args: str) -> CliRunner.invoke:
    return CliRunner().invoke(main, list(args))


def test_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("render", "langs", "reference"):
        assert command in result.output
    render_help = invoke("render", "--help").output
    for option in ("--lang", "--layout", "--format", "--out"):
        assert option in render_help


def test_version_from_console_script_and_module():
    assert invoke("--version").output.strip() == f"infogen, version {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "infogen", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


def test_render_all_languages_and_formats(tmp_path):
    result = invoke("render", "--lang", "all", "--out", str(tmp_path), "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    langs = sorted(p.stem for p in (ROOT / "data" / "lang").glob("*.yaml"))
    assert names == sorted(f"default-{lang}.{ext}" for lang in langs for ext in ("pdf", "svg"))
    assert "wrote" in result.output


def test_render_one_format_writes_only_it(tmp_path):
    result = invoke(
        "render", "--lang", "nl", "--format", "pdf", "--out", str(tmp_path), "--project", str(ROOT)
    )
    assert result.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["default-nl.pdf"]
    assert (tmp_path / "default-nl.pdf").read_bytes().startswith(b"%PDF-")


def render_in(project: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return invoke("render", "--lang", "nl", "--out", str(out), "--project", str(project), *extra)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()} if directory.exists() else {}


@pytest.mark.parametrize(
    ("edit", "code", "expected"),
    [
        # (file, old text, new text)
        (
            ("layouts/default.yaml", "padding_top: 15mm", "padding_top: big"),
            2,
            ["layouts/default.yaml:", "header.padding_top", "expected a length such as '5mm'"],
        ),
        (
            ("layouts/default.yaml", "  heading_gap: 5mm", "  heading_gpa: 5mm"),
            2,
            ["unknown key 'heading_gpa'", "did you mean 'heading_gap'?", "missing key 'heading_gap'"],
        ),
        (
            ("layouts/default.yaml", 'background: "#FFFFFF"', 'background: "white-ish"'),
            2,
            ["page.background", "expected a colour such as '#1F4E79'"],
        ),
        (
            ("layouts/default.yaml", "title_style: panel-title", "title_style: nope"),
            2,
            ["panel.title_style", "unknown text style 'nope'"],
        ),
        (
            (
                "layouts/default.yaml",
                "family: Source Sans Pro, weight: 700",
                "family: No Such Font, weight: 700",
            ),
            2,
            ["layouts/default.yaml: error: fonts.bold: font 'No Such Font' weight 700 not found"],
        ),
        (
            ("data/lang/nl.yaml", "  skills-and-capacity:\n", "  skills-and-capacity-x:\n"),
            2,
            [
                "data/lang/nl.yaml",
                "missing translation for 'skills-and-capacity'",
                "'skills-and-capacity-x' is not a theme",
            ],
        ),
        (("data/lang/nl.yaml", "heading: Digitale", "heading: [Digitale"), 2, ["invalid YAML"]),
        (
            ("data/lang/nl.yaml", "title: Data benutten", 'title: ""'),
            2,
            ["themes.harnessing-data.title", "text is empty"],
        ),
        (
            ("data/lang/nl.yaml", "title: Data benutten", 'title: "Data\\u0007benutten"'),
            2,
            ["control characters (U+0007)"],
        ),
        (
            (
                "data/lang/nl.yaml",
                "- Virtuele systemen, virtuele diensten",
                "- " + "Virtuele systemen, virtuele diensten " * 30,
            ),
            1,
            ["panel 'reimagining-services'", "language 'nl'", "minimum bullet size"],
        ),
    ],
    ids=[
        "bad-length",
        "misspelt-key",
        "bad-colour",
        "unknown-style",
        "unknown-font",
        "missing-translation",
        "bad-yaml",
        "empty-string",
        "control-character",
        "overflow",
    ],
)
def test_bad_input_gives_one_clear_message_and_touches_no_output(
    project_copy, tmp_path, edit, code, expected
):
    out = tmp_path / "out"
    assert render_in(project_copy, out).exit_code == 0
    before = snapshot(out)
    path, old, new = edit
    target = project_copy / path
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new))
    result = render_in(project_copy, out)
    assert result.exit_code == code, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output
    assert snapshot(out) == before  # nothing new, nothing changed, no temporary files left


def test_errors_point_at_line_and_column(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    lines = layout.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if "rule_thickness: 1.6mm" in line)
    lines[number] = lines[number].replace("1.6mm", "thick")
    layout.write_text("\n".join(lines) + "\n")
    result = render_in(project_copy, tmp_path / "out")
    column = lines[number].rindex("thick") + 1
    assert f"layouts/default.yaml:{number + 1}:{column}: error: header.rule_thickness:" in result.output


def test_unknown_language_lists_the_configured_ones(tmp_path):
    result = invoke("render", "--lang", "xx", "--out", str(tmp_path), "--project", str(ROOT))
    assert result.exit_code == 2
    assert "unknown language 'xx'" in result.output and "en, nl" in result.output
    assert not any(tmp_path.iterdir())


def test_outside_a_project_says_so(tmp_path):
    result = invoke("render", "--project", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "not an infogen project" in result.output


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("render", "--lang", "en", "--out", str(blocker / "out"), "--project", str(ROOT))
    assert result.exit_code == 2 and "cannot create the output directory" in result.output


def test_langs_lists_every_language():
    result = invoke("langs", "--project", str(ROOT))
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("en\tltr")


def test_reference_documents_every_layout_key():
    output = invoke("reference").output
    for key in (
        "page.width",
        "panel.fit.mode",
        "panel.fit.min_size",
        "body.palettes[].tint",
        "styles.*.leading",
    ):
        assert f"`{key}`" in output
