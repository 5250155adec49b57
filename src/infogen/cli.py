"""The command-line tool: options, files on disk, terminal output and exit codes.

It is the only module that writes files. Everything is rendered in memory
first; files are then written to temporary names and renamed into place, so a
failed run leaves no partial file and does not touch earlier outputs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import click

from . import __version__
from .diagnostics import Diagnostic, ExitCode, InfogenError, Location, printable
from .units import Paper, Pt, parse_length, parse_paper

FORMAT_CHOICES = ("pdf", "svg", "png")

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project directory holding data/, layouts/ and fonts/.",
)


@contextmanager
def reporting(show_traceback: bool = False) -> Iterator[None]:
    """Turn problems into messages and exit codes: the user's mistakes are diagnostics,
    infogen's own bugs a one-line 'internal error' (a traceback only when asked)."""
    try:
        yield
    except InfogenError as exc:
        if show_traceback:
            traceback.print_exc()
        click.echo(exc.format(), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: no file was written; earlier outputs are as they were", err=True)
        sys.exit(130)
    except Exception as exc:
        if show_traceback:
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "  hint: run again with --traceback and report it with the output",
            err=True,
        )
        sys.exit(ExitCode.RENDER_FAILED)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="infogen")
def main() -> None:
    """Render data into print-ready infographics, as PDF, SVG and PNG, in any configured language.

    \b
    Examples:
      infogen render --lang nl            # out/default-nl.pdf, .svg and .png
      infogen render --lang all --format pdf
      infogen render --layout social --lang nl --format png   # a 1080 x 1080 px card
      infogen render --layout all --lang all                  # every layout and language
      infogen langs                       # the configured languages
      infogen reference                   # every layout key, region kind and panel part

    \b
    Exit codes: 0 success; 2 bad input (a data, layout or font problem, a bad option);
    1 valid input that cannot be rendered (text that does not fit), or an internal error.
    """


lang_option = click.option(
    "--lang",
    "-l",
    "langs",
    default="en",
    show_default=True,
    metavar="CODE[,CODE…]|all",
    help="Language(s) to render: a code from data/lang/, a comma-separated list, or 'all'.",
)
layout_option = click.option(
    "--layout",
    "layouts",
    default="default",
    show_default=True,
    metavar="NAME[,NAME…]|all",
    help="Layout(s): layouts/NAME.yaml, a comma-separated list, or 'all'.",
)
format_option = click.option(
    "--format",
    "-f",
    "formats",
    default="all",
    show_default=True,
    metavar="FORMAT[,FORMAT…]|all",
    callback=lambda c, p, v: _choices(v, FORMAT_CHOICES, "format"),
    help="Output format(s): pdf, svg, png, a comma-separated list such as pdf,png, or 'all'.",
)
allow_dir_option = click.option(
    "--allow-dir",
    "allow_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Let data and layout files name files in DIR, outside the project (repeatable).",
)


