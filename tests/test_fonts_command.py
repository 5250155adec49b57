"""`infogen fonts`: the families infogen can find, where from, their faces and scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fontTools.ttLib import TTFont

from infogen.cli import main
from infogen.project import Project
from infogen.text.fonts import SCRIPT_SAMPLES, covered_scripts, python_font_package_dirs, script_code

from conftest import ROOT
from squarefont import build_square_font

LATIN_ONLY = "Fonts Command Latin"
ARABIC = "Fonts Command Arabic"

# The Arabic test font also maps 45 of the 49 basic Greek letters (92%: covered) and 50 of
# the 66 Cyrillic ones (76%: not covered), so the 90% threshold is tested on both sides.
GREEK = sorted(SCRIPT_SAMPLES["Grek"][1])[:45]
CYRILLIC = sorted(SCRIPT_SAMPLES["Cyrl"][1])[:50]


def build_font(path: Path, family: str, extra: tuple[int, ...] = ()) -> Path:
    """The square test font (printable ASCII) under another family name, with `extra`
    code points mapped to its square glyph as well."""
    build_square_font(path, family=family)
    if extra:
        with TTFont(str(path)) as font:
            for table in font["cmap"].tables:
                table.cmap.update({code: "uni0041" for code in extra})
            font.save(str(path))
    return path


@pytest.fixture(scope="module")
def font_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("font-path")
    build_font(directory / "FontsCommandLatin-Regular.ttf", LATIN_ONLY)
    arabic = (*range(0x621, 0x63B), *range(0x641, 0x64B))
    build_font(directory / "FontsCommandArabic-Regular.ttf", ARABIC, (*arabic, *GREEK, *CYRILLIC))
    return directory


def fonts(*args: str) -> Result:
    return CliRunner().invoke(main, ["fonts", "--project", str(ROOT), *args])


def listing(*args: str) -> tuple[list[str], dict[str, Any]]:
    """The table's lines (stdout only) and the JSON document, for the same arguments."""
    table, as_json = fonts(*args), fonts(*args, "--json")
    assert table.exit_code == 0, table.output
    assert as_json.exit_code == 0, as_json.output
    return table.stdout.splitlines(), json.loads(as_json.stdout)


@pytest.fixture(scope="module")
def with_font_path(font_dir: Path) -> tuple[list[str], dict[str, Any]]:
    return listing("--font-path", str(font_dir))


def entry(document: dict[str, Any], family: str) -> dict[str, Any]:
    return next(e for e in document["families"] if e["family"] == family)


def row(lines: list[str], family: str) -> str:
    return next(line for line in lines if line[2:].startswith(family + " "))


def test_the_default_family_is_listed_marked_with_its_source_and_latin(with_font_path):
    lines, document = with_font_path
    family = Project(ROOT).load_layout("default").fonts["regular"].family
    found = entry(document, family)
    assert found["used"] and "Latin" in found["scripts"]
    files = [Path(face["file"]) for face in found["faces"]]
    if all(f.is_relative_to((ROOT / "fonts").resolve()) for f in files):
        expected = "project"
    elif all(any(f.is_relative_to(d) for d in python_font_package_dirs()) for f in files):
        expected = "package"
    else:
        expected = "system"
    assert found["source"] == expected
    line = row(lines, family)
    assert line.startswith("* ") and f" {expected} " in line and "Latin" in line
    assert {(f["weight"], f["italic"]) for f in found["faces"]} >= {(400, False), (700, False)}


def test_a_font_path_family_has_its_source_and_exactly_the_scripts_of_its_cmap(with_font_path, font_dir):
    lines, document = with_font_path
    latin, arabic = entry(document, LATIN_ONLY), entry(document, ARABIC)
    assert latin["source"] == arabic["source"] == "--font-path"
    assert latin["scripts"] == ["Latin"] and arabic["scripts"] == ["Latin", "Greek", "Arabic"]
    assert latin["partial_scripts"] == arabic["partial_scripts"] == {}
    assert not latin["used"] and not arabic["used"]
    assert [(f["weight"], f["italic"], Path(f["file"]).parent) for f in arabic["faces"]] == [
        (400, False, font_dir)
    ]
    line = row(lines, ARABIC)
    assert " --font-path " in line and "Latin, Greek, Arabic " in line
    assert "FontsCommandArabic-Regular.ttf" in line


