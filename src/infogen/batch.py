"""Batches: a render is a plan of jobs (layout × language × format), run by workers in
separate processes, with one result per job, in plan order.

Nothing depends on scheduling: each worker loads fonts and parsed inputs once and renders
the jobs it is given (pool.py keeps each language to one worker); results are put back in
plan order, so the bytes and the manifest are the same for any `--jobs` and any `--shard`
split. Only the CLI writes files.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Diagnostic, ExitCode, InfogenError
from .model.overrides import RenderOptions
from .units import NAMED_PAPER, POINTS_PER_UNIT

# Relative cost of a format, for balancing shards (a PNG is a PDF, rasterised).
FORMAT_WEIGHT = {"pdf": 1.0, "svg": 1.0, "png": 2.0}
DEFAULT_NAME = "{layout}-{lang}.{ext}"
NAME_FIELDS = ("layout", "lang", "ext", "paper", "orientation", "colour")
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Job:
    """One artifact to make."""

    layout: str
    lang: str
    format: str

    @property
    def id(self) -> str:
        """Stable across runs and machines: what a CI matrix and a manifest refer to."""
        return f"{self.layout}/{self.lang}/{self.format}"

    @property
    def weight(self) -> float:
        return FORMAT_WEIGHT.get(self.format, 1.0)


@dataclass(frozen=True)
class Request:
    """What every worker needs to build its renderer: the project and this run's options."""

    project_dir: Path
    allow_dirs: tuple[Path, ...] = ()
    options: RenderOptions = field(default_factory=RenderOptions)
    fallback: str | None = None
    layout_files: tuple[tuple[str, Path], ...] = ()  # --layout PATH
    overrides: tuple[str, ...] = ()  # --set KEY=VALUE
    font_dirs: tuple[Path, ...] = ()  # --font-path DIR
    debug: bool = False  # also draw each scene's debug overlay (render --debug)

    def project(self) -> Any:
        from .project import Project

        return Project(self.project_dir, self.allow_dirs, self.layout_files, self.overrides)

    def renderer(self) -> Any:
        """The renderer of this request: the one place a run's Renderer is built."""
        from .api import Renderer

        return Renderer(self.project(), self.options, self.fallback, font_dirs=self.font_dirs)


@dataclass(frozen=True)
class Result:
    """What one job produced: its bytes, or the problems that stopped it."""

    job: Job
    data: bytes | None  # None: it failed; b"" once stored (see `stored`)
    problems: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0
    fit: tuple[dict[str, Any], ...] = ()  # per grid: designed and chosen sizes (fit_entry)
    debug: bytes | None = None  # the debug overlay, on the first result of a layout and language
    spooled: dict[str, str] = field(default_factory=dict)  # from a worker: data/debug left in files
    size: int = 0  # of the artifact, in bytes
    sha256: str = ""  # of the artifact, hex

    @property
    def ok(self) -> bool:
        return self.data is not None

    def stored(self) -> Result:
        """The result without its bytes, once they are stored elsewhere (its size and
        hash stay, for the manifest)."""
        return replace(self, data=b"" if self.ok else None, debug=None)


def plan(layouts: Sequence[str], languages: Sequence[str], formats: Sequence[str]) -> list[Job]:
    """Every layout × language × format, in that order."""
    return [Job(layout, lang, fmt) for layout in layouts for lang in languages for fmt in formats]


def shard(jobs: Sequence[Job], k: int, n: int) -> list[Job]:
    """The K-th (from 1) of N slices of the plan, balanced by weight, in plan order. The
    N slices partition the plan exactly."""
    owner = balance({job.id: job.weight for job in sorted(jobs, key=lambda j: j.id)}, n)
    return [job for job in jobs if owner[job.id] == k - 1]


def balance(weights: dict[Hashable, float], bins: int) -> dict[Hashable, int]:
    """Each key's bin: the heaviest first (ties in the mapping's order), each to the
    bin with the least weight so far (the lowest-numbered of equals)."""
    loads = [0.0] * bins
    owner: dict[Hashable, int] = {}
    for key in sorted(weights, key=lambda k: -weights[k]):
        lightest = min(range(bins), key=lambda i: (loads[i], i))
        owner[key] = lightest
        loads[lightest] += weights[key]
    return owner


def share_out(affinity: Sequence[Hashable], weights: Sequence[float], workers: int) -> list[deque[int]]:
    """Each worker's queue of task indices: each affinity (a language) to one worker,
    balanced by weight; a worker's tasks in the order of its affinities, then of the tasks."""
    total: dict[Hashable, float] = {}
    for key, weight in zip(affinity, weights, strict=True):
        total[key] = total.get(key, 0.0) + weight
    owner = balance(total, workers)
    rank = {key: n for n, key in enumerate(total)}
    queues: list[deque[int]] = [deque() for _ in range(workers)]
    for index in sorted(range(len(affinity)), key=lambda i: (rank[affinity[i]], i)):
        queues[owner[affinity[index]]].append(index)
    return queues


