"""infogen's benchmark: how fast and how big, each figure against a plain reportlab script.

`make bench` runs this. It prints a table and writes benchmarks/results.json:

- cold: the whole `infogen render --lang nl --format pdf` process (and `--format pdf,svg`,
  and `svg`) against `python benchmarks/baseline.py --lang nl` (benchmarks/baseline.py:
  the same page, the same data and fonts, drawn with reportlab and nothing else), as
  subprocesses of the same interpreter, alternating, the median of the pairwise ratios;
- warm: in one process, as a batch worker keeps its Renderer: the time per PDF artifact
  (Scene + export), per SVG and per PNG, the languages en/nl/de/fr in turn and every
  string of the language file changed on each visit, so nothing is merely memoised;
  against the baseline's `draw()` of the same, changed files, alternating;
- the batch: every layout × language × format with `--jobs 1` and `--jobs 2`;
- peak memory: of a single-process batch, and of each worker of `--jobs 2`;
- output sizes: default-en.pdf and .svg (and .png);
- hostile inputs (from tests/test_bounds.py): time and memory of each.

Speed goals live here, never in timed tests: the targets are the issue's, as ratios to
the baseline measured in the same run (a machine's speed cancels out; its noise does not:
see --help for what this does about it).

    python benchmarks/run.py                 # everything (7 cold rounds, 3 batch rounds)
    python benchmarks/run.py --quick         # 3 rounds, 1 batch round, no hostile inputs
    python benchmarks/run.py --quick --check-only   # does the harness work? (~1 min; writes nothing)
    python benchmarks/run.py --profile       # cProfile and -X importtime into benchmarks/profiles/
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from launch import Launcher

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
INFOGEN = str(Path(PYTHON).parent / "infogen")  # the console script, as a user starts it
BASELINE = str(BENCH / "baseline.py")
RESULTS = BENCH / "results.json"
PROFILES = BENCH / "profiles"
LANGS = ("en", "nl", "de", "fr")  # the warm rotation: the languages the baseline can set
COLD_LANG = "nl"
LAYOUT = "default"
MIB = 1024 * 1024


class Baseline:
    """benchmarks/baseline.py's warm mode, in a process of its own (baseline.serve() says
    why); each reply gives the wall and CPU seconds of the draw alone."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, BASELINE, "--worker"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __enter__(self) -> Baseline:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()

    def ask(self, op: str, lang: str, root: Path = ROOT, out: Path | None = None) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"op": op, "lang": lang, "root": str(root), "out": str(out) if out else None}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"benchmark: the baseline worker ended ({self.proc.wait()}) at {request}")
        return json.loads(line)

    def timed(self, op: str, lang: str, root: Path = ROOT) -> tuple[float, float]:
        reply = self.ask(op, lang, root)
        return reply["wall"], reply["cpu"]


def progress(message: str) -> None:
    """A line that the next one overwrites, on a terminal only."""
    if sys.stdout.isatty():
        print(f"\r{message:60}\r", end="", flush=True)


# --- processes ---------------------------------------------------------------------------


@dataclass
class Proc:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    peak_rss: float  # bytes: the largest resident set of the process or a child it waited for
    workers: dict[int, float] = field(default_factory=dict)  # child pid -> its peak RSS (bytes)


_launcher: Launcher | None = None


def launcher() -> Launcher:
    """The one launcher of this run (main starts it first, while this process is small)."""
    global _launcher
    if _launcher is None:
        _launcher = Launcher()
    return _launcher


def run_process(cmd: Sequence[str], env: dict[str, str], watch_children: bool = False) -> Proc:
    """Run to the end, started by the launcher (launch.py: so that the peak RSS is the
    child's own, not this process's); wall time, CPU time and peak RSS as the kernel
    reports them (wait4), and each child's peak (VmHWM) if `watch_children`."""
    got = launcher().run(cmd, env, watch_children, cwd=str(ROOT))
    if got["returncode"] != 0:
        raise SystemExit(f"benchmark: {' '.join(cmd)} exited {got['returncode']}:\n{got['stderr']}")
    return Proc(got["wall"], got["cpu"], got["peak_rss"], {int(k): v for k, v in got["workers"].items()})


class Env:
    """The children's environment, recorded in results.json.

    `clean` (the default): PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX a fresh
    directory, so every module (infogen's, reportlab's, the baseline's) runs from bytecode
    Python wrote there in the discarded first run — as after `make setup`, which compiles
    src/, even while others edit src/ (nothing is written under src/); INFOGEN_*
    settings removed; XDG_CACHE_HOME a new, empty directory for every run, so a cache
    kept there (none is, today) is empty for the cold figures.
    `inherit`: this process's environment as it is (CI sets PYTHONDONTWRITEBYTECODE=1;
    then modules whose bytecode is missing or stale are compiled on every start)."""

    def __init__(self, mode: str, tmp: Path) -> None:
        self.mode, self.tmp = mode, tmp
        base = dict(os.environ)
        if mode == "clean":
            base.pop("PYTHONDONTWRITEBYTECODE", None)
            base["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
            for key in [k for k in base if k.startswith("INFOGEN_") or k in ("PYTHONPROFILEIMPORTTIME",)]:
                del base[key]
        self.base = base
        self._n = 0

    def fresh(self, **extra: str) -> dict[str, str]:
        self._n += 1
        cache = self.tmp / f"cache-{self._n}"
        cache.mkdir()
        return {**self.base, "XDG_CACHE_HOME": str(cache), **extra}

    def record(self) -> dict[str, Any]:
        keys = sorted(k for k in self.base if k.startswith(("PYTHON", "INFOGEN_")))
        return {
            "mode": self.mode,
            "children": {k: self.base[k] for k in keys},
            "XDG_CACHE_HOME": "a new empty directory per run",
            "inherited_PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
        }


# --- results -----------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    what: str
    unit: str  # s, B (bytes), or x (a ratio alone)
    infogen: float | None
    reference: float | None = None
    versus: str = "baseline"
    ratio: float | None = None  # the median of the pairwise ratios, where there are pairs
    cpu_ratio: float | None = None  # the same for CPU time: less sensitive to other load
    target: str = ""  # "ratio <= 1.3", "ratio >= 1.7", "value < 80 MiB", ...
    passed: bool | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)


