"""Hostile input and faults: nothing let in, nothing lost, nothing half-written."""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from infogen.api import Renderer, export
from infogen.cli import main
from infogen.diagnostics import InfogenError
from infogen.project import Project
from infogen.text.fonts import python_font_package_dirs

from scene_tools import groups

LAYOUT = "layouts/default.yaml"


def render(project: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main, ["render", "--lang", "en", "--out", str(out), "--project", str(project), *extra]
    )


def write_layout(project: Path, name: str, text: str) -> None:
    (project / "layouts" / f"{name}.yaml").write_text(text)


def source_sans(weight: str = "Regular") -> Path:
    return next(d for d in python_font_package_dirs() if (d / f"SourceSansPro-{weight}.ttf").exists()) / (
        f"SourceSansPro-{weight}.ttf"
    )


# --- Paths named by layouts: extends and font files ---------------------------------


def test_a_layout_extends_another_and_overrides_only_what_it_names(project_copy):
    write_layout(
        project_copy, "a3-plum", 'extends: layouts/default.yaml\nstyles:\n  heading: {colour: "#3A1F47"}\n'
    )
    project = Project(project_copy)
    base, derived = project.load_layout("default"), project.load_layout("a3-plum")
    assert derived.styles["heading"].colour.hex == "#3a1f47"
    assert derived.styles["heading"].size == base.styles["heading"].size
    assert derived.panels == base.panels and derived.page == base.page and derived.body == base.body


def test_errors_in_an_extended_layout_point_at_the_right_file(project_copy, tmp_path):
    write_layout(project_copy, "child", "extends: layouts/default.yaml\npage:\n  margin: {top: wide}\n")
    result = render(project_copy, tmp_path / "out", "--layout", "child")
    assert result.exit_code == 2
    assert "layouts/child.yaml:3:17: error: page.margin.top: expected a length" in result.output


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("../../../../../../etc/passwd", "points outside the project"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("layouts/child.yaml", "layouts extend each other in a loop"),
        ("layouts/nope.yaml", "no layout file 'layouts/nope.yaml'"),
    ],
    ids=["dot-dot", "absolute", "loop", "missing"],
)
def test_extends_is_refused_outside_the_project_and_in_loops(project_copy, tmp_path, value, message):
    write_layout(project_copy, "child", f"extends: {value}\n")
    result = render(project_copy, tmp_path / "out", "--layout", "child")
    assert result.exit_code == 2 and message in result.output and "layouts/child.yaml:1:10" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_font_file_named_by_the_layout_is_used(project_copy):
    shutil.copy(source_sans("Bold"), project_copy / "fonts" / "MyBold.ttf")
    layout = project_copy / LAYOUT
    layout.write_text(layout.read_text().replace(
        "bold: {family: Source Sans Pro, weight: 700}",
        "bold: {family: Source Sans Pro, weight: 700, file: fonts/MyBold.ttf}"))  # fmt: skip
    scene = Renderer(Project(project_copy)).scene("default", "en")
    heading = groups(scene, "heading")[0].items[0]
    assert heading.font.path == (project_copy / "fonts" / "MyBold.ttf").resolve()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../../../../../../etc/passwd", "points outside the project"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("fonts/broken.ttf", "broken.ttf is not a font file infogen can read"),
        ("fonts/missing.ttf", "does not exist"),
        ("fonts/link.ttf", "points outside the project"),
        (
            "fonts/other.ttf",
            "other.ttf declares 'Source Sans Pro' weight 400, not 'Source Sans Pro' weight 700",
        ),
    ],
    ids=["dot-dot", "absolute", "corrupt", "missing", "symlink-out", "wrong-face"],
)
def test_bad_font_files_are_refused_clearly(project_copy, tmp_path, file, message):
    (project_copy / "fonts" / "broken.ttf").write_bytes(b"\x00\x01\x00\x00" + os.urandom(600))
    (project_copy / "fonts" / "link.ttf").symlink_to(source_sans("Bold"))
    shutil.copy(source_sans("Regular"), project_copy / "fonts" / "other.ttf")
    layout = project_copy / LAYOUT
    layout.write_text(layout.read_text().replace(
        "bold: {family: Source Sans Pro, weight: 700}",
        f"bold: {{family: Source Sans Pro, weight: 700, file: {file}}}"))  # fmt: skip
    result = render(project_copy, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert message in result.output and "fonts.bold" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_allow_dir_lets_a_layout_name_a_font_outside_the_project(project_copy, tmp_path):
    shared = tmp_path / "shared-fonts"
    shared.mkdir()
    shutil.copy(source_sans("Bold"), shared / "Bold.ttf")
    layout = project_copy / LAYOUT
    layout.write_text(layout.read_text().replace(
        "bold: {family: Source Sans Pro, weight: 700}",
        f"bold: {{family: Source Sans Pro, weight: 700, file: {shared / 'Bold.ttf'}}}"))  # fmt: skip
    assert render(project_copy, tmp_path / "out").exit_code == 2
    assert render(project_copy, tmp_path / "out", "--allow-dir", str(shared)).exit_code == 0


def test_a_corrupt_font_in_the_fonts_folder_does_not_break_the_search(project_copy, tmp_path):
    (project_copy / "fonts" / "junk.ttf").write_bytes(b"not a font at all")
    assert render(project_copy, tmp_path / "out").exit_code == 0


# --- Text from data files is text, never markup -------------------------------------

HOSTILE = '<script>alert(1)</script> ]]> &amp; "quotes" <!-- x --> <![CDATA[y]]>'


@pytest.fixture
def hostile_scene(project_copy):  # type: ignore[no-untyped-def]
    strings = project_copy / "data" / "lang" / "en.yaml"
    strings.write_text(
        strings.read_text().replace("- Protecting communities from new threats", f"- '{HOSTILE}'")
    )
    return Renderer(Project(project_copy)).scene("default", "en")


def test_markup_in_a_bullet_is_escaped_in_the_svg(hostile_scene):
    svg = export(hostile_scene, "svg")
    root = ET.fromstring(svg)  # still well-formed XML
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script>" in texts and "]]>" in texts
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert b"<script>" not in svg