def output_name(template: str, job: Job, options: dict[str, Any]) -> str:
    """The file name of a job's artifact, from a template such as '{layout}-{lang}-{paper}.{ext}'."""
    values = {"layout": job.layout, "lang": job.lang, "ext": job.format, **options}
    try:
        name = template.format_map({k: str(values[k]) for k in NAME_FIELDS})
    except (KeyError, ValueError, IndexError) as exc:
        raise InfogenError(
            [
                Diagnostic(
                    f"the name template {template!r} is not valid ({exc})",
                    hint=f"use the fields {', '.join('{' + f + '}' for f in NAME_FIELDS)}, e.g. {DEFAULT_NAME!r}",
                )
            ]
        ) from None
    if "/" in name or "\\" in name or name.startswith(".") or not name:
        raise InfogenError(
            [
                Diagnostic(
                    f"the name template gives {name!r}, which is not a plain file name",
                    hint="leave out / and a leading .",
                )
            ]
        )
    return name


def run(
    request: Request,
    jobs: Sequence[Job],
    workers: int,
    done: Callable[[Result], None],
    renderer: Any = None,
    keep: Callable[[Result], Result] | None = None,
    keep_text_caches: bool = False,
) -> list[Result]:
    """Run the jobs, `workers` processes at a time (1: in this process, with `renderer` if
    given: the one that already read the layouts), calling `done` as each finishes; return
    the results in plan order — each as `keep` makes it when it comes, if given (the CLI
    stores the bytes and keeps the rest: a batch holds one artifact's bytes at a time).
    Between languages the text caches are dropped (text/memo.py), unless
    `keep_text_caches` (the watch loop, which sets the same languages again and again)."""
    global _renderer, _debug, _keep_text_caches
    keep = keep or (lambda result: result)
    _keep_text_caches = keep_text_caches
    groups = list(_groups(jobs))
    languages = [group[0].lang for group in groups]
    weights = [sum(job.weight for job in group) for group in groups]
    results: dict[str, Result] = {}
    if workers <= 1 or len(groups) <= 1:
        if renderer is not None:
            _renderer, _debug = renderer, request.debug
        else:
            _start(request)
        # Language by language, as a worker takes its share (share_out): the text caches
        # then hold one language at a time (text/memo.py). Results still in plan order.
        for index in share_out(languages, weights, 1)[0]:
            for result in _render_group(groups[index]):
                results[result.job.id] = result = keep(result)
                done(result)
    else:
        from .pool import Pool, WorkerDied  # multiprocessing: imports a serial run saves

        # Workers forked from this process start with its renderer — modules imported, layouts
        # read, fonts loaded — instead of doing it all again; spawned ones build their own.
        _renderer, _debug = renderer, request.debug
        spool_root = Path(tempfile.gettempdir())
        remove_stale_directories(spool_root, SPOOL, untouched_for=STALE_AFTER_SECONDS)
        spool = Path(tempfile.mkdtemp(prefix=f"{SPOOL}{owner_tag()}", dir=spool_root))
        pool = None
        try:
            workers = min(workers, len(groups))  # no process without work
            pool = Pool(
                workers,
                _start_worker,
                (request,),
                functools.partial(_render_group_spooled, spool=spool),
            )
            # Each language to one worker: what a worker loads for a language (hyphenation
            # patterns, fonts, shaped text) is loaded by that worker alone.
            queues = share_out(languages, weights, workers)
            for _, group_results in pool.run(groups, queues, weights):
                for result in group_results:
                    results[result.job.id] = result = keep(_unspool(result))
                    done(result)
        except KeyboardInterrupt:
            # Ctrl-C: what has not started is dropped (below); the workers (deaf to SIGINT)
            # end their current job, and the caller says that nothing was written.
            raise
        except WorkerDied as exc:
            code = exc.exitcode
            how = (
                f"killed by signal {-code}: killed, or out of memory"
                if code is not None and code < 0
                else f"exit code {code}"
            )
            raise InfogenError(
                [
                    Diagnostic(
                        f"a worker process ended before its jobs were done ({how}); no file was written",
                        hint="run again; if it happens again, try fewer --jobs",
                        exit_code=ExitCode.RENDER_FAILED,
                    )
                ]
            ) from None
        except SpoolError as exc:
            raise InfogenError(
                [
                    Diagnostic(
                        f"a worker could not write its artifacts to {spool.parent}: {exc}; no file was written",
                        hint="free some space there, or set TMPDIR to a directory with room",
                        exit_code=ExitCode.RENDER_FAILED,
                    )
                ]
            ) from None
        finally:
            # Every way out waits for the workers to stop before their files are removed:
            # one still writing would otherwise leave the directory behind.
            if pool is not None:
                pool.close()
            shutil.rmtree(spool, ignore_errors=True)
    return [results[job.id] for job in jobs]