@main.command()
@lang_option
@layout_option
@format_option
@click.option(
    "--dpi",
    type=click.FloatRange(10, 1200),
    default=None,
    help="PNG resolution in pixels per inch (default: the layout's png.dpi; 150 for the paper "
    "layouts, 96 for the social card, which makes it exactly 1080 x 1080 px).",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Directory to write into (created if missing).",
)
@project_option
@allow_dir_option
@click.option(
    "--paper",
    metavar="SIZE",
    callback=lambda c, p, v: _parse(v, parse_paper, "paper size"),
    help="Paper for this run: A0-A6, B4, B5, letter, legal, tabloid or WIDTHxHEIGHT "
    "('420x297mm', at most 200in a side). The design scales to it.",
)
@click.option("--landscape/--portrait", default=None, help="Orientation for this run.")
@click.option(
    "--bleed",
    metavar="LENGTH",
    callback=lambda c, p, v: _in_range(_parse(v, parse_length, "length"), "bleed"),
    help="Bleed for this run, e.g. 3mm (0 to 72pt, as in a layout).",
)
@click.option("--crop-marks/--no-crop-marks", default=None, help="Draw crop marks (PDF).")
@click.option(
    "--colour",
    "--color",
    "colour",
    type=click.Choice(["rgb", "cmyk"]),
    default=None,
    help="Colour space of the PDF for this run.",
)
@click.option("--pdfx/--no-pdfx", default=None, help="Write PDF/X-4 for print (implies --colour cmyk).")
@click.option(
    "--fallback-to-english",
    is_flag=True,
    help="Use the English text for strings a language lacks (a warning for each) "
    "instead of refusing to render.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Render in this many worker processes; the outputs are the same for any number.",
)
@click.option(
    "--check", is_flag=True, help="Do everything but write: the exit code says whether all would render."
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Write every artifact that rendered, report every one that failed, and exit 1; "
    "without it nothing is written unless everything rendered.",
)
@click.option(
    "--name",
    "name_template",
    default="{layout}-{lang}.{ext}",
    show_default=True,
    metavar="TEMPLATE",
    help="Output file names; fields {layout} {lang} {ext} {paper} {orientation} {colour}, "
    "e.g. '{layout}-{lang}-{paper}.{ext}' so an A4 run does not overwrite the A3 files.",
)
@click.option(
    "--shard",
    metavar="K/N",
    callback=lambda c, p, v: _shard(v),
    help="Render only the K-th of N balanced slices of the plan (for a CI matrix; see `infogen plan`).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar: one line per artifact and a summary, and the errors.",
)
@click.option(
    "--traceback", "show_traceback", is_flag=True, help="Show the Python traceback of internal errors."
)
def render(
    langs: str,
    layouts: str,
    formats: list[str],
    dpi: float | None,
    out_dir: Path,
    project_dir: Path,
    allow_dirs: tuple[Path, ...],
    paper: Paper | None,
    landscape: bool | None,
    bleed: Pt | None,
    crop_marks: bool | None,
    colour: Literal["rgb", "cmyk"] | None,
    pdfx: bool | None,
    fallback_to_english: bool,
    jobs: int,
    check: bool,
    keep_going: bool,
    name_template: str,
    shard: tuple[int, int] | None,
    quiet: bool,
    show_traceback: bool,
) -> None:
    """Render the infographic to OUT/LAYOUT-LANG.pdf, .svg and .png, and OUT/manifest.json.

    \b
    Exit codes: 0 every artifact rendered; 1 valid input that cannot be rendered (or, with
    --keep-going, some artifacts failed); 2 bad input or usage.
    """
    from . import batch
    from .model.overrides import RenderOptions

    with reporting(show_traceback):
        orientation: Literal["portrait", "landscape"] | None = None
        if landscape is not None:
            orientation = "landscape" if landscape else "portrait"
        options = RenderOptions(paper, orientation, bleed, crop_marks, colour, pdfx, dpi)
        request = batch.Request(project_dir, allow_dirs, options, "en" if fallback_to_english else None)
        planned = _plan(project_dir, allow_dirs, layouts, langs, formats)
        todo = batch.shard(planned, *shard) if shard else planned
        started = time.perf_counter()
        renderer, names = _preflight(request, todo, name_template, keep_going, None if check else out_dir)
        results = _run_with_progress(request, todo, jobs, quiet, renderer)
        names |= {r.job.id: batch.output_name(name_template, r.job, r.options) for r in results if r.ok}
        _check_names_unique(names)
        failed = [r for r in results if not r.ok]
        problems = list({d.format(): d for r in failed for d in r.problems}.values())
        warnings = list({d.format(): d for r in results for d in r.warnings}.values())
        for warning in warnings:
            click.echo(warning.format(), err=True)
        written: list[Path] = []
        if not check and (keep_going or not failed):
            files = {names[r.job.id]: r.data for r in results if r.ok and r.data is not None}
            document = batch.manifest(results, names, out_dir, planned)
            files["manifest.json"] = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
            written = write_atomically(out_dir, files)
        seconds = time.perf_counter() - started
        verb = "checked" if check else "rendered"
        click.echo(
            f"{len(results) - len(failed)} of {len(results)} artifacts {verb}, {len(failed)} failed, "
            f"{len(written)} files written, {seconds:.1f} s",
            err=True,
        )
        if problems:
            error = InfogenError(problems)
            if keep_going and not check:
                click.echo(error.format(), err=True)
                sys.exit(ExitCode.RENDER_FAILED)
            raise error


def _plan(
    project_dir: Path, allow_dirs: tuple[Path, ...], layouts: str, langs: str, formats: list[str]
) -> list[Any]:
    """The jobs a render's options ask for: every layout × language × format, in order."""
    from . import batch
    from .project import Project

    project = Project(project_dir, allow_dirs)
    project.check()
    languages = project.languages() if langs == "all" else _names(langs)
    if not languages:
        raise InfogenError(
            [Diagnostic("no language to render", hint="pass --lang CODE, a list such as en,nl, or all")]
        )
    names = project.layouts() if layouts == "all" else _names(layouts)
    if not names:
        raise InfogenError([Diagnostic("no layout to render", hint="pass --layout NAME, a list, or all")])
    for name in names:
        project.check_name(name, "layout", project.layouts())
    for lang in languages:
        project.check_name(lang, "language", project.languages())
    unknown = [Diagnostic(*project.unknown("layout", n)) for n in names if n not in project.layouts()]
    unknown += [
        Diagnostic(*project.unknown("language", lang))
        for lang in languages
        if lang not in project.languages()
    ]
    if unknown:
        raise InfogenError(unknown)
    return batch.plan(names, languages, formats)


