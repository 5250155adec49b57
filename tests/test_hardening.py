"""Hardening: files from outside the project, special files, malformed values, damaged fonts,
terminal escapes and interrupted writes — each class refused at the right depth.

Every case runs the real command in a child process under a time limit and a 1 GiB
address-space cap, and checks: the exit code, a message naming the file and place, no
traceback and no "internal error", and an output directory byte-identical afterwards.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT

TIMEOUT_S = 20
NL, LAYOUT, THEME, ICONS = "data/lang/nl.yaml", "layouts/default.yaml", "data/theme.yaml", "data/icons.yaml"


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))


def run(project: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "infogen", "render", "--lang", "nl", "--format", "pdf", "-q",
           "--out", str(out), "--project", str(project), *args]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, preexec_fn=_limits)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()} if directory.exists() else {}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def source_sans() -> Path:
    from infogen.text.fonts import python_font_package_dirs

    return next(d for d in python_font_package_dirs() if (d / "SourceSansPro-Bold.ttf").exists()) / (
        "SourceSansPro-Bold.ttf"
    )


def use_font_file(project: Path, name: str) -> None:
    replace_in(project / LAYOUT, "bold: {family: Source Sans Pro, weight: 700}",
               f"bold: {{family: Source Sans Pro, weight: 700, file: fonts/{name}}}")  # fmt: skip


def edited_font(project: Path, name: str, edit: Callable) -> None:  # type: ignore[type-arg]
    from fontTools.ttLib import TTFont

    font = TTFont(str(source_sans()))
    edit(font)
    font.save(str(project / "fonts" / name))
    use_font_file(project, name)


def damaged_glyf(project: Path) -> None:
    data = bytearray(source_sans().read_bytes())
    from fontTools.ttLib import TTFont

    font = TTFont(str(source_sans()))
    offset = font.reader.tables["glyf"].offset
    length = font.reader.tables["glyf"].length
    data[offset : offset + length] = bytes([0xFF]) * length  # every glyph unreadable
    (project / "fonts" / "Damaged.ttf").write_bytes(bytes(data))
    use_font_file(project, "Damaged.ttf")


def no_cmap(font) -> None:  # type: ignore[no-untyped-def]
    del font["cmap"]


def symlink(project: Path, target: str, to: Path) -> None:
    (project / target).unlink()
    (project / target).symlink_to(to)


def fifo(project: Path, target: str) -> None:
    (project / target).unlink()
    os.mkfifo(project / target)


OUTSIDE = Path("/etc/hostname") if Path("/etc/hostname").exists() else Path("/etc/passwd")

# id, how to break the project (or extra arguments), exit code, fragments of the message
CASES: list[tuple[str, Callable[[Path], object] | tuple[str, ...], int, list[str]]] = [
    ("language-links-outside", lambda p: symlink(p, NL, OUTSIDE), 2, [NL, "a link to a place outside the project"]),
    ("icons-link-to-dev-zero", lambda p: symlink(p, ICONS, Path("/dev/zero")), 2, [ICONS, "outside the project"]),
    ("language-is-a-fifo", lambda p: fifo(p, NL), 2, [NL, "not a regular file"]),
    ("layout-is-a-fifo", lambda p: fifo(p, LAYOUT), 2, [LAYOUT, "not a regular file"]),
    # A layout may be given by path (the user's own file): a file that is no layout is refused.
    ("layout-as-a-path", ("--layout", "/etc/passwd"), 2, ["/etc/passwd:1:1: error: expected a mapping"]),
    ("layout-as-an-absolute-path", ("--layout", "/tmp/evil-no-such-file.yaml"), 2,
     ["no layout file /tmp/evil-no-such-file.yaml"]),
    ("layout-as-a-device", ("--layout", "/dev/zero"), 2, ["no layout file /dev/zero"]),
    ("language-in-capitals", ("--lang", "NL"), 2, ["unknown language 'NL'", "did you mean 'nl'?"]),
    ("nul-byte-in-yaml", lambda p: replace_in(p / NL, "heading: Digitale", "heading: Digi\x00tale"), 2,
     [f"{NL}:", "control character U+0000"]),
    ("escape-byte-in-yaml", lambda p: replace_in(p / NL, "heading: Digitale", "heading: Digi\x1btale"), 2,
     [f"{NL}:", "control character U+001B"]),
    ("integer-of-5000-digits", lambda p: replace_in(p / LAYOUT, "columns: 2,", "columns: " + "9" * 5000 + ","), 2,
     ["body[0].items[2].columns", "expected a whole number"]),
    ("page-of-1e308", lambda p: replace_in(p / LAYOUT, "size: A3", "size: 1e308x1e308mm"), 2,
     ["page.size", "expected a paper size"]),
    ("paper-of-400-digits", ("--paper", "9" * 400 + "x5mm"), 2, ["--paper", "expected a paper size"]),
    ("bleed-beyond-its-range", ("--bleed", "500mm"), 2, ["--bleed", "out of range"]),
    ("negative-bleed", lambda p: replace_in(p / LAYOUT, "bleed: 0mm", "bleed: -3mm"), 2, ["page.bleed", "out of range"]),
    ("negative-crop-mark", lambda p: replace_in(p / LAYOUT, "crop_mark_length: 5mm", "crop_mark_length: -5mm"), 2,
     ["page.crop_mark_length", "out of range"]),
    ("malformed-cmyk", lambda p: replace_in(p / LAYOUT, "cmyk(75, 0, 24, 43)", "cmyk(1.2.3, 0, 24, 43)"), 2,
     ["palettes[0].colour", "expected a colour"]),
    ("nul-byte-in-a-path", lambda p: replace_in(p / LAYOUT, "bold: {family: Source Sans Pro, weight: 700}",
                                               'bold: {family: Source Sans Pro, weight: 700, file: "fonts/a\\0b.ttf"}'),
     2, ["fonts.bold.file", "not a usable file name"]),
    ("name-longer-than-file-systems-allow", lambda p: use_font_file(p, "a" * 300 + ".ttf"), 2,
     ["fonts.bold.file", "not a usable file name"]),
    ("icon-path-words", lambda p: replace_in(p / ICONS, "M12 2.5", "hello world M12 2.5"), 2,
     [ICONS, "icons.shield.paths[0]", "invalid path data"]),
    ("icon-path-short", lambda p: replace_in(p / ICONS, "M12 2.5", "M 0 0 L 5"), 2, ["'L' takes 2 numbers"]),
    ("icon-path-unknown-command", lambda p: replace_in(p / ICONS, "M12 2.5", "M 0 0 X 5 5 M12 2.5"), 2,
     ["unknown command 'X'"]),
    ("icon-path-huge-arc", lambda p: replace_in(p / ICONS, "M12 2.5", "M0 0 A 1e300 1 0 0 1 2 2 M12 2.5"), 2,
     ["out of range"]),
    ("zero-width-title", lambda p: replace_in(p / NL, "title: Data benutten", 'title: "\\u200b\\u200d"'), 2,
     ["themes.harnessing-data.title", "no visible characters"]),
    ("bidi-override", lambda p: replace_in(p / NL, "title: Data benutten", 'title: "Data \\u202ebenutten"'), 2,
     ["themes.harnessing-data.title", "U+202E"]),
    ("huge-publisher", lambda p: replace_in(p / THEME, "publisher: Socitm", "publisher: " + "S" * 900_000), 2,
     [THEME, "credits.publisher", "a name of 900000 characters"]),
    ("credits-that-grow", lambda p: replace_in(p / NL, "{authors}", "{authors} " * 200), 2,
     [NL, "credits", "with the names filled in"]),
    ("damaged-font", damaged_glyf, 2, ["Damaged.ttf cannot be used: its tables are damaged"]),
    ("units-per-em-zero", lambda p: edited_font(p, "Zero.ttf", lambda f: setattr(f["head"], "unitsPerEm", 0)), 2,
     ["Zero.ttf cannot be used: its units per em is 0"]),
    ("font-without-cmap", lambda p: edited_font(p, "NoCmap.ttf", no_cmap), 2,
     ["NoCmap.ttf"]),
    ("postscript-name-with-slash", lambda p: edited_font(p, "Slash.ttf", lambda f: f["name"].setName("Bad/Name", 6, 3, 1, 0x409)), 2,
     ["Slash.ttf cannot be used: its PostScript name"]),
    ("escape-sequence-in-a-family-name", lambda p: replace_in(p / LAYOUT, "family: Source Sans Pro, weight: 700",
                                                            'family: "X\\e]0;pwned\\aY", weight: 700'), 2,
     ["X\\x1b]0;pwned\\x07Y"]),
]  # fmt: skip


@pytest.mark.parametrize(("setup", "code", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_hostile_input_is_refused_clearly(project_copy, tmp_path, setup, code, expected):
    out = tmp_path / "out"
    assert run(project_copy, out).returncode == 0
    before = snapshot(out)
    args: tuple[str, ...] = ()
    if callable(setup):
        setup(project_copy)
    else:
        args = setup
    files_before = tree(project_copy, out)
    result = run(project_copy, out, *args)
    output = result.stderr + result.stdout
    assert result.returncode == code, output
    for fragment in expected:
        assert fragment in output, (fragment, output)
    assert "Traceback" not in output and "internal error" not in output, output
    assert "\x1b" not in output and "\x07" not in output  # nothing a terminal would obey
    assert snapshot(out) == before
    assert tree(project_copy, out) == files_before  # nothing written outside --out


def tree(root: Path, out: Path) -> set[str]:
    """The names of everything under `root` but the output directory."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if out not in p.parents and p != out}


def test_a_fifo_or_a_link_out_of_the_project_in_fonts_is_passed_over(project_copy, tmp_path_factory):
    os.mkfifo(project_copy / "fonts" / "pipe.ttf")
    outside = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(source_sans(), outside / "Link.ttf")
    (project_copy / "fonts" / "Link.ttf").symlink_to(outside / "Link.ttf")
    result = run(project_copy, project_copy / "out")
    assert result.returncode == 0, result.stderr
    from infogen.text.fonts import FontLibrary

    library = FontLibrary(project_copy / "fonts", (project_copy.resolve(),))
    assert all(f.path.parent != project_copy / "fonts" for f in library._local_files())


def test_the_output_directory_must_be_a_directory(tmp_path):
    result = run(ROOT, Path("/dev/full"))
    assert result.returncode == 2 and "/dev/full exists and is not a directory" in result.stderr


def test_no_pickle_cache_is_read_or_written(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    cmd = [sys.executable, "-m", "infogen", "render", "--lang", "de", "--format", "pdf", "-q",
           "--out", str(tmp_path / "out"), "--project", str(ROOT)]  # fmt: skip
    assert subprocess.run(cmd, env=env, capture_output=True, timeout=TIMEOUT_S).returncode == 0
    assert not (tmp_path / "cache").exists() and not (tmp_path / ".cache").exists()


# --- Interrupted writes ------------------------------------------------------------

KILLER = """
import os, signal, sys
from infogen import cli
when, sig = sys.argv[1], getattr(signal, sys.argv[2])
real_fsync, real_replace = os.fsync, os.replace
count = {"n": 0}
def fsync(fd):
    real_fsync(fd)
    count["n"] += 1
    if when == "writing" and count["n"] == 2:
        os.kill(os.getpid(), sig)
def replace(a, b):
    real_replace(a, b)
    if when == "moving":
        os.kill(os.getpid(), sig)
os.fsync, os.replace = fsync, replace
sys.argv = ["infogen", *sys.argv[3:]]
cli.main()
"""


@pytest.mark.parametrize(
    ("when", "sig", "outputs"),
    [("writing", "SIGTERM", "old"), ("writing", "SIGKILL", "old"), ("moving", "SIGTERM", "new")],
)
def test_an_interrupted_render_leaves_all_old_or_all_new_outputs_and_no_temporary_files(
    project_copy, tmp_path, when, sig, outputs
):
    out = tmp_path / "out"
    args = [
        "render",
        "--lang",
        "nl,en",
        "--format",
        "pdf,svg",
        "-q",
        "--out",
        str(out),
        "--project",
        str(project_copy),
    ]
    assert subprocess.run([sys.executable, "-m", "infogen", *args], timeout=60).returncode == 0
    old = snapshot(out)
    replace_in(project_copy / NL, "heading: Digitale", "heading: Nieuwe digitale")
    replace_in(project_copy / "data/lang/en.yaml", "heading: Public", "heading: New public")
    killed = subprocess.run([sys.executable, "-c", KILLER, when, sig, *args], timeout=60)
    assert killed.returncode == -getattr(signal, sig)
    files = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert files == set(old)
    after = snapshot(out)
    changed = {name for name in old if after[name] != old[name]}
    assert changed == (set() if outputs == "old" else set(old))  # all old or all new, never a mix
    assert subprocess.run([sys.executable, "-m", "infogen", *args], timeout=60).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(old)  # the stale staging is gone