SPOOL = "infogen-batch-"  # + owner_tag(): a killed batch's directory is recognised


STALE_AFTER_SECONDS = 3600  # a spool directory in the shared TMPDIR: untouched this long too


def owner_tag() -> str:
    """What a directory of this process is named by, after its prefix: the process id
    and its PID namespace ("4242-4026531836-"), so that a later run trusts the id only
    where it names the same process — in the same namespace."""
    return f"{os.getpid()}-{_pid_namespace()}-"


def _pid_namespace() -> str:
    """This process's PID namespace (its inode), or "0" without /proc (then a directory's
    process id alone is judged with its age, as one from another namespace is)."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "0"


def remove_stale_directories(parent: Path, prefix: str, untouched_for: float = 0.0) -> None:
    """Remove the directories `prefix` + `owner_tag()` + ... in `parent` that a run killed
    outright (SIGKILL, a power cut) left behind: this user's, not symbolic links, their
    process gone — and, when the directory was made in another PID namespace (a
    container sharing the directory: its ids name processes this one cannot see) or by
    an older version, untouched for `untouched_for` seconds as well, since a live run
    keeps writing into its own."""
    now = time.time()
    ours = _pid_namespace()
    for entry in parent.glob(f"{prefix}*"):
        try:
            pid, namespace, *_ = entry.name[len(prefix) :].split("-")
            info = entry.lstat()
            if entry.is_symlink() or info.st_uid != os.getuid():
                continue
            if (namespace != ours or ours == "0") and now - info.st_mtime < untouched_for:
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (ValueError, OverflowError, OSError):
            continue  # not a process id, or a process that still runs (or another user's)


def _render_group_spooled(group: list[Job], spool: Path) -> list[Result]:
    """A worker's _render_group, the artifacts' bytes left in files in `spool`: the pipe
    back to the parent then carries small messages only, and the parent reads each
    artifact from its file straight into its place among the results."""
    spooled = []
    for result in _render_group(group):
        paths = {}
        for name in ("data", "debug"):
            content = getattr(result, name)
            if content is not None:
                # Unique for the whole batch: the worker's pid and its own count.
                path = spool / f"{os.getpid()}-{next(_spooled_files)}.{name}"
                try:
                    path.write_bytes(content)
                except OSError as exc:  # a full or read-only TMPDIR
                    raise SpoolError(exc.strerror or str(exc)) from None
                paths[name] = str(path)
        spooled.append(
            replace(result, data=b"" if result.data is not None else None, debug=None, spooled=paths)
        )
    return spooled


_spooled_files = itertools.count()


class SpoolError(Exception):
    """A worker could not leave an artifact in the spool directory (sent back to the
    parent as it is: a plain message pickles, InfogenError's diagnostics would not)."""


def _unspool(result: Result) -> Result:
    """The result with its artifacts read back, their files removed (a batch's output is
    not kept twice, in TMPDIR and in memory)."""
    if not result.spooled:
        return result
    loaded = {}
    for name, path in result.spooled.items():
        loaded[name] = Path(path).read_bytes()
        Path(path).unlink()
    return replace(result, data=loaded.get("data", result.data), debug=loaded.get("debug"), spooled={})


def _start_worker(request: Request) -> None:
    """A worker leaves Ctrl-C to the parent, which stops the batch in one place, and
    renders with the renderer it was forked with, if any."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _renderer is None:
        _start(request)


def _groups(jobs: Sequence[Job]) -> Iterator[list[Job]]:
    """Consecutive jobs of one layout and language: one Scene serves all their formats."""
    group: list[Job] = []
    for job in jobs:
        if group and (group[0].layout, group[0].lang) != (job.layout, job.lang):
            yield group
            group = []
        group.append(job)
    if group:
        yield group


_renderer: Any = None  # one per worker process: fonts and parsed files loaded once
_debug = False  # this process's request asks for debug overlays
_language: str | None = None  # the language this process rendered last
_keep_text_caches = False  # this run keeps every language's cached text (batch.run)


def _start(request: Request) -> None:
    global _renderer, _debug
    _renderer = request.renderer()
    _debug = request.debug


def _render_group(group: list[Job]) -> list[Result]:
    global _language
    from .api import export

    renderer = _renderer
    first = group[0]
    if _language is not None and first.lang != _language and not _keep_text_caches:
        from .text.memo import forget_language

        forget_language()  # the language before is done: this process renders by language
    _language = first.lang
    started = time.perf_counter()
    warned = len(renderer.warnings)
    try:
        scene, fits = renderer.scene_with_fits(first.layout, first.lang)
        pdf_options = renderer.pdf_options(first.layout) if any(j.format == "pdf" for j in group) else None
        options = describe_options(renderer, first.layout)
    except InfogenError as exc:
        return [Result(job, None, tuple(exc.diagnostics)) for job in group]
    warnings = tuple(renderer.warnings[warned:])
    results = []
    for job in group:
        data = export(scene, job.format, pdf_options, renderer.dpi(job.layout))
        elapsed, started = time.perf_counter() - started, time.perf_counter()
        fit = tuple(fit_entry(f) for f in fits)
        digest = hashlib.sha256(data).hexdigest()
        results.append(
            Result(
                job,
                data,
                (),
                warnings,
                options,
                len(scene.pages),
                elapsed,
                fit,
                size=len(data),
                sha256=digest,
            )
        )
    if _debug and results:
        from .export.debug import export_debug_svg

        results[0] = replace(results[0], debug=export_debug_svg(scene))
    return results


def fit_entry(fit: Any) -> dict[str, Any]:
    """A grid's fit (layout.context.GridFit) as the manifest and `--report` write it."""
    fullest = fit.fullest
    return {
        "grid": fit.grid,
        "designed_size": round(fit.designed_size, 2),
        "largest_size": round(fit.largest_size, 2),
        "smallest_size": round(fit.smallest_size, 2),
        "fullest": {"panel": fullest.panel, "fullness": fullest.fullness} if fullest else None,
        "limited_by": None
        if fit.limit_panel is None
        else {
            "panel": fit.limit_panel,
            "string": fit.limit_key,
            "location": str(fit.limit_location) if fit.limit_location else None,
        },
        "panels": [{"panel": p.panel, "size": p.size, "fullness": p.fullness} for p in fit.panels],
    }


def describe_options(renderer: Any, layout_name: str) -> dict[str, Any]:
    """The options that decide an artifact, as the manifest and output names show them."""
    layout = renderer.layout(layout_name)
    page = layout.page
    return {
        "paper": paper_name(page.size.width, page.size.height),
        "orientation": page.orientation,
        "colour": layout.colour.mode,
        "standard": layout.pdf.standard,
        "dpi": renderer.dpi(layout_name),
        "tagged": renderer.options.tagged,
    }


def paper_name(width: float, height: float) -> str:
    """'A3' for a named sheet, else '420x297mm'."""
    mm = POINTS_PER_UNIT["mm"]
    short, long = sorted((width / mm, height / mm))
    for name, (w, h) in NAMED_PAPER.items():
        if abs(w - short) < 0.5 and abs(h - long) < 0.5:
            return name.upper() if name[0] in "ab" else name
    return f"{width / mm:.0f}x{height / mm:.0f}mm"


def manifest(
    results: Sequence[Result], names: dict[str, str], out_dir: Path, planned: Sequence[Job]
) -> dict[str, Any]:
    """The manifest of a run: every artifact (or failure), in plan order, and the whole
    plan's ids (a shard's manifest too), by which `infogen manifest merge` puts the
    shards' artifacts back in order. Stable format, documented in the README."""
    artifacts, failures = [], []
    for result in results:
        job = result.job
        entry: dict[str, Any] = {"id": job.id, "layout": job.layout, "lang": job.lang, "format": job.format}
        if result.ok:
            entry |= {
                "options": result.options,
                "path": names[job.id],
                "bytes": result.size,
                "sha256": result.sha256,
                "pages": result.pages,
                "fit": list(result.fit),
                "warnings": [w.format() for w in result.warnings],
            }
            artifacts.append(entry)
        else:
            failures.append(entry | {"problems": [d.format() for d in result.problems]})
    return _document([job.id for job in planned], artifacts, failures)


def _document(
    plan_ids: list[str], artifacts: list[dict[str, Any]], failures: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "generator": f"infogen {__version__}",
        "plan": plan_ids,
        "artifacts": artifacts,
        "failures": failures,
    }


def merge_manifests(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One manifest from those of the shards of one plan, in plan order: the same as the
    manifest of an unsharded run."""
    plans = {tuple(p.get("plan", [])) for p in parts}
    if len(plans) != 1:
        raise InfogenError(
            [Diagnostic("the manifests are of different plans", hint="merge the shards of one render")]
        )
    order = list(plans.pop())
    position = {job_id: i for i, job_id in enumerate(order)}

    def key(entry: dict[str, Any]) -> tuple[int, str]:
        return (position.get(entry["id"], len(position)), entry["id"])

    artifacts = sorted((a for p in parts for a in p.get("artifacts", [])), key=key)
    failures = sorted((f for p in parts for f in p.get("failures", [])), key=key)
    ids = [a["id"] for a in artifacts]
    if len(ids) != len(set(ids)):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        raise InfogenError([Diagnostic(f"artifacts in more than one manifest: {', '.join(duplicated[:5])}")])
    return _document(order, artifacts, failures)