def test_the_pdf_has_no_javascript_actions_or_links(hostile_scene, tmp_path):
    pdf, plain = tmp_path / "x.pdf", tmp_path / "plain.pdf"
    pdf.write_bytes(export(hostile_scene, "pdf"))
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(plain)], check=True)
    names = re.findall(rb"/([A-Za-z0-9+#]+)", plain.read_bytes())
    assert names and b"Lang" in names  # the scan does see the document's keys
    for name in (
        b"JavaScript",
        b"JS",
        b"OpenAction",
        b"AA",
        b"Launch",
        b"URI",
        b"SubmitForm",
        b"EmbeddedFile",
    ):
        assert name not in names, name


def test_a_render_never_touches_the_network(project_copy, monkeypatch):
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    scene = Renderer(Project(project_copy)).scene("default", "nl")
    assert export(scene, "pdf") and export(scene, "svg")


# --- Faults while writing -------------------------------------------------------------


def test_a_full_disk_leaves_earlier_outputs_untouched_and_no_temporary_files(monkeypatch, tmp_path):
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    assert render(root, out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_fdopen = os.fdopen
    calls = {"n": 0}

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.handle.close()

        def write(self, data):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 2:  # the first file fits, the second does not
                self.handle.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.handle.write(data)

        def flush(self):  # type: ignore[no-untyped-def]
            self.handle.flush()

        def fileno(self):  # type: ignore[no-untyped-def]
            return self.handle.fileno()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    result = render(root, out)
    assert result.exit_code == 2 and "cannot write output: No space left on device" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_unwritable_output_directory_is_a_clear_error():
    root = Path(__file__).resolve().parent.parent
    result = render(root, Path("/proc/infogen-cannot-write-here"))
    assert result.exit_code == 2 and "cannot create the output directory" in result.output


def test_traceback_flag_shows_the_traceback_for_debugging(tmp_path):
    result = CliRunner().invoke(main, ["render", "--lang", "xx", "--traceback", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "unknown language 'xx'" in result.output


def test_internal_errors_are_reported_without_a_traceback(monkeypatch, tmp_path):
    import infogen.api

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(infogen.api.Renderer, "scene_with_fits", boom)
    root = Path(__file__).resolve().parent.parent
    result = render(root, tmp_path / "out")
    assert result.exit_code == 1 and "internal error: RuntimeError: simulated bug" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["render", "--project", str(root), "--out", str(tmp_path / "o"), "--traceback"],
                           catch_exceptions=False)  # fmt: skip


def test_project_paths_are_checked_before_any_work(tmp_path):
    with pytest.raises(InfogenError):
        Project(tmp_path).check()
