"""`infogen watch`: the designer's loop — save a data, layout or font file, see the result.

The render is the CLI's own (`cli.render_run`, passed in as `attempt`), run again from
scratch on every batch of changes: the options are turned into a plan again and a fresh
renderer reads every file again, so a layout that broke or was fixed since the last
render is seen as it is now. A failed render changes nothing on disk (render_run writes
nothing unless everything rendered), so the last good output stays in place and, with
`--serve`, on the preview page.

Everything that touches the outside world is passed in — the render, the stream of
changes, where messages go — so the loop can be tested without a file system watcher.
Only the CLI writes files; this module reads the clock and the file events.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from watchfiles import DefaultFilter

from .diagnostics import Diagnostic, InfogenError, Location, printable

# The project's directories that hold what a render reads (data, layouts, fonts, print
# profiles); the project root itself is not watched: it may hold a .venv of thousands of
# directories, and out/.
PROJECT_DIRS = ("data", "layouts", "fonts", "profiles")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2")

Change = tuple[Any, str]  # (watchfiles.Change, path), as watchfiles yields them
Echo = Callable[[str], None]


@dataclass(frozen=True)
class Render:
    """One render of the loop, as the terminal and the preview page report it."""

    number: int
    ok: bool
    seconds: float
    finished: str  # local time of day, HH:MM:SS
    trigger: tuple[str, ...] = ()  # the changed files that caused it (none for the first)
    files: tuple[str, ...] = ()  # outputs written directly into the output directory
    fits: tuple[dict[str, Any], ...] = ()  # report.fit_rows
    fit_table: str = ""  # report.fit_table, as the terminal shows it
    errors: tuple[str, ...] = ()  # one formatted diagnostic each
    warnings: tuple[str, ...] = ()


def watched_dirs(project_dir: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """The directories whose changes can change a render: the project's data/, layouts/,
    fonts/ and profiles/, and the extra ones the options name (--font-path, --allow-dir,
    the folders of --layout files). Resolved, existing, and none inside another, so one
    save is one event."""
    candidates = [project_dir / name for name in PROJECT_DIRS] + list(extra)
    existing = sorted({path.resolve() for path in candidates if path.is_dir()}, key=lambda p: len(p.parts))
    roots: list[Path] = []
    for path in existing:
        if not any(path.is_relative_to(root) for root in roots):
            roots.append(path)
    return sorted(roots)


class SourceFilter(DefaultFilter):
    """Which file events are saves of a source: not the outputs (they would make every
    render trigger the next when out/ is inside a watched directory), not an editor's
    swap, backup and lock files, not __pycache__ or .git — DefaultFilter's list — and
    not the staging and probe directories render_run makes while writing."""

    ignore_entity_patterns = (
        *DefaultFilter.ignore_entity_patterns,
        r"^#.*#$",  # Emacs auto-save
        r"^4913$",  # Vim's probe for a writable directory
        r"\.(tmp|bak|orig)$",
        r"^\.infogen-",  # render_run's staging and probe directories
    )

    def __init__(self, out_dir: Path, roots: Sequence[Path]) -> None:
        super().__init__()
        self.out_dir = out_dir.resolve()
        self.roots = tuple(roots)

    def __call__(self, change: Any, path: str) -> bool:
        return super().__call__(change, path) and not self.is_output(Path(path))

    def is_output(self, path: Path) -> bool:
        """Inside the output directory — unless that directory holds the watched ones
        (`--out .` with the project in the working directory): data/ stays a source."""
        if not path.is_relative_to(self.out_dir):
            return False
        return not any(
            root != self.out_dir and root.is_relative_to(self.out_dir) and path.is_relative_to(root)
            for root in self.roots
        )


class Session:
    """Runs the render again and again, numbering the renders and turning each outcome —
    written files, or the diagnostics that stopped it — into a Render. Nothing raised by
    a render ends the loop: a bad save is reported, and the next save is rendered."""

    def __init__(self, attempt: Callable[[], Any], out_dir: Path, project_dir: Path) -> None:
        self.attempt = attempt  # () -> cli.Outcome; raises InfogenError for setup problems
        self.out_dir = out_dir
        self.project_dir = project_dir.resolve()
        self.count = 0

    def __call__(self, changed: Sequence[str]) -> Render:
        self.count += 1
        # an editor's temporary file, made and removed within the save, is not news
        trigger = tuple(self.shown(path) for path in [p for p in changed if os.path.exists(p)] or changed)
        if any(path.lower().endswith(FONT_SUFFIXES) for path in changed):
            forget_fonts()
        started = time.perf_counter()
        try:
            return self.done(trigger, started, self.attempt())
        except InfogenError as exc:
            return self.failed(trigger, started, [d.format() for d in exc.diagnostics])
        except Exception as exc:  # a bug in infogen: say so, and keep watching
            message = f"internal error: {type(exc).__name__}: {printable(str(exc))}"
            hint = "\n  hint: run `infogen render` with the same options and --traceback, and report it"
            return self.failed(trigger, started, [message + hint])

    def done(self, trigger: tuple[str, ...], started: float, outcome: Any) -> Render:
        """A render_run Outcome as a Render: failed if any artifact failed (nothing was
        written then), else the files it wrote into the output directory and its fits."""
        from . import report

        if outcome.problems:
            return self.failed(trigger, started, [d.format() for d in outcome.problems])
        rows = report.fit_rows(outcome.results)
        return Render(
            self.count,
            True,
            outcome.seconds,
            time.strftime("%H:%M:%S"),
            trigger,
            tuple(path.name for path in outcome.written if path.parent == self.out_dir),
            tuple(rows),
            report.fit_table(rows),
            (),
            tuple(w.format() for w in outcome.warnings),
        )

    def failed(self, trigger: tuple[str, ...], started: float, errors: list[str]) -> Render:
        seconds = time.perf_counter() - started
        return Render(self.count, False, seconds, time.strftime("%H:%M:%S"), trigger, errors=tuple(errors))

    def shown(self, path: str) -> str:
        """A changed file as the designer knows it: relative to the project."""
        try:
            return str(Path(path).relative_to(self.project_dir))
        except ValueError:
            return path


def forget_fonts() -> None:
    """A few caches of the text engine are keyed by a font file's path and outlive a
    renderer (they serve every render of a process); after a font file was saved, its
    outlines and coverage must be read again or the SVG would keep the old glyphs."""
    from .text import fonts, outlines

    outlines._hb_font.cache_clear()
    outlines.glyph_path.cache_clear()
    fonts._CODEPOINTS.clear()


class FileEvents:
    """The batches of file events under `roots`, from watchfiles, in a thread of its own.

    Why a thread: watchfiles' generator starts watching only when it is first asked for a
    batch — after the first render — so a save made during the first render would be
    lost; here the watcher is ready before the first render starts. And while a render
    runs, the batches of the saves made meanwhile wait in the queue and are merged: one
    render for all of them, not one per save."""

    TICK_MS = 200  # the watcher wakes this often without events: how readiness is seen

    def __init__(self, roots: Sequence[Path], watch_filter: Callable[[Any, str], bool]) -> None:
        self._queue: queue.Queue[set[Change] | BaseException] = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(tuple(roots), watch_filter), name="infogen-watch", daemon=True
        )

    def start(self) -> FileEvents:
        """Start watching; return once the watcher runs (its first tick)."""
        self._thread.start()
        self._ready.wait(timeout=10)
        return self

    def _produce(self, roots: tuple[Path, ...], watch_filter: Callable[[Any, str], bool]) -> None:
        import watchfiles

        try:
            for batch in watchfiles.watch(
                *roots,
                watch_filter=watch_filter,
                stop_event=self._stop,
                rust_timeout=self.TICK_MS,
                yield_on_timeout=True,
                raise_interrupt=False,  # signals go to the main thread, which stops us
            ):
                self._ready.set()
                if batch:
                    self._queue.put(batch)
        except BaseException as exc:  # a watched directory that went away, ...: end the watch
            self._queue.put(exc)
        finally:
            self._ready.set()

    def __iter__(self) -> Iterator[set[Change]]:
        while True:
            try:
                item = self._queue.get(timeout=0.5)  # a wait Ctrl-C can interrupt everywhere
            except queue.Empty:
                if not self._thread.is_alive():
                    return
                continue
            batch: set[Change] = set()
            while True:  # and whatever else came meanwhile
                if isinstance(item, BaseException):
                    raise item
                batch |= item
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            yield batch

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def watch_loop(
    render: Callable[[Sequence[str]], Render],
    changes: Iterable[Iterable[Change]],
    on_render: Callable[[Render], None],
) -> int:
    """Render once, then once per batch of changes, handing every Render to `on_render`;
    return the number of renders when the changes end. No debouncing here: watchfiles
    yields a batch once the events have been quiet for a moment (50 ms, at most 1.6 s of
    them), so an editor's write-rename-chmod of one save is one render, and FileEvents
    merges the batches that arrived during a render into the next one."""
    on_render(render(()))
    count = 1
    for batch in changes:
        paths = sorted({path for _, path in batch})
        if paths:
            on_render(render(paths))
            count += 1
    return count


def summary(render: Render, out_dir: Path) -> str:
    """The line the terminal gets after each render (render_run printed the details)."""
    after = ""
    if render.trigger:
        shown = ", ".join(render.trigger[:3]) + (
            f" and {len(render.trigger) - 3} more" if len(render.trigger) > 3 else ""
        )
        after = f" after a change to {shown}"
    if render.ok:
        return f"watch: rendered #{render.number} in {render.seconds:.2f} s{after}: {', '.join(render.files)}"
    return (
        f"watch: render #{render.number} failed in {render.seconds:.2f} s{after}; "
        f"{out_dir}/ keeps the last good output. Fix the file and save it again."
    )


def status(latest: Render, good: Render | None) -> dict[str, Any]:
    """The preview's JSON status: the latest render's errors, and the files and fit report
    of the last good render (what out/ holds)."""
    return {
        "render": latest.number,
        "ok": latest.ok,
        "seconds": round(latest.seconds, 3),
        "finished": latest.finished,
        "changed": list(latest.trigger),
        "errors": list(latest.errors),
        "warnings": list(latest.warnings if latest.ok else good.warnings if good else ()),
        "shown": good.number if good else 0,  # the render the files and fits come from
        "files": list(good.files if good else ()),
        "fits": list(good.fits if good else ()),
        "fit_table": good.fit_table if good else "",
    }


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """`kill` ends a watch as Ctrl-C does: cleanly, with the server closed. (Only the
    main thread may set a handler; elsewhere — a test, say — nothing changes.)"""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(
    attempt: Callable[[], Any],
    project_dir: Path,
    extra_dirs: Iterable[Path],
    out_dir: Path,
    port: int | None,
    echo: Echo,
    changes: Iterable[Iterable[Change]] | None = None,
) -> int:
    """The whole command: serve the preview (port not None), render, watch, render again;
    Ctrl-C (or SIGTERM) ends it with a short message. Returns the number of renders."""
    from . import preview

    roots = watched_dirs(project_dir, extra_dirs)
    if not roots:
        where = Location(str(project_dir))
        hint = "pass the project's directory with --project, or start one with `infogen init DIR`"
        raise InfogenError(
            [Diagnostic(f"nothing to watch: no {'/, '.join(PROJECT_DIRS)}/ here", where, hint=hint)]
        )
    server = preview.start(out_dir, port) if port is not None else None
    session = Session(attempt, out_dir, project_dir)
    good: Render | None = None

    def on_render(render: Render) -> None:
        nonlocal good
        if render.errors:
            echo("\n".join(render.errors))
        echo(summary(render, out_dir))
        if render.ok:
            good = render
        if render.number == 1:
            echo(f"watch: watching {', '.join(session.shown(str(r)) + '/' for r in roots)} (Ctrl-C to stop)")
        if server is not None:
            server.publish(status(render, good), good.files if good else ())

    events: FileEvents | None = None
    try:
        if server is not None:
            echo(f"watch: preview on {server.url}")
        with stop_on_sigterm():
            if changes is None:
                changes = events = FileEvents(roots, SourceFilter(out_dir, roots)).start()
            watch_loop(session, changes, on_render)
    except KeyboardInterrupt:
        shown = f"the output of render #{good.number}" if good else "no output of this run"
        echo(f"watch: stopped; {out_dir}/ holds {shown}")
    finally:
        if events is not None:
            events.close()
        if server is not None:
            server.stop()
    return session.count