def _preflight(
    request: Any, todo: list[Any], template: str, keep_going: bool, out_dir: Path | None
) -> tuple[Any, dict[str, str]]:
    """What can be found out before anything is rendered, so a setup mistake costs no
    minutes of rendering: the output directory, the name template, every layout (and its
    print profile), and the output names (collisions). With --keep-going a layout's
    problem is left to fail only its own artifacts."""
    from . import batch
    from .api import Renderer
    from .project import Project

    if out_dir is not None:
        _check_writable(out_dir)
    if "{ext}" not in template:
        raise InfogenError(
            [
                Diagnostic(
                    f"the name template {template!r} has no {{ext}}",
                    hint="end it with .{ext}, e.g. '{layout}-{lang}.{ext}'",
                )
            ]
        )
    renderer = Renderer(Project(request.project_dir, request.allow_dirs), request.options, request.fallback)
    names: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for layout in dict.fromkeys(job.layout for job in todo):
        try:
            renderer.layout(layout)
            if any(job.layout == layout and job.format == "pdf" for job in todo):
                renderer.pdf_options(layout)
            options = batch.describe_options(renderer, layout)
        except InfogenError as exc:
            problems += exc.diagnostics
            continue
        for job in (j for j in todo if j.layout == layout):
            names[job.id] = batch.output_name(template, job, options)
    if problems and not keep_going:
        for lang in dict.fromkeys(job.lang for job in todo):  # reported together with the layouts'
            try:
                renderer.project.load_content(lang, None, request.fallback, [])
            except InfogenError as exc:
                problems += exc.diagnostics
        raise InfogenError(problems)
    _check_names_unique(names)
    return renderer, names  # the renderer, with the layouts read, serves a run in this process


def _check_writable(out_dir: Path) -> None:
    """The output directory is one, or can be made, and may be written to."""
    if out_dir.exists() and not out_dir.is_dir():
        raise _write_error(f"{out_dir} exists and is not a directory", out_dir, "choose another --out")
    existing = out_dir
    while not existing.exists():
        existing = existing.parent
    try:  # a real probe: permission bits say little to root, or on /proc
        os.rmdir(tempfile.mkdtemp(prefix=".infogen-probe-", dir=existing))
    except OSError as exc:
        raise _write_error(
            f"cannot create the output directory in {existing}: {exc.strerror}", out_dir
        ) from None


def _run_with_progress(request: Any, todo: list[Any], jobs: int, quiet: bool, renderer: Any) -> list[Any]:
    """Run the jobs: a progress bar on a terminal, else one line per artifact (CI logs)."""
    from . import batch

    if sys.stderr.isatty() and not quiet:
        bar: Any = click.progressbar(
            length=len(todo), label="rendering", file=sys.stderr, show_eta=True, show_pos=True,
            item_show_func=lambda r: r.job.id if r else None,
        )  # fmt: skip
        with bar:
            return batch.run(request, todo, jobs, lambda result: bar.update(1, result), renderer)

    def line(result: Any) -> None:
        status = "ok  " if result.ok else "FAIL"
        size = f" {len(result.data) / 1024:.0f} kB" if result.ok else ""
        click.echo(f"{status} {result.job.id}{size} {result.seconds:.2f} s", err=True)

    return batch.run(request, todo, jobs, line, renderer)