def check(row: Row, target: str) -> Row:
    """Apply a target: 'ratio <= 1.3', 'ratio >= 1.7', 'value < 83886080'."""
    row.target = target
    what, op, limit = target.split()
    value = row.ratio if what == "ratio" else row.infogen
    if value is not None:
        row.passed = {"<=": value <= float(limit), ">=": value >= float(limit), "<": value < float(limit)}[op]
    return row


def median_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def paired(
    key: str, what: str, ours: Sequence[float], ref: Sequence[float], versus: str = "baseline", cpu=None
) -> Row:
    row = Row(
        key, what, "s", statistics.median(ours), statistics.median(ref), versus, median_ratio(ours, ref)
    )
    row.samples = {"infogen": list(ours), versus: list(ref)}
    if cpu:
        row.cpu_ratio = median_ratio(*cpu)
        row.samples |= {"infogen_cpu": list(cpu[0]), f"{versus}_cpu": list(cpu[1])}
    return row


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "B":
        return f"{value / MIB:.1f} MiB" if value >= MIB else f"{value / 1000:.1f} kB"
    return f"{value:.2f}×"


def fmt_target(target: str) -> str:
    if not target:
        return ""
    what, op, limit = target.split()
    if what == "ratio":
        return f"{op} {float(limit):g}×"
    n = float(limit)
    return f"{op} {n / MIB:g} MiB" if n >= MIB else f"{op} {n / 1000:g} kB"


def print_table(rows: Sequence[Row]) -> None:
    header = ("what", "infogen", "reference", "vs", "ratio", "cpu ratio", "target", "")
    lines = [header]
    for r in rows:
        verdict = "" if r.passed is None else ("pass" if r.passed else "FAIL")
        lines.append(
            (
                r.what,
                fmt(r.infogen, r.unit),
                fmt(r.reference, r.unit),
                r.versus if r.reference is not None else "",
                "" if r.ratio is None else f"{r.ratio:.2f}×",
                "" if r.cpu_ratio is None else f"{r.cpu_ratio:.2f}×",
                fmt_target(r.target),
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i in (0, 3, 7) else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --- the machine -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = None
    with contextlib.suppress(OSError, AttributeError, ValueError):
        kib = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text()).group(1)  # type: ignore[union-attr]
        memory = int(kib) * 1024
    versions = {}
    from importlib import metadata

    for dist in (
        "infogen",
        "reportlab",
        "svgwrite",
        "PyYAML",
        "fonttools",
        "uharfbuzz",
        "pypdfium2",
        "pillow",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_bytes": memory,
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": PYTHON,
        "packages": versions,
        "commit": git_commit(),
    }


def git_commit() -> str | None:
    """HEAD's commit, read from .git (no git command is run)."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None


def load() -> dict[str, Any]:
    """/proc/loadavg: the 1, 5 and 15 minute load and the running processes (this one too)."""
    try:
        parts = Path("/proc/loadavg").read_text().split()
        return {
            "1min": float(parts[0]),
            "5min": float(parts[1]),
            "15min": float(parts[2]),
            "running": parts[3],
        }
    except (OSError, IndexError, ValueError):
        return {}


def cpu_busy(seconds: float = 1.0) -> float | None:
    """The share of all CPUs' time spent busy over the next `seconds` (from /proc/stat):
    what other processes take from the benchmark right now (it is idle meanwhile)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields[:8]), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_for_quiet(limit: float, most: float = 0.25) -> float | None:
    """Wait up to `limit` seconds for the other processes to take less than `most` of the
    CPUs; return the last reading."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy is not None and busy > most and time.monotonic() < deadline:
        progress(f"  waiting for a quieter machine: {busy:.0%} busy")
        busy = cpu_busy(2.0)
    progress("")
    return busy


# --- cold --------------------------------------------------------------------------------


def infogen_cmd(out: Path, *args: str) -> list[str]:
    return [PYTHON, INFOGEN, "render", *args, "--out", str(out), "-q"]


def baseline_cmd(out: Path, lang: str = COLD_LANG) -> list[str]:
    return [PYTHON, BASELINE, "--lang", lang, "--out", str(out / f"baseline-{lang}.pdf")]


def cold(env: Env, tmp: Path, runs: int) -> list[Row]:
    cases: dict[str, Callable[[Path], list[str]]] = {
        "baseline": lambda out: baseline_cmd(out),
        "pdf": lambda out: infogen_cmd(out, "--lang", COLD_LANG, "--format", "pdf"),
        "pdf,svg": lambda out: infogen_cmd(out, "--lang", COLD_LANG, "--format", "pdf,svg"),
        "svg": lambda out: infogen_cmd(out, "--lang", COLD_LANG, "--format", "svg"),
    }
    n = 0

    def one(name: str) -> Proc:
        nonlocal n
        n += 1
        out = tmp / f"cold-{n}"
        out.mkdir()
        return run_process(cases[name](out), env.fresh())

    for name in cases:  # discarded: writes the bytecode, fills the OS's file cache
        one(name)
    got: dict[str, list[Proc]] = {name: [] for name in cases}
    names = list(cases)
    for r in range(runs):
        order = names[r % len(names) :] + names[: r % len(names)]  # each case in each position
        for name in order:
            got[name].append(one(name))
        progress(f"  cold round {r + 1}/{runs}")
    progress("")

    base = got["baseline"]

    def row(key: str, name: str, what: str) -> Row:
        ours = got[name]
        return paired(
            key,
            what,
            [p.wall for p in ours],
            [p.wall for p in base],
            cpu=([p.cpu for p in ours], [p.cpu for p in base]),
        )

    rows = [
        check(row("cold_pdf", "pdf", f"cold render --lang {COLD_LANG} --format pdf"), "ratio <= 1.3"),
        check(
            row("cold_pdf_svg", "pdf,svg", f"cold render --lang {COLD_LANG} --format pdf,svg"), "ratio <= 1.5"
        ),
        row("cold_svg", "svg", f"cold render --lang {COLD_LANG} --format svg"),
    ]
    rss = Row(
        "cold_pdf_rss",
        f"peak RSS, cold --lang {COLD_LANG} --format pdf",
        "B",
        max(p.peak_rss for p in got["pdf"]),
        max(p.peak_rss for p in base),
    )
    rss.ratio = rss.infogen / rss.reference  # type: ignore[operator]
    return rows + [rss]


# --- warm --------------------------------------------------------------------------------

WORD = re.compile(r"\{[^}]*\}|[^\W\d_]{4,}")  # a placeholder, kept; or a word of 4+ letters


def scramble(text: str, visit: int) -> str:
    """Each word of four letters or more with its inner letters rotated by a step that
    changes with every visit (the same letters, so about the same width and the same
    glyphs; other strings, other words, other hyphenation points)."""

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.startswith("{"):
            return word
        inner = word[1:-1]
        k = 1 + (visit - 1) % (len(inner) - 1)
        return word[0] + inner[k:] + inner[:k] + word[-1]

    return WORD.sub(one, text)


def varied(node: Any, visit: int) -> Any:
    """A language file's strings, changed for this visit (visit 0: as they are)."""
    if visit == 0:
        return node
    if isinstance(node, str):
        return scramble(node, visit)
    if isinstance(node, list):
        return [varied(item, visit) for item in node]
    if isinstance(node, dict):
        return {k: v if k == "language" else varied(v, visit) for k, v in node.items()}
    return node