def test_script_arabic_lists_exactly_the_families_covering_arabic(with_font_path, font_dir):
    lines, document = listing("--font-path", str(font_dir), "--script", "arabic")
    listed = {(e["source"], e["family"]) for e in document["families"]}
    _, everything = with_font_path
    covering = {
        (e["source"], e["family"])
        for e in everything["families"]
        if "Arabic" in e["scripts"] or "Arabic" in e["partial_scripts"]
    }
    assert listed == covering and ("--font-path", ARABIC) in listed
    assert ("--font-path", LATIN_ONLY) not in listed
    assert document["script"] == "Arabic"
    assert len(lines) == 1 + len(listed) and all("Arabic" in line for line in lines[1:])


def test_script_names_are_case_insensitive_names_or_iso_codes():
    assert script_code("ARABIC") == script_code("arab") == script_code("Arabic") == "Arab"
    assert script_code("japanese") == script_code("Jpan") == "Jpan"
    assert script_code("chinese (traditional)") == "Hant"
    assert script_code("klingon") is None


def test_coverage_needs_ninety_percent_of_the_sample():
    sample = sorted(SCRIPT_SAMPLES["Hebr"][1])  # 27 letters: 25 is 92.6%, 24 is 88.9%
    assert "Hebr" in covered_scripts(frozenset(sample[:25]))
    assert "Hebr" not in covered_scripts(frozenset(sample[:24]))


def test_an_unknown_script_is_a_clear_error():
    result = fonts("--script", "klingon")
    assert result.exit_code == 2
    assert "error: unknown script 'klingon'" in result.output
    assert "Arabic" in result.output and "Japanese" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_layout_is_a_clear_error():
    result = fonts("--layout", "nonesuch")
    assert result.exit_code == 2 and "unknown layout 'nonesuch'" in result.output


def test_json_matches_the_table(with_font_path):
    lines, document = with_font_path
    header, rows = lines[0], lines[1:]
    assert header.split() == ["family", "source", "faces", "scripts", "files"]
    assert len(rows) == len(document["families"])
    for line, e in zip(rows, document["families"], strict=True):
        assert line.startswith(("* " if e["used"] else "  ") + e["family"] + " ")
        assert f" {e['source']} " in line
        for script in e["scripts"]:
            assert script in line
        for script, count in e["partial_scripts"].items():
            assert f"{script} ({count}/{len(e['faces'])})" in line


@pytest.mark.parametrize("platform", [(3, 0), (1, 0)])
def test_a_font_with_only_a_symbol_or_mac_character_map_is_refused(tmp_path, platform):
    """Only a Unicode cmap sets text: a face whose one map is Windows Symbol (3, 0) or Mac
    Roman (1, 0) is refused as having no character map, as fontTools' getBestCmap sees it
    (HarfBuzz would read the symbol map as characters U+F020...)."""
    from fontTools.ttLib.tables._c_m_a_p import cmap_format_0, cmap_format_4

    from infogen.text.fonts import font_problem, read_font_names

    tt = TTFont(str(build_square_font(tmp_path / "square.ttf")))
    best = tt["cmap"].getBestCmap()
    table = cmap_format_4(4) if platform == (3, 0) else cmap_format_0(0)
    table.platformID, table.platEncID, table.language = (*platform, 0)
    table.cmap = {(0xF000 + c if platform == (3, 0) else c): g for c, g in best.items() if c < 128}
    tt["cmap"].tables = [table]
    path = tmp_path / "only-one-map.ttf"
    tt.save(str(path))
    [face] = read_font_names(path)
    assert (
        font_problem(face, thorough=False) == "it has no character map (cmap): no character can be set in it"
    )
    [square] = read_font_names(tmp_path / "square.ttf")
    assert font_problem(square, thorough=False) is None


def test_font_packages_are_regular_packages_named_font_(tmp_path, monkeypatch):
    """As pkgutil lists them: a font_* directory without __init__.py is not a package."""
    for name, package in (("font_regular", True), ("font_namespace", False), ("fonts_other", True)):
        (tmp_path / name / "files").mkdir(parents=True)
        if package:
            (tmp_path / name / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = [p for p in python_font_package_dirs() if p.parent.parent == tmp_path]
    assert found == [tmp_path / "font_regular" / "files"]