def _check_names_unique(names: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for job_id, name in names.items():
        if name in seen:
            raise InfogenError(
                [
                    Diagnostic(
                        f"{seen[name]} and {job_id} would both be written to {name}",
                        hint="use a --name template that tells them apart, e.g. '{layout}-{lang}-{paper}.{ext}'",
                    )
                ]
            )
        seen[name] = job_id


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        k, n = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter(f"expected K/N such as 2/5, got {value!r}") from None
    if not 1 <= k <= n <= 1000:
        raise click.BadParameter(f"expected 1 <= K <= N, got {value!r}")
    return k, n


def _pad(text: str, width: int) -> str:
    """Pad for a terminal column: East Asian wide characters take two cells."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cells)


def _names(value: str) -> list[str]:
    """'en, nl,' -> ['en', 'nl']: a comma-separated list, blanks and repeats dropped."""
    return list(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))


def _choices(value: str, choices: tuple[str, ...], what: str) -> list[str]:
    """A comma-separated list of choices, or 'all' (every choice, in their order)."""
    if value.strip() == "all":
        return list(choices)
    names = _names(value)
    unknown = [n for n in names if n not in choices]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown {what} {', '.join(repr(u) for u in unknown) or repr(value)}: "
            f"choose from {', '.join(choices)}, a comma-separated list, or all"
        )
    return names


def _in_range(value: Pt | None, key: str) -> Pt | None:
    """A length given on the command line, held to the range the layout key has."""
    from .model.layout import Page
    from .model.schema import field_bounds

    low, high = field_bounds(Page, key)
    if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
        raise click.BadParameter(f"{value:g}pt is out of range: expected {low:g}pt to {high:g}pt")
    return value


def _parse(value: str | None, parse: Callable[[str], Any], what: str) -> Any:
    if value is None:
        return None
    parsed = parse(value)
    if parsed is None:
        raise click.BadParameter(f"expected a {what}, got {value!r}")
    return parsed


STAGING = ".infogen-staging-"  # + the writing process's id: stale ones are recognised


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file into one staging directory inside `out_dir`, then move them into
    place together, with SIGINT and SIGTERM held off while they move: an interrupted run
    leaves the earlier outputs as they were, and no partial or temporary file behind."""
    if out_dir.exists() and not out_dir.is_dir():
        raise _write_error(f"{out_dir} exists and is not a directory", out_dir, "choose another --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(f"cannot create the output directory: {exc.strerror}", out_dir) from None
    for name in files:
        target = out_dir / name
        if target.exists() and not target.is_file():
            raise _write_error(f"{target} exists and is not a file", target, "remove or rename it")
    _remove_stale_staging(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        raise _write_error(f"cannot write output: {exc.strerror}", out_dir) from None
    try:
        for name, data in files.items():
            fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        held = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for name in files:
                os.replace(staging / name, out_dir / name)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except OSError as exc:
        raise _write_error(f"cannot write output: {exc.strerror}", out_dir) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in files]


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging directories of runs that were killed (their process is gone)."""
    for entry in out_dir.glob(f"{STAGING}*"):
        try:
            pid = int(entry.name[len(STAGING) :].split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (ValueError, PermissionError, OSError):
            continue  # not ours, or a process that still runs


def _write_error(message: str, where: Path, hint: str = "") -> InfogenError:
    hint = hint or "check the directory's permissions and free space, or choose another --out"
    return InfogenError([Diagnostic(message, Location(str(where)), hint=hint)])


@main.command()
@project_option
@click.option(
    "--layout", default="default", show_default=True, metavar="NAME", help="Layout whose fonts to show."
)
def langs(project_dir: Path, layout: str) -> None:
    """List the configured languages: name, script, direction, completeness and fonts."""
    from .api import Renderer
    from .project import Project

    with reporting():
        renderer = Renderer(Project(project_dir))
        reference = renderer.project.string_keys("en")
        click.echo(f"{'code':6} {'language':22} {'script':6} {'dir':4} {'complete':>8}  fonts")
        for code in renderer.project.languages():
            keys = renderer.project.string_keys(code)
            complete = 100 * len(keys & reference) / max(1, len(reference))
            try:
                content = renderer.project.load_content(code)
                name, script, direction = (
                    renderer.project.language_name(code),
                    content.script,
                    content.direction,
                )
                fonts = ", ".join(renderer.font_families(layout, script))
            except InfogenError as exc:
                name, script, direction = renderer.project.language_name(code), "?", "?"
                fonts = "error: " + exc.diagnostics[0].message
            click.echo(f"{code:6} {_pad(name, 22)} {script:6} {direction:4} {complete:7.0f}%  {fonts}")


@main.command()
def reference() -> None:
    """Print every layout key, region kind and panel part, with its type and meaning (Markdown)."""
    from .model.layout import Layout
    from .model.regions import Part, Region
    from .model.schema import reference_rows, tagged_kinds, union_options

    click.echo("| key | type | meaning |\n|---|---|---|")
    click.echo(
        "| `extends` | text | Path of a layout this one starts from, relative to the project root; "
        "mappings merge key by key, other values (lists such as `body`) are replaced. Optional. |"
    )
    click.echo(
        "| `portrait`, `landscape` | mapping | Keys merged over the layout when the page has that "
        "orientation (like a media query), e.g. `landscape: {body: [...]}`. Optional. |"
    )
    for path, kind, doc in reference_rows(Layout):
        click.echo(f"| `{path}` | {kind} | {doc} |")
    for title, union in (("Regions", Region), ("Panel parts", Part)):
        click.echo(f"\n### {title}\n")
        for name, cls in tagged_kinds(union_options(union)).items():
            summary = " ".join((cls.__doc__ or "").split())
            click.echo(f"#### `kind: {name}`\n\n{summary}\n\n| key | type | meaning |\n|---|---|---|")
            for path, kind, doc in reference_rows(cls):
                click.echo(f"| `{path}` | {kind} | {doc} |")
            click.echo()


@main.command("plan")
@lang_option
@layout_option
@format_option
@click.option(
    "--shards",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Also say which shard each job is in.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for a CI matrix) instead of a table.")
@project_option
@allow_dir_option
def plan_command(
    langs: str,
    layouts: str,
    formats: list[str],
    shards: int,
    as_json: bool,
    project_dir: Path,
    allow_dirs: tuple[Path, ...],
) -> None:
    """Print the jobs a render would run: one per layout × language × format, with a stable
    id and a weight; `render --shard K/N` runs the K-th of N balanced slices."""
    from . import batch

    with reporting():
        jobs = _plan(project_dir, allow_dirs, layouts, langs, formats)
        shard_of = {job.id: k for k in range(1, shards + 1) for job in batch.shard(jobs, k, shards)}
        entries = [
            {
                "id": j.id,
                "layout": j.layout,
                "lang": j.lang,
                "format": j.format,
                "weight": j.weight,
                "shard": shard_of[j.id],
            }
            for j in jobs
        ]
        if as_json:
            click.echo(json.dumps({"jobs": entries, "shards": list(range(1, shards + 1))}, indent=2))
        else:
            for e in entries:
                click.echo(f"{e['id']:32} weight {e['weight']:.1f}  shard {e['shard']}/{shards}")


@main.group()
def manifest() -> None:
    """Work with the manifest.json a render writes."""


@manifest.command("merge")
@click.argument(
    "parts", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--out", "-o", "out_file", type=click.Path(dir_okay=False, path_type=Path), required=True)
def manifest_merge(parts: tuple[Path, ...], out_file: Path) -> None:
    """Join the manifests of the shards of one render into one, in plan order: the manifest
    an unsharded render would have written."""
    from . import batch

    with reporting():
        documents = []
        for part in parts:
            try:
                documents.append(json.loads(part.read_text()))
            except (OSError, ValueError) as exc:
                raise InfogenError([Diagnostic(f"not a manifest: {exc}", Location(str(part)))]) from None
        merged = batch.merge_manifests(documents)
        data = (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode()
        write_atomically(out_file.parent if str(out_file.parent) else Path("."), {out_file.name: data})
        click.echo(
            f"merged {len(parts)} manifests: {len(merged['artifacts'])} artifacts into {out_file}", err=True
        )


STARTER = ("data", "layouts", "fonts/README.md", "profiles/README.md")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Write a starter project into DIRECTORY: the shipped dataset (ten trends, six
    languages), icons and layouts, ready for `infogen render --project DIRECTORY`."""
    from importlib.resources import as_file, files

    with reporting():
        taken = [name.split("/")[0] for name in STARTER if (directory / name.split("/")[0]).exists()]
        if taken:
            raise InfogenError(
                [
                    Diagnostic(
                        f"{directory} already has {', '.join(sorted(set(taken)))}",
                        Location(str(directory)),
                        hint="choose a new or empty directory; nothing was written",
                    )
                ]
            )
        with as_file(files("infogen") / "starter") as starter:
            staging = Path(tempfile.mkdtemp(prefix=".infogen-init-", dir=_parent_of(directory)))
            try:
                for name in STARTER:
                    source, target = starter / name, staging / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if source.is_dir():
                        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
                    else:
                        shutil.copyfile(source, target)
                directory.mkdir(parents=True, exist_ok=True)
                for entry in staging.iterdir():
                    os.replace(entry, directory / entry.name)
            except OSError as exc:
                raise _write_error(f"cannot write the project: {exc.strerror}", directory) from None
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    click.echo(
        f"wrote a starter project to {directory}; render it with: infogen render --project {directory}",
        err=True,
    )


def _parent_of(directory: Path) -> Path:
    """An existing directory next to (or above) `directory`, to stage files in."""
    parent = directory.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent
