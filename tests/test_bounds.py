"""Resource bounds: hostile input is refused or rendered within bounded time and memory.

Each case runs the real command in a child process under hard limits — a 30 s timeout
and a 1 GiB address-space cap — and its peak memory is read back from the kernel. The
README states the bounds; `make bench` reports the actual times.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

TIMEOUT_S = 30
ADDRESS_SPACE = 2**30
PEAK_RSS_MB = 200


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


# The render, with its own peak resident memory (VmHWM: this address space's high-water
# mark) written as the last line of stderr when the interpreter ends. wait4's ru_maxrss
# would not do: Linux counts a child's from at least its parent's size at the fork (exec
# folds the replaced address space, a copy of the parent's, into it), and the parent here
# is the test run, far larger than a render.
RENDER_REPORTING_PEAK = """
import atexit, re, sys
def peak():
    status = open("/proc/self/status").read()
    sys.stderr.write("\\npeak-rss-kb " + re.search(r"VmHWM:\\s+(\\d+)", status).group(1) + "\\n")
atexit.register(peak)
from infogen.cli import main
sys.argv[0] = "infogen"
main()
"""


def run_bounded(project: Path, out: Path) -> tuple[int, str, float]:
    """Exit code, stderr and peak resident memory (MB) of one render: the child's own."""
    cmd = [
        sys.executable,
        "-c",
        RENDER_REPORTING_PEAK,
        "render",
        "--lang",
        "en",
        "-q",
        "--out",
        str(out),
        "--project",
        str(project),
    ]
    # In this one process (no --jobs workers, whose memory the figure would leave out).
    env = {k: v for k, v in os.environ.items() if k != "INFOGEN_JOBS"}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=_limits, env=env)
        timer = threading.Timer(TIMEOUT_S, proc.kill)
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        assert proc.returncode != -signal.SIGKILL, f"render did not end within {TIMEOUT_S} s"
        err.seek(0)
        text = err.read().decode(errors="replace")
        reports = list(re.finditer(r"^peak-rss-kb (\d+)$", text, re.MULTILINE))
        assert reports, f"the render ended without reporting its memory (exit {proc.returncode}):\n{text}"
        last = reports[-1]
        return (
            proc.returncode,
            text[: last.start()].rstrip("\n") + text[last.end() :],
            int(last.group(1)) / 1024,
        )


def hostile_everything_long(project: Path) -> None:
    """Every string at the length limit, and fitting asked to try thousands of sizes."""
    path = project / "data" / "lang" / "en.yaml"
    en = yaml.safe_load(path.read_text())
    long = ("w " * 499).strip()
    en["heading"], en["intro"] = long, [long] * 12
    for theme in en["themes"].values():
        theme["title"], theme["bullets"] = long, [long] * 3
    path.write_text(yaml.safe_dump(en, width=10**6))
    layout = project / "layouts" / "default.yaml"
    layout.write_text(
        layout.read_text().replace("min_size: 11pt", "min_size: 4pt").replace("step: 0.25pt", "step: 0.05pt")
    )


def hostile_many_themes(project: Path) -> None:
    """As many groups and themes as the schema allows, in a file just under 1 MB."""
    structure = yaml.safe_load((project / "data" / "theme.yaml").read_text())
    en = yaml.safe_load((project / "data" / "lang" / "en.yaml").read_text())
    structure["groups"], en["groups"], en["themes"] = [], {}, {}
    for g in range(12):
        ids = [f"t{g}-{t}" for t in range(24)]
        structure["groups"].append({"id": f"g{g}", "themes": [{"id": i, "icon": "shield"} for i in ids]})
        en["groups"][f"g{g}"] = f"Group {g}"
        for i in ids:
            en["themes"][i] = {"title": "A title " * 10, "bullets": [("word " * 50).strip()] * 3}
    (project / "data" / "theme.yaml").write_text(yaml.safe_dump(structure))
    (project / "data" / "lang" / "en.yaml").write_text(yaml.safe_dump(en, width=10**6))


def hostile_alias_bomb(project: Path) -> None:
    path = project / "data" / "lang" / "en.yaml"
    bomb = "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(10)
    )
    path.write_text(bomb + path.read_text())


def hostile_deep_nesting(project: Path) -> None:
    (project / "layouts" / "default.yaml").write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")


def hostile_huge_page(project: Path) -> None:
    layout = project / "layouts" / "default.yaml"
    text = (
        layout.read_text().replace("width: 297mm", "width: 5000pt").replace("height: 420mm", "height: 5000pt")
    )
    layout.write_text(text.replace("size: 16pt", "size: 200pt"))


@pytest.mark.parametrize(
    "make_hostile",
    [
        hostile_everything_long,
        hostile_many_themes,
        hostile_alias_bomb,
        hostile_deep_nesting,
        hostile_huge_page,
    ],
    ids=lambda f: f.__name__.removeprefix("hostile_"),
)
def test_hostile_input_ends_within_bounds(tmp_path, make_hostile):
    project = tmp_path / "project"
    for name in ("data", "layouts"):
        shutil.copytree(ROOT / name, project / name)
    (project / "fonts").mkdir()
    (project / "data" / "lang" / "nl.yaml").unlink()
    make_hostile(project)
    code, err, peak_mb = run_bounded(project, tmp_path / "out")
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code:
        assert "error:" in err and not (tmp_path / "out").exists()
    assert peak_mb < PEAK_RSS_MB, f"peak memory {peak_mb:.0f} MB"
