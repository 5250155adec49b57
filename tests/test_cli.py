"""The command line as users and CI meet it: help, version, files, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from infogen import __version__
from infogen.cli import main

from conftest import ROOT


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
    expected = [f"default-{lang}.{ext}" for lang in langs for ext in ("pdf", "svg", "png")]
    assert names == sorted([*expected, "manifest.json"])
    assert f"{len(expected)} of {len(expected)} artifacts rendered, 0 failed" in result.output


def test_render_one_format_writes_only_it(tmp_path):
    result = invoke(
        "render", "--lang", "nl", "--format", "pdf", "--out", str(tmp_path), "--project", str(ROOT)
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["default-nl.pdf", "manifest.json"]
    assert (tmp_path / "default-nl.pdf").read_bytes().startswith(b"%PDF-")


def test_format_and_layout_lists(tmp_path):
    result = invoke(
        "render", "--lang", "en", "--layout", "social,handout", "--format", "png,svg", "--out", str(tmp_path),
        "--project", str(ROOT), "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "handout-en.png", "handout-en.svg", "manifest.json", "social-en.png", "social-en.svg"
    ]  # fmt: skip
    bad = invoke("render", "--format", "pdf,gif", "--out", str(tmp_path / "x"), "--project", str(ROOT))
    assert bad.exit_code == 2 and "unknown format 'gif'" in bad.output and not (tmp_path / "x").exists()


def render_in(project: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return invoke(
        "render", "--lang", "nl", "--format", "pdf,svg", "--out", str(out), "--project", str(project), *extra
    )


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()} if directory.exists() else {}


LAYOUT, NL, THEME = "layouts/default.yaml", "data/lang/nl.yaml", "data/theme.yaml"
LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(9))

# id, file, text to replace, replacement, exit code, fragments the message must contain
BAD_INPUTS = [
    ("malformed-yaml", NL, "heading: Digitale", "heading: [Digitale", 2, [NL, "invalid YAML"]),
    ("wrong-type", LAYOUT, "columns: 2, gap: 7mm", "columns: two, gap: 7mm", 2,
     [LAYOUT, "body[0].items[2].columns", "expected a whole number, got 'two'"]),
    ("bad-length", LAYOUT, "{kind: spacer, height: 7mm}", "{kind: spacer, height: big}", 2,
     [LAYOUT, "body[1].height", "expected a length such as '5mm'"]),
    ("out-of-range", LAYOUT, "size: 42pt", "size: 900pt", 2, ["styles.heading.size", "out of range"]),
    ("bad-colour", LAYOUT, 'background: "#FFFFFF"', 'background: "white-ish"', 2,
     ["page.background", "expected a colour such as '#1F4E79'"]),
    ("unknown-and-missing-key", LAYOUT, "    background: tint", "    backgrund: tint", 2,
     ["unknown key 'backgrund'", "did you mean 'background'? ('background' is required and missing)"]),
    ("unknown-style", LAYOUT, "style: panel-title", "style: panel-titel", 2,
     ["panels.card.parts[1].style", "unknown text style 'panel-titel'", "did you mean 'panel-title'?"]),
    ("choice-typo", LAYOUT, "show: icon", "show: icons", 2,
     [LAYOUT, "panels.card.parts[0].show", "expected one of icon, number, none, got 'icons'", "did you mean 'icon'?"]),
    ("unknown-kind", LAYOUT, "kind: grid\n    themes", "kind: gird\n    themes", 2,
     [LAYOUT, "body[2].kind", "unknown kind 'gird'", "did you mean 'grid'?"]),
    ("missing-kind", LAYOUT, "{kind: rule, thickness: 0.3mm", "{thickness: 0.3mm", 2,
     [LAYOUT, "body[4]", "missing key 'kind'", "kinds: stack, band, row, text, columns, rule, spacer, grid"]),
    ("unknown-field", LAYOUT, "text: credits, style: credits", "text: credit, style: credits", 2,
     [LAYOUT, "body[6].text", "'credit' is not a content field", "did you mean 'credits'?"]),
    ("unknown-group", LAYOUT, "themes: all\n    group_by", "themes: digitl\n    group_by", 2,
     [LAYOUT, "body[2].themes", "'digitl' is not a group in data/theme.yaml", "did you mean 'digital'?"]),
    ("unknown-panel", LAYOUT, "panel: card\n    label", "panel: cards\n    label", 2,
     [LAYOUT, "body[2].panel", "unknown panel design 'cards'", "did you mean 'card'?"]),
    ("removed-section", LAYOUT, "mirror_rtl: true", "mirror_rtl: true\nheader: {background: '#000000'}", 2,
     [LAYOUT, "unknown key 'header'", "since infogen 0.2 the page is a tree of regions"]),
    ("grid-without-room", LAYOUT, "{kind: spacer, height: 7mm}", "{kind: spacer, height: 250mm}", 1,
     [LAYOUT, "body[2].fit.min_size", "does not fit in language 'nl'"]),
    ("taller-than-page", LAYOUT, "{kind: spacer, height: 7mm}", "{kind: spacer, height: 400mm}", 1,
     [LAYOUT, "body: language 'nl': the regions need", "(the tallest is body[", "--paper"]),
    ("unknown-font", LAYOUT, "family: Source Sans Pro, weight: 700", "family: No Such Font, weight: 700", 2,
     [f"{LAYOUT}: error: fonts.bold: font 'No Such Font' weight 700 not found"]),
    ("missing-translation", NL, "  skills-and-capacity:\n", "  skills-and-capacity-x:\n", 2,
     [NL, "missing translation for 'skills-and-capacity'", "'skills-and-capacity-x' is not a theme"]),
    ("theme-missing", THEME, "      - {id: spatial-technologies, icon: map-pin}\n", "", 2,
     [NL, "'spatial-technologies' is not a theme in data/theme.yaml"]),
    ("theme-duplicated", THEME, "{id: cyber-protection, icon: padlock}", "{id: harnessing-data, icon: padlock}",
     2, [THEME, "groups[1].themes[1].id", "id 'harnessing-data' is used twice"]),
    ("unknown-icon", THEME, "icon: padlock}", "icon: lock}", 2, [THEME, "unknown icon 'lock'"]),
    ("too-many-bullets", NL, "      - Virtuele systemen, virtuele diensten\n", "      - Virtuele systemen\n" * 3, 2,
     [NL, "themes.reimagining-services.bullets", "5 bullets, but the layout shows at most 4"]),
    ("empty-string", NL, "title: Data benutten", 'title: ""', 2,
     ["themes.harnessing-data.title", "text is empty"]),
    ("huge-bullet", NL, "- Virtuele systemen, virtuele diensten", "- " + "x" * 10_000, 2,
     ["themes.reimagining-services.bullets[2]", "10000 characters long"]),
    ("control-character", NL, "title: Data benutten", 'title: "Data\\u0007benutten"', 2,
     ["control characters (U+0007)"]),
    ("python-tag", NL, "heading: Digitale", "heading: !!python/object/apply:os.system [ls]\nx: Digitale", 2,
     [NL, "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]),
    ("billion-laughs", NL, "heading: Digitale", LAUGHS + "heading: Digitale", 2,
     [NL, "more than 20000 values once aliases are expanded"]),
    ("missing-glyphs", NL, "title: Data benutten", "title: Data benutten 数据 \U0001F600", 2,
     [NL, "themes.harnessing-data.title", "language 'nl'", "no font has a glyph for '据' U+636E, '数' U+6570, '😀' U+1F600",
      "SourceSansPro-Bold"]),
    ("credits-placeholder", NL, "{publisher}", "{publisher.__class__}", 2,
     [NL, "credits", "unknown placeholder {publisher.__class__}"]),
    ("not-a-number", LAYOUT, "leading: 1.3,", "leading: .nan,", 2, ["styles.intro.leading", "expected a finite number"]),
    ("null-text", NL, "title: Data benutten", "title:", 2, ["themes.harnessing-data.title", "expected text, got nothing"]),
    ("noncharacter", NL, "  title: Digitale en technologische trends in de publieke sector 2024",
     '  title: "Digitale \\uFFFF trends"', 2, ["document.title", "noncharacters (U+FFFF)"]),  # no XML can hold it
    ("metadata-control", NL, "  title: Digitale en technologische trends in de publieke sector 2024",
     '  title: "Digi\\u0007tale"', 2, ["document.title", "control characters"]),
    ("label-overflow", LAYOUT, "group-label: {font: bold,     size: 17pt", "group-label: {font: bold,     size: 60pt", 1,
     [NL, "groups.digital", "the group label does not fit on one line of its band"]),
    ("overflow", NL, "title: Dienstverlening herdenken", "title: " + "Dienstverlening herdenken " * 37, 1,
     ["panel 'reimagining-services'", "language 'nl'", "minimum size"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "old", "new", "code", "expected"), [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS]
)
def test_bad_input_gives_one_clear_message_and_touches_no_output(
    project_copy, tmp_path, path, old, new, code, expected
):
    out = tmp_path / "out"
    assert render_in(project_copy, out).exit_code == 0
    before = snapshot(out)
    target = project_copy / path
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new))
    result = render_in(project_copy, out)
    assert result.exit_code == code, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "internal error" not in result.output and isinstance(result.exception, SystemExit)
    assert snapshot(out) == before  # nothing new, nothing changed, no temporary files left


def test_errors_point_at_line_and_column(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    lines = layout.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if "thickness: 1.6mm" in line)
    lines[number] = lines[number].replace("1.6mm", "thick")
    kind = next(i for i, line in enumerate(lines) if "kind: grid" in line)
    lines[kind] = lines[kind].replace("grid", "gird")
    layout.write_text("\n".join(lines) + "\n")
    result = render_in(project_copy, tmp_path / "out")
    column = lines[number].rindex("thick") + 1
    assert f"layouts/default.yaml:{number + 1}:{column}: error: body[0].items[1].thickness:" in result.output
    column = lines[kind].rindex("gird") + 1
    assert (
        f"layouts/default.yaml:{kind + 1}:{column}: error: body[2].kind: unknown kind 'gird'" in result.output
    )


def test_unknown_language_lists_the_configured_ones(tmp_path):
    result = invoke("render", "--lang", "xx", "--out", str(tmp_path), "--project", str(ROOT))
    assert result.exit_code == 2
    assert "unknown language 'xx'" in result.output and "ar, de, en, fr, ja, nl" in result.output
    assert not any(tmp_path.iterdir())


def test_outside_a_project_says_so(tmp_path):
    result = invoke("render", "--project", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "not an infogen project" in result.output


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("render", "--lang", "en", "--out", str(blocker / "out"), "--project", str(ROOT))
    assert result.exit_code == 2 and "cannot create the output directory" in result.output


def test_langs_lists_every_language_with_its_facts():
    result = invoke("langs", "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert set(rows) == {p.stem for p in (ROOT / "data" / "lang").glob("*.yaml")} | {"qps", "qps-rtl"}
    assert "Nederlands (Dutch)" in rows["nl"] and " Latn " in rows["nl"] and " ltr " in rows["nl"]
    assert "100%" in rows["nl"] and "Source Sans Pro" in rows["nl"]
    assert " pseudo " in rows["qps"] and " rtl " in rows["qps-rtl"]


def test_missing_translations_fail_or_fall_back_to_english_with_warnings(project_copy, tmp_path):
    strings = project_copy / "data" / "lang" / "nl.yaml"
    text = strings.read_text()
    start = text.index("  harnessing-data:")
    end = text.index("  infrastructure-and-cloud:")
    strings.write_text(text[:start] + text[end:])
    failed = render_in(project_copy, tmp_path / "a")
    assert failed.exit_code == 2 and "missing translation for 'harnessing-data'" in failed.output
    result = render_in(project_copy, tmp_path / "b", "--fallback-to-english")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    assert len(warnings) == 2  # one per key: the title and the bullets
    assert all("data/lang/nl.yaml" in w and "themes.harnessing-data" in w for w in warnings)
    listing = invoke("langs", "--project", str(project_copy)).output
    assert [line for line in listing.splitlines() if line.startswith("nl ")][0].split()[-4] != "100%"


def test_reference_documents_every_layout_key_region_kind_and_part():
    import dataclasses

    from infogen.model.regions import Part, Region
    from infogen.model.schema import tagged_kinds, union_options

    output = invoke("reference").output
    for key in ("page.size", "panels.*.parts", "palettes[].tint", "styles.*.leading", "body", "png.dpi"):
        assert f"`{key}`" in output
    for union in (Region, Part):
        for kind, cls in tagged_kinds(union_options(union)).items():
            section = output.split(f"#### `kind: {kind}`")[1].split("####")[0]
            for spec in dataclasses.fields(cls):
                assert f"| `{spec.name}" in section, (kind, spec.name)


def test_plain_yaml_oddities_stay_text(project_copy, tmp_path):
    strings = project_copy / "data" / "lang" / "nl.yaml"
    strings.write_text(strings.read_text().replace("title: Data benutten", "title: ="))
    assert render_in(project_copy, tmp_path / "out").exit_code == 0


def test_no_language_given(tmp_path):
    result = invoke("render", "--lang", ",", "--out", str(tmp_path), "--project", str(ROOT))
    assert result.exit_code == 2 and "no language to render" in result.output


def test_an_output_name_taken_by_a_directory_changes_nothing(tmp_path):
    out = tmp_path / "out"
    assert render_in(ROOT, out).exit_code == 0
    (out / "default-nl.svg").unlink()
    (out / "default-nl.svg").mkdir()
    before = (out / "default-nl.pdf").read_bytes()
    result = render_in(ROOT, out)
    assert result.exit_code == 2 and "default-nl.svg exists and is not a file" in result.output
    assert (out / "default-nl.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["default-nl.pdf", "default-nl.svg", "manifest.json"]


def test_a_cff_font_is_refused_with_a_way_out(project_copy, tmp_path):
    import shutil

    from infogen.text.fonts import python_font_package_dirs

    otf = next(
        d / "SourceSansPro-Bold.otf"
        for d in python_font_package_dirs()
        if (d / "SourceSansPro-Bold.otf").exists()
    )
    shutil.copy(otf, project_copy / "fonts" / "Bold.otf")
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(layout.read_text().replace(
        "bold: {family: Source Sans Pro, weight: 700}",
        "bold: {family: Source Sans Pro, weight: 700, file: fonts/Bold.otf}"))  # fmt: skip
    result = render_in(project_copy, tmp_path / "out")
    assert result.exit_code == 2 and "Bold.otf has PostScript (CFF) outlines" in result.output
    assert "fonts.bold" in result.output and "TrueType (.ttf)" in result.output


def test_a_missing_script_font_names_its_package_and_other_languages_still_render(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(
        layout.read_text().replace("family: Noto Sans Arabic, weight: 400", "family: Noto Nope, weight: 400")
    )
    result = invoke("render", "--lang", "ar", "--out", str(tmp_path / "a"), "--project", str(project_copy))
    assert result.exit_code == 2, result.output
    assert (
        "scripts.Arab.regular" in result.output and "font 'Noto Nope' weight 400 not found" in result.output
    )
    assert "install Debian's fonts-noto-core" in result.output
    assert render_in(project_copy, tmp_path / "b").exit_code == 0  # Dutch needs no Arabic font


def test_layout_and_language_problems_are_reported_together(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(layout.read_text().replace("thickness: 1.6mm", "thickness: thick"))
    strings = project_copy / "data" / "lang" / "nl.yaml"
    strings.write_text(strings.read_text().replace("title: Data benutten", 'title: ""'))
    result = render_in(project_copy, tmp_path / "out")
    assert result.exit_code == 2
    assert "body[0].items[1].thickness" in result.output and "themes.harnessing-data.title" in result.output


def test_the_console_script_sets_the_collector_for_a_render_process():
    """infogen's own process (see __main__.py) collects young objects rarely and freezes
    what is alive at exit, so the interpreter's last collection does not trace it."""
    script = (
        "import atexit, gc, sys\n"
        "import infogen.__main__ as entry\n"
        # registered first, so run last: after the entry's own exit handler
        "atexit.register(lambda: print(gc.get_threshold()[0], gc.get_freeze_count() > 0))\n"
        "sys.argv = ['infogen', '--version']\n"
        "entry.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    version, settings = done.stdout.strip().splitlines()
    assert version.startswith("infogen, version")
    assert settings == "100000 True"