@contextlib.contextmanager
def project_copy(tmp: Path) -> Iterator[Path]:
    """A copy of the project whose language files the warm runs rewrite."""
    root = Path(tempfile.mkdtemp(prefix="project-", dir=tmp))
    for name in ("data", "layouts", "fonts", "profiles"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    yield root


class Warm:
    """Renders in this process, as a batch worker does: one Renderer for all of them."""

    def __init__(self, root: Path) -> None:
        from infogen.api import Renderer, export
        from infogen.project import Project

        self.root, self.export, self.Renderer, self.Project = root, export, Renderer, Project
        self.renderer = Renderer(Project(root))
        self.originals = {
            lang: yaml.safe_load((ROOT / "data" / "lang" / f"{lang}.yaml").read_text(encoding="utf-8"))
            for lang in LANGS
        }

    def write(self, lang: str, visit: int) -> None:
        text = yaml.safe_dump(
            varied(self.originals[lang], visit), allow_unicode=True, width=10**6, sort_keys=False
        )
        (self.root / "data" / "lang" / f"{lang}.yaml").write_text(text, encoding="utf-8")

    def artifacts(
        self, lang: str, formats: Sequence[str] = ("pdf", "svg", "png")
    ) -> dict[str, tuple[float, float]]:
        """Wall and CPU seconds of each stage: scene, then each export from it."""
        r = self.renderer
        times: dict[str, tuple[float, float]] = {}
        w, c = time.perf_counter(), time.process_time()
        scene, _fits = r.scene_with_fits(LAYOUT, lang)
        options, dpi = r.pdf_options(LAYOUT), r.dpi(LAYOUT)
        times["scene"] = (time.perf_counter() - w, time.process_time() - c)
        for fmt_ in formats:
            w, c = time.perf_counter(), time.process_time()
            self.export(scene, fmt_, options, dpi)
            times[fmt_] = (time.perf_counter() - w, time.process_time() - c)
        return times

    def pdf(self, lang: str, renderer: Any) -> tuple[float, float]:
        """Wall and CPU seconds of one PDF artifact; with no renderer, a new one (timed too)."""
        w, c = time.perf_counter(), time.process_time()
        if renderer is None:
            renderer = self.Renderer(self.Project(self.root))
        scene, _fits = renderer.scene_with_fits(LAYOUT, lang)
        self.export(scene, "pdf", renderer.pdf_options(LAYOUT), renderer.dpi(LAYOUT))
        return time.perf_counter() - w, time.process_time() - c


def warm(tmp: Path, iterations: int) -> list[Row]:
    with project_copy(tmp) as root, Baseline() as base:
        w = Warm(root)
        for lang in LANGS:  # warm-up: imports, fonts, layouts; the original strings
            w.artifacts(lang)
            base.ask("pdf", lang, root)
            base.ask("png", lang, root)
        stages: dict[str, list[tuple[float, float]]] = {
            k: [] for k in ("scene", "pdf", "svg", "png_scene", "png")
        }
        base_pdf: list[tuple[float, float]] = []
        base_png: list[tuple[float, float]] = []
        for i in range(iterations):
            lang, visit = LANGS[i % len(LANGS)], 1 + i // len(LANGS)
            w.write(lang, visit)  # new strings, never rendered before: nothing to memoise
            if i % 2:
                ours = w.artifacts(lang, ("pdf", "svg"))
            base_pdf.append(base.timed("pdf", lang, root))
            if not i % 2:
                ours = w.artifacts(lang, ("pdf", "svg"))
            for k in ("scene", "pdf", "svg"):
                stages[k].append(ours[k])
            progress(f"  warm {i + 1}/{iterations}")
        # PNG on its own: its large images would disturb the PDF figures. Fewer renders:
        # each takes about a second, most of it Pillow's encoder on both sides.
        for i in range(max(2, iterations // 2)):
            lang, visit = LANGS[i % len(LANGS)], 1000 + i  # other changed strings again
            w.write(lang, visit)
            if i % 2:
                ours = w.artifacts(lang, ("png",))
            base_png.append(base.timed("png", lang, root))
            if not i % 2:
                ours = w.artifacts(lang, ("png",))
            stages["png_scene"].append(ours["scene"])
            stages["png"].append(ours["png"])
            progress(f"  warm PNG {i + 1}/{max(2, iterations // 2)}")

        # The same four languages again and again, unchanged: what memoising can give
        # (a batch sets the same strings in every layout); and a new Renderer each time.
        memo: list[tuple[float, float]] = []
        memo_base: list[tuple[float, float]] = []
        fresh: list[tuple[float, float]] = []
        fresh_base: list[tuple[float, float]] = []
        for lang in LANGS:
            w.write(lang, 0)
            w.pdf(lang, w.renderer)
        for i in range(iterations):
            lang = LANGS[i % len(LANGS)]
            memo.append(w.pdf(lang, w.renderer))
            memo_base.append(base.timed("pdf", lang, root))
            fresh_base.append(base.timed("fresh", lang, root))
            fresh.append(w.pdf(lang, None))
            progress(f"  warm (memo, fresh) {i + 1}/{iterations}")
        progress("")

    def col(pairs: list[tuple[float, float]], k: int) -> list[float]:
        return [p[k] for p in pairs]

    def add(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x[0] + y[0], x[1] + y[1]) for x, y in zip(a, b, strict=True)]

    def row(key: str, what: str, ours: list, ref: list, versus: str = "baseline") -> Row:
        return paired(key, what, col(ours, 0), col(ref, 0), versus, cpu=(col(ours, 1), col(ref, 1)))

    per_pdf, per_svg = (add(stages["scene"], stages[f]) for f in ("pdf", "svg"))
    per_png = add(stages["png_scene"], stages["png"])
    return [
        check(
            row("warm_pdf", "warm per PDF (scene + export), varied input", per_pdf, base_pdf), "ratio <= 1.0"
        ),
        row("warm_scene", "  of which the scene", stages["scene"], base_pdf),
        row("warm_pdf_export", "  of which the PDF export", stages["pdf"], base_pdf),
        check(
            row(
                "warm_svg_export",
                "warm per SVG export, vs the PDF export",
                stages["svg"],
                stages["pdf"],
                "infogen PDF",
            ),
            "ratio <= 1.0",
        ),
        row("warm_svg", "warm per SVG (scene + export)", per_svg, base_pdf),
        row("warm_png", "warm per PNG (scene + export)", per_png, base_png, "baseline PNG"),
        row("warm_pdf_memo", "warm per PDF, same 4 inputs again (memoised)", memo, memo_base),
        row("warm_pdf_fresh", "warm per PDF, a new Renderer each time", fresh, fresh_base, "baseline, reset"),
    ]


# --- batch and memory --------------------------------------------------------------------


def batch(env: Env, tmp: Path, runs: int, select: Sequence[str]) -> list[Row]:
    got: dict[int, list[Proc]] = {1: [], 2: []}
    for r in range(runs + 1):  # round 0 is discarded: bytecode, file cache
        for jobs in (1, 2) if r % 2 else (2, 1):
            out = tmp / f"batch-{r}-{jobs}"
            proc = run_process(
                infogen_cmd(out, *select, "--jobs", str(jobs)), env.fresh(), watch_children=True
            )
            if r:
                got[jobs].append(proc)
        progress(f"  batch round {r}/{runs}")
    progress("")
    one, two = got[1], got[2]
    label = "every layout × language × format" if select.count("all") == 3 else " ".join(select)
    first = Row("batch_jobs1", f"batch {label} --jobs 1", "s", statistics.median(p.wall for p in one))
    first.samples = {"infogen": [p.wall for p in one], "infogen_cpu": [p.cpu for p in one]}
    speed = Row(
        "batch_jobs2",
        f"batch {label} --jobs 2 (ratio: speedup)",
        "s",
        statistics.median(p.wall for p in two),
        first.infogen,
        "--jobs 1",
        statistics.median(a.wall / b.wall for a, b in zip(one, two, strict=True)),
    )
    speed.samples = {"infogen": [p.wall for p in two], "--jobs 1": [p.wall for p in one]}
    single = Row("rss_jobs1", "peak RSS, batch --jobs 1 (one process)", "B", max(p.peak_rss for p in one))
    worker_peaks = [peak for p in two for peak in p.workers.values()]
    worker = Row(
        "rss_worker", "peak RSS of a --jobs 2 worker", "B", max(worker_peaks) if worker_peaks else None
    )
    worker.samples = {"infogen": worker_peaks}
    limit = f"value < {80 * MIB}"
    return [first, check(speed, "ratio >= 1.7"), check(single, limit), check(worker, limit)]


def sizes(env: Env, tmp: Path) -> list[Row]:
    out = tmp / "sizes"
    run_process(infogen_cmd(out, "--lang", "en", "--format", "all"), env.fresh())
    run_process(baseline_cmd(out, "en"), env.fresh())
    ref = (out / "baseline-en.pdf").stat().st_size
    with Baseline() as base:
        base_png = base.ask("png", "en")["bytes"]
    rows = []
    for fmt_, limit, versus, reference in (
        ("pdf", 50_000, "baseline", ref),
        ("svg", 150_000, "baseline", ref),
        ("png", None, "baseline PNG", base_png),
    ):
        size = (out / f"{LAYOUT}-en.{fmt_}").stat().st_size
        row = Row(f"size_{fmt_}", f"size {LAYOUT}-en.{fmt_}", "B", size, reference, versus, size / reference)
        rows.append(check(row, f"value < {limit}") if limit else row)
    return rows


# --- hostile inputs (the bounds tests' cases, timed) -------------------------------------


def hostile(tmp: Path) -> list[dict[str, Any]]:
    """Time and memory of the hostile renders tests/test_bounds.py runs under hard limits."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import test_bounds  # the same hostile inputs, built the same way
    except ImportError as exc:  # the test tools (pytest) are not installed
        print(f"  hostile inputs skipped: {exc}")
        return []
    cases = []
    for make in (
        test_bounds.hostile_everything_long,
        test_bounds.hostile_many_themes,
        test_bounds.hostile_alias_bomb,
        test_bounds.hostile_deep_nesting,
        test_bounds.hostile_huge_page,
    ):
        work = Path(tempfile.mkdtemp(prefix="hostile-", dir=tmp))
        project = work / "project"
        for name in ("data", "layouts"):
            shutil.copytree(ROOT / name, project / name)
        (project / "fonts").mkdir()
        make(project)
        # The tests' command under the tests' limits, started by the launcher.
        cmd = [PYTHON, "-m", "infogen", "render", "--lang", "en", "-q", "--out", str(work / "out"),
               "--project", str(project)]  # fmt: skip
        limits = {"timeout": test_bounds.TIMEOUT_S, "address_space": test_bounds.ADDRESS_SPACE}
        got = launcher().run(cmd, dict(os.environ), cwd=str(ROOT), **limits)
        cases.append(
            {
                "case": make.__name__.removeprefix("hostile_"),
                "seconds": got["wall"],
                "peak_rss_mb": got["peak_rss"] / 2**20,
                "exit": got["returncode"],
            }
        )
    return cases


# --- profiles ----------------------------------------------------------------------------


def short(filename: str) -> str:
    for marker in ("/site-packages/", "/src/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def entries(stats: pstats.Stats) -> list[tuple[float, float, int, str]]:
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{short(filename)}:{line}({func})" if line else func
        rows.append((ct, tt, nc, where))
    return rows


def report(
    path: Path, title: str, top: int = 25, only: str | None = None, out: list[str] | None = None
) -> str:
    """The top entries of a cProfile file, by cumulative time (and by own time)."""
    stats = pstats.Stats(str(path))
    rows = entries(stats)
    lines = [
        f"{title}: top {top} by cumulative time ({path.name})",
        f"{'cum ms':>9} {'own ms':>8} {'calls':>8}  function",
    ]
    picked = [r for r in rows if only is None or (only in r[3] and "<module>" not in r[3])]
    for ct, tt, nc, where in sorted(picked, reverse=True)[:top]:
        lines.append(f"{ct * 1000:9.1f} {tt * 1000:8.1f} {nc:8d}  {where}")
    text = "\n".join(lines)
    if out is not None:
        out.append(text)
    return text


def full_report(path: Path, title: str) -> None:
    """All of it into a .txt beside the .prof: 80 by cumulative, 40 by own time."""
    stats = pstats.Stats(str(path))
    rows = entries(stats)
    lines = [
        f"{title}: {path.name}",
        "",
        f"{'cum ms':>9} {'own ms':>8} {'calls':>8}  function (by cumulative)",
    ]
    lines += [
        f"{ct * 1000:9.1f} {tt * 1000:8.1f} {nc:8d}  {w}" for ct, tt, nc, w in sorted(rows, reverse=True)[:80]
    ]
    lines += ["", f"{'own ms':>9} {'cum ms':>8} {'calls':>8}  function (by own time)"]
    lines += [
        f"{tt * 1000:9.1f} {ct * 1000:8.1f} {nc:8d}  {w}"
        for ct, tt, nc, w in sorted(rows, key=lambda r: r[1], reverse=True)[:40]
    ]
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_summary(text: str, top: int = 15) -> list[str]:
    """-X importtime's lines: own import time summed by top-level package (the parts add up
    to the whole), then the single modules that take longest with what they import."""
    own: dict[str, int] = {}
    modules: list[tuple[int, str]] = []
    for line in text.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            package = m.group(4).split(".")[0]
            own[package] = own.get(package, 0) + int(m.group(1))
            modules.append((int(m.group(2)), m.group(4)))
    lines = [f"{'own ms':>9}  by package (own time of its modules)"]
    lines += [f"{us / 1000:9.1f}  {name}" for name, us in sorted(own.items(), key=lambda kv: -kv[1])[:top]]
    lines.append(f"{sum(own.values()) / 1000:9.1f}  all imports")
    lines += ["", f"{'cum ms':>9}  by module (with its imports)"]
    lines += [f"{us / 1000:9.1f}  {name}" for us, name in sorted(modules, reverse=True)[:top]]
    return lines


# The stages of a render, each found in a profile by its function: the largest cumulative
# time of the entries matching it (a renamed function shows as "–": update the pattern).
PHASES = (
    ("imports, all of them", r"_bootstrap>:\d+\(_find_and_load\)$"),
    ("command line: click, option checks", r"click/core.py:\d+\(make_context\)"),
    ("preflight: output dir, layouts, names", r"infogen/cli.py:\d+\(_preflight\)"),
    ("YAML read with positions (source.load_yaml)", r"infogen/source.py:\d+\(load_yaml\)"),
    ("typed model (model/schema.py read)", r"infogen/model/schema.py:\d+\(read\)"),
    ("font lookup (FontLibrary.find)", r"infogen/text/fonts.py:\d+\(find\)"),
    ("hyphenation patterns (pyphen.Pyphen)", r"pyphen/__init__.py:\d+\(__init__\)"),
    ("the Scene (compose_with_fits)", r"compose.py:\d+\(compose_with_fits\)"),
    ("  fit search (fit.size_panels)", r"layout/fit.py:\d+\(size_panels\)"),
    ("  paragraphs set (paragraph.set_paragraph)", r"paragraph.py:\d+\(set_paragraph\)"),
    ("  line breaking (linebreak.break_lines)", r"linebreak.py:\d+\(break_lines\)"),
    ("  shaping (shaping.shape, HarfBuzz)", r"text/shaping.py:\d+\(shape\)"),
    ("  segments, hyphenation points", r"text/segment.py:\d+\(segments\)"),
    ("PDF export (export_pdf)", r"export/pdf.py:\d+\(export_pdf\)"),
    ("  TrueType parsing (reportlab TTFont)", r"ttfonts.py:\d+\(__init__\)"),
    ("  painting (export/walk.paint)", r"export/walk.py:\d+\(paint\)"),
    ("  subsetting (reportlab makeSubset)", r"ttfonts.py:\d+\(makeSubset\)"),
    ("  tagged structure (export/tags.py)", r"export/tags.py:\d+\(write_structure\)"),
    ("  reportlab's save", r"pdfgen/canvas.py:\d+\(save\)"),
    ("SVG export (export_svg)", r"export/svg.py:\d+\(export_svg\)"),
    ("PNG export (export_png)", r"export/png.py:\d+\(export_png\)"),
    ("  PNG encoding (Pillow save)", r"PIL/Image.py:\d+\(save\)"),
    ("  rasterising (PDFium render)", r"pypdfium2/.*\(render\)"),
    ("writing the files (cli.write_atomically)", r"infogen/cli.py:\d+\(write_atomically\)"),
)


def phases(path: Path, title: str, divide: int = 1, out: list[str] | None = None) -> str:
    stats = pstats.Stats(str(path))
    rows, total = entries(stats), stats.total_tt  # type: ignore[attr-defined]
    lines = [f"{title}: stages ({path.name}{f', per render of {divide}' if divide > 1 else ''})"]
    lines.append(f"{'cum ms':>9} {'share':>6}  stage")
    for label, pattern in PHASES:
        found = [ct for ct, _tt, _nc, where in rows if re.search(pattern, where)]
        if found:
            ct = max(found)
            lines.append(f"{ct * 1000 / divide:9.1f} {ct / total:6.0%}  {label}")
    text = "\n".join(lines)
    if out is not None:
        out.append(text)
    return text


def profile(env: Env, tmp: Path, iterations: int) -> None:
    PROFILES.mkdir(exist_ok=True)
    shown: list[str] = []
    out = tmp / "profile"
    cmd = infogen_cmd(out, "--lang", COLD_LANG, "--format", "pdf")
    run_process(cmd, env.fresh())  # the bytecode, the file cache
    run_process(baseline_cmd(out), env.fresh())
    for name, args in (("cold-render", cmd), ("cold-baseline", baseline_cmd(out))):
        prof = PROFILES / f"{name}.prof"
        run_process([PYTHON, "-m", "cProfile", "-o", str(prof), *args[1:]], env.fresh())
        full_report(prof, name)
        report(prof, name, out=shown)
        phases(prof, name, out=shown)
        if name == "cold-render":
            report(prof, "cold-render, infogen's own functions", only="infogen/", out=shown)
        err = PROFILES / f"importtime-{name.removeprefix('cold-')}.txt"
        with err.open("w") as f:
            subprocess.run(
                [PYTHON, "-X", "importtime", *args[1:]], cwd=ROOT, env=env.fresh(), stderr=f, check=True
            )
        summary = import_summary(err.read_text())
        (err.with_name(err.stem + "-summary.txt")).write_text("\n".join(summary) + "\n")
        shown.append(f"{name}: imports (-X importtime, {err.name})\n" + "\n".join(summary))

    with project_copy(tmp) as root:
        w = Warm(root)
        for lang in LANGS:
            w.artifacts(lang)
        profilers = {k: cProfile.Profile() for k in ("warm-pdf", "warm-svg", "warm-png")}
        r = w.renderer
        for i in range(iterations):
            lang, visit = LANGS[i % len(LANGS)], 1 + i // len(LANGS)
            w.write(lang, visit)
            p = profilers["warm-pdf"]
            p.enable()
            scene, _ = r.scene_with_fits(LAYOUT, lang)
            w.export(scene, "pdf", r.pdf_options(LAYOUT), r.dpi(LAYOUT))
            p.disable()
            for k, fmt_ in (("warm-svg", "svg"), ("warm-png", "png")):
                profilers[k].enable()
                w.export(scene, fmt_, r.pdf_options(LAYOUT), r.dpi(LAYOUT))
                profilers[k].disable()
        for name, p in profilers.items():
            prof = PROFILES / f"{name}.prof"
            p.dump_stats(str(prof))
            full_report(prof, f"{name}, {iterations} renders")
            report(prof, f"{name} ({iterations} renders; divide by {iterations} for one)", out=shown)
            phases(prof, name, iterations, out=shown)
    print("\n\n".join(shown))
    print(
        f"\nwritten: {', '.join(sorted(p.name for p in PROFILES.iterdir()))} in {PROFILES.relative_to(ROOT)}/"
    )
    print("(snakeviz or `python -m pstats FILE` opens a .prof)")


# --- check-only --------------------------------------------------------------------------


def check_baseline(tmp: Path) -> None:
    """The baseline draws every language it claims, in the project's fonts, subset."""
    with Baseline() as base:
        for lang in LANGS:
            out = tmp / f"check-{lang}.pdf"
            reply = base.ask("pdf", lang, out=out)
            problems = [
                p
                for p, bad in (
                    ("fonts not subset", not reply["subset_fonts"]),
                    ("a base-14 font", reply["base14"]),
                    ("not a PDF", not out.read_bytes().startswith(b"%PDF-")),
                )
                if bad
            ]
            if problems:
                raise SystemExit(f"benchmark: the baseline's {lang} page: {', '.join(problems)}")
            print(
                f"  baseline {lang}: {reply['bytes'] / 1000:.1f} kB, panels overflow the grid by {reply['overflow_pt']:.0f} pt (no fitting)"
            )
        png = tmp / "check-en.png"
        base.ask("png", "en", out=png)
        if not png.read_bytes().startswith(b"\x89PNG"):
            raise SystemExit("benchmark: the baseline's PNG is not a PNG")


def markdown(path: Path) -> str:
    """results.json as the README's table (`run.py --markdown`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    m = data["machine"]
    busy = ", ".join(
        f"{name} {v['cpu_busy_before']:.0%}"
        for name, v in data["load"].get("sections", {}).items()
        if v.get("cpu_busy_before") is not None
    )
    lines = [
        f"Measured {data['date'][:10]} on {m['cpu']}, {m['usable_cores']} cores, "
        f"{(m['memory_bytes'] or 0) / 2**30:.0f} GiB, {m['python']}, {m['platform']}"
        f" (commit {(m['commit'] or 'unknown')[:10]}; load average {data['load']['before'].get('1min', '?')} at the start"
        + (f"; other processes' share of the CPUs before each section: {busy}" if busy else "")
        + "):",
        "",
        "| what | infogen | reference | ratio | CPU ratio | target | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in data["results"]:
        row = Row(**r)
        ref = f"{fmt(row.reference, row.unit)} ({row.versus})" if row.reference is not None else ""
        verdict = "" if row.passed is None else ("pass" if row.passed else "**FAIL**")
        what = row.what.replace("  of which", "… of which")
        lines.append(
            f"| {what} | {fmt(row.infogen, row.unit)} | {ref} | "
            f"{'' if row.ratio is None else f'{row.ratio:.2f}×'} | "
            f"{'' if row.cpu_ratio is None else f'{row.cpu_ratio:.2f}×'} | {fmt_target(row.target)} | {verdict} |"
        )
    return "\n".join(lines).replace("<=", "≤").replace(">=", "≥")


# --- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="infogen's benchmark (see the module's docstring).",
        epilog="Noise: this measures on whatever machine it is given, busy or not. Runs alternate "
        "(each round puts each case in another position), the ratios are medians of pairs run "
        "back to back, CPU-time ratios are shown beside wall-time ones (other processes stretch "
        "wall time, much less CPU time), and the load average before and after is recorded.",
    )
    parser.add_argument("--runs", type=int, help="cold rounds (default 7; --quick 3)")
    parser.add_argument(
        "--batch-runs", type=int, help="batch rounds of --jobs 1 and 2 (default 3; --quick 1)"
    )
    parser.add_argument("--warm", type=int, help="warm renders of each kind (default 16; --quick 8)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no hostile inputs")
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="check that the harness and the baseline work: one round of everything, a small batch; "
        "writes no results.json and fails only when something breaks",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--profile", action="store_true", help="only profile, into benchmarks/profiles/")
    parser.add_argument(
        "--env", choices=("clean", "inherit"), default="clean", help="the children's environment"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each section, wait up to this long for other processes to take under 25%% of the CPUs",
    )
    parser.add_argument("--no-batch", action="store_true", help="leave out the batch (the slowest part)")
    parser.add_argument("--no-hostile", action="store_true", help="leave out the hostile inputs")
    parser.add_argument(
        "--json", type=Path, default=RESULTS, help=f"where to write the results ({RESULTS.name})"
    )
    parser.add_argument("--markdown", action="store_true", help="print the results file as a Markdown table")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(args.json))
        return 0
    runs = args.runs or (1 if args.check_only else 3 if args.quick else 7)
    batch_runs = args.batch_runs or (1 if args.check_only or args.quick else 3)
    iterations = args.warm or (4 if args.check_only else 8 if args.quick else 16)
    select = ["--layout", "all", "--lang", "all", "--format", "all"]
    if args.check_only:
        select = ["--layout", "default,social", "--lang", "en,nl", "--format", "all"]

    launcher()  # first, while this process is small (launch.py says why)
    with tempfile.TemporaryDirectory(prefix="infogen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = Env(args.env, tmp)
        if args.profile:
            profile(env, tmp, iterations)
            return 0
        info = machine()
        started = datetime.datetime.now(datetime.timezone.utc)
        load_before = load()
        print(
            f"infogen benchmark: {info['cpu']}, {info['usable_cores']} cores, {info['python']}, "
            f"load {load_before.get('1min', '?')} (env: {args.env})"
        )
        if load_before.get("1min", 0) > 0.5 * (info["usable_cores"] or 1):
            print("  note: the machine is busy; the ratios (pairs run back to back) suffer least from it")
        if args.check_only:
            check_baseline(tmp)
        rows: list[Row] = []
        sections: list[tuple[str, Callable[[], list[Row]]]] = [
            ("cold", lambda: cold(env, tmp, runs)),
            ("warm", lambda: warm(tmp, iterations)),
        ]
        if not args.no_batch:
            sections.append(("batch", lambda: batch(env, tmp, batch_runs, select)))
        sections.append(("sizes", lambda: sizes(env, tmp)))
        loads: dict[str, dict[str, Any]] = {}
        timings: dict[str, float] = {}
        for name, section in sections:
            busy = wait_for_quiet(args.wait_quiet) if args.wait_quiet else cpu_busy()
            loads[name] = {"cpu_busy_before": busy, "load_before": load()}
            print(
                f"- {name} (other processes: {'?' if busy is None else f'{busy:.0%}'} of the CPUs)",
                flush=True,
            )
            t = time.perf_counter()
            rows += section()
            timings[name] = time.perf_counter() - t
            loads[name]["load_after"] = load()
        cases = [] if args.quick or args.check_only or args.no_hostile else hostile(tmp)
    print()
    print_table(rows)
    if cases:
        print(f"\n{'hostile input':20} {'time':>8} {'peak RSS':>9}  exit")
        for c in cases:
            print(f"{c['case']:20} {c['seconds'] * 1000:6.0f}ms {c['peak_rss_mb']:7.0f}MB  {c['exit']}")
    missed = [r.what.strip() for r in rows if r.passed is False]
    print(
        f"\n{len(missed)} of {sum(r.passed is not None for r in rows)} targets missed"
        + (": " if missed else "")
    )
    for what in missed:
        print(f"  {what}")
    if args.check_only:
        print("check-only: the harness works (no results written)")
        return 0
    result = {
        "format": 1,
        "date": started.isoformat(timespec="seconds"),
        "machine": info,
        "env": env.record(),
        "settings": {
            "cold_runs": runs,
            "batch_runs": batch_runs,
            "warm_renders": iterations,
            "cold_lang": COLD_LANG,
            "warm_langs": list(LANGS),
            "batch": select,
            "quick": args.quick,
        },
        "load": {"before": load_before, "sections": loads},
        "seconds_per_section": timings,
        "results": [asdict(r) for r in rows],
        "hostile": cases,
    }
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.json}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
