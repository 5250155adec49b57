"""The command-line tool: options, files on disk, terminal output and exit codes.

It is the only module that writes files. Everything is rendered in memory
first; files are then written to temporary names and renamed into place, so a
failed run leaves no partial file and does not touch earlier outputs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import click

from . import __version__
from .diagnostics import Diagnostic, ExitCode, InfogenError, Location, printable
from .staging import Staging, write_atomically, write_error
from .units import Pt, parse_length, parse_paper

FORMAT_CHOICES = ("pdf", "svg", "png")

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    envvar="INFOGEN_PROJECT",
    show_envvar=True,
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
            import traceback

            traceback.print_exc()
        click.echo(exc.format(), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: no file was written; earlier outputs are as they were", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (`infogen validate | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit either
        sys.exit(1)
    except Exception as exc:
        if show_traceback:
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "  hint: report it with the output (`render` and `validate` show where with --traceback)",
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
      infogen validate                    # check everything, write nothing, every problem
      infogen watch --serve --lang nl     # re-render on save, live preview in a browser
      infogen langs                       # the configured languages
      infogen i18n status                 # what is left to translate, stale or too long
      infogen fonts                       # the font families found, and their scripts
      infogen reference                   # every layout key, region kind and panel part

    \b
    Exit codes: 0 success; 2 bad input (a data, layout or font problem, a bad option);
    1 valid input that cannot be rendered (text that does not fit), or an internal error.

    Options can also be set in the environment: INFOGEN_LANG, INFOGEN_LAYOUT, INFOGEN_OUT, …
    (each command's --help names them).
    """


def lang_option_with(default: str) -> Callable[..., Any]:
    return click.option(
        "--lang",
        "-l",
        "langs",
        default=default,
        show_default=True,
        envvar="INFOGEN_LANG",
        show_envvar=True,
        metavar="CODE[,CODE…]|all",
        help="Language(s): a code from data/lang/, a pseudo-locale (qps, qps-rtl), a comma-separated "
        "list, or 'all' (the files in data/lang/).",
    )


def layout_option_with(default: str) -> Callable[..., Any]:
    return click.option(
        "--layout",
        "layouts",
        default=default,
        show_default=True,
        envvar="INFOGEN_LAYOUT",
        show_envvar=True,
        metavar="NAME|PATH[,…]|all",
        help="Layout(s): a name (layouts/NAME.yaml), the path of a layout file, a comma-separated "
        "list, or 'all'.",
    )


lang_option = lang_option_with("en")
layout_option = layout_option_with("default")
format_option = click.option(
    "--format",
    "-f",
    "formats",
    default="all",
    show_default=True,
    envvar="INFOGEN_FORMAT",
    show_envvar=True,
    metavar="FORMAT[,FORMAT…]|all",
    callback=lambda c, p, v: _choices(v, FORMAT_CHOICES, "format"),
    help="Output format(s): pdf, svg, png, a comma-separated list such as pdf,png, or 'all'.",
)
allow_dir_option = click.option(
    "--allow-dir",
    "allow_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    envvar="INFOGEN_ALLOW_DIR",
    show_envvar=True,
    metavar="DIR",
    help="Let data and layout files name files in DIR, outside the project (repeatable).",
)


def out_option_with(default: Path, help: str, envvar: str | None = "INFOGEN_OUT") -> Callable[..., Any]:
    return click.option(
        "--out",
        "-o",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=True,
        envvar=envvar,
        show_envvar=envvar is not None,
        help=help,
    )


out_option = out_option_with(Path("out"), "Directory to write into (created if missing).")
font_path_option = click.option(
    "--font-path",
    "font_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar="INFOGEN_FONT_PATH",
    show_envvar=True,
    metavar="DIR",
    help="Also look for fonts in DIR, after the project's fonts/ (repeatable; see `infogen fonts`).",
)

# The options that decide what is rendered: render, validate and watch take the same ones.
RUN_OPTIONS = (
    lang_option,
    layout_option,
    project_option,
    allow_dir_option,
    font_path_option,
    click.option(
        "--set",
        "settings",
        multiple=True,
        metavar="KEY=VALUE",
        help="Change one layout value for this run, checked like the file: "
        "--set styles.bullet.size=15pt, --set 'styles.bullet.colour=#24313D', "
        "--set 'panels.card.padding={top: 4mm, right: 5mm, bottom: 4mm, left: 5mm}' (repeatable; "
        "key paths as `infogen reference` lists them; a mapping replaces the whole value).",
    ),
    click.option(
        "--paper",
        metavar="SIZE",
        envvar="INFOGEN_PAPER",
        show_envvar=True,
        callback=lambda c, p, v: _parse(v, parse_paper, "paper size"),
        help="Paper for this run: A0-A6, B4, B5, letter, legal, tabloid or WIDTHxHEIGHT "
        "('420x297mm', at most 200in a side). The design scales to it.",
    ),
    click.option("--landscape/--portrait", default=None, help="Orientation for this run."),
    click.option(
        "--bleed",
        metavar="LENGTH",
        callback=lambda c, p, v: _length_in_range(v, "bleed"),
        help="Bleed for this run, e.g. 3mm (0 to 72pt, as in a layout).",
    ),
    click.option("--crop-marks/--no-crop-marks", default=None, help="Draw crop marks (PDF)."),
    click.option(
        "--colour",
        "--color",
        "colour",
        type=click.Choice(["rgb", "cmyk"]),
        default=None,
        help="Colour space of the PDF for this run.",
    ),
    click.option("--pdfx/--no-pdfx", default=None, help="Write PDF/X-4 for print (implies --colour cmyk)."),
    click.option(
        "--tags/--no-tags",
        default=True,
        show_default=True,
        help="Write tagged PDF (PDF/UA-1): a structure tree that screen readers read, in reading order.",
    ),
    click.option(
        "--dpi",
        type=click.FloatRange(10, 1200),
        default=None,
        envvar="INFOGEN_DPI",
        show_envvar=True,
        help="PNG resolution in pixels per inch (default: the layout's png.dpi; 150 for the paper "
        "layouts, 96 for the social card, which makes it exactly 1080 x 1080 px).",
    ),
    click.option(
        "--fallback-to-english",
        is_flag=True,
        help="Use the English text for strings a language lacks (a warning for each) "
        "instead of refusing to render.",
    ),
)


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(RUN_OPTIONS):
        command = option(command)
    return command


def validate_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The run options, but every layout and every language unless named."""
    for option in reversed((lang_option_with("all"), layout_option_with("all"), *RUN_OPTIONS[2:])):
        command = option(command)
    return command


@dataclass(frozen=True)
class Selection:
    """What a render, validate or watch run is asked for: the request every worker gets,
    and the layouts and languages named (paths of layout files already turned into names)."""

    request: Any  # batch.Request
    layouts: str  # 'all' or names, comma-separated
    langs: str


def selection(run: dict[str, Any], debug: bool = False) -> Selection:
    """The run options (RUN_OPTIONS) as a Selection."""
    from . import batch
    from .model.overrides import RenderOptions

    landscape = run["landscape"]
    orientation: Literal["portrait", "landscape"] | None = None
    if landscape is not None:
        orientation = "landscape" if landscape else "portrait"
    options = RenderOptions(
        run["paper"],
        orientation,
        run["bleed"],
        run["crop_marks"],
        run["colour"],
        run["pdfx"],
        run["dpi"],
        run["tags"],
    )
    names, files = _layout_arguments(run["layouts"])
    request = batch.Request(
        run["project_dir"],
        tuple(run["allow_dirs"]),
        options,
        "en" if run["fallback_to_english"] else None,
        files,
        tuple(run["settings"]),
        tuple(run["font_dirs"]),
        debug,
    )
    return Selection(request, names, run["langs"])


def _layout_arguments(value: str) -> tuple[str, tuple[tuple[str, Path], ...]]:
    """'default,~/x/poster.yaml' -> 'default,poster' and the file given for 'poster'."""
    if value.strip() == "all":
        return "all", ()
    names, files = [], []
    for entry in _names(value):
        if "/" not in entry and not entry.endswith((".yaml", ".yml")):
            names.append(entry)
            continue
        path = Path(entry).expanduser()
        if not path.is_file():
            raise InfogenError(
                [
                    Diagnostic(
                        f"no layout file {entry}",
                        Location(entry),
                        hint="give the path of a layout YAML file, or a layout's name (see layouts/)",
                    )
                ]
            )
        names.append(path.stem)
        files.append((path.stem, path))
    return ",".join(names), tuple(files)


@main.command()
@run_options
@format_option
@out_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    envvar="INFOGEN_JOBS",
    show_envvar=True,
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
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the fit report (per layout and language: the size each panel's text got "
    "and what limited it) as JSON to FILE.",
)
@click.option(
    "--debug",
    is_flag=True,
    help="Also write OUT/debug/LAYOUT-LANG.svg: the page with its regions, panel boxes, "
    "padding, baselines and each panel's fit ratio drawn over it (the outputs are unchanged).",
)
@click.option(
    "--contact-sheet",
    is_flag=True,
    help="Instead of the pages, write OUT/LAYOUT-contact-sheet.pdf and .png: every language "
    "(those of --lang, or all) side by side on one page, each labelled, with its fit summary.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar and no fit table: one line per artifact and a summary, and the errors.",
)
@click.option(
    "--traceback", "show_traceback", is_flag=True, help="Show the Python traceback of internal errors."
)
def render(
    formats: list[str],
    out_dir: Path,
    jobs: int,
    check: bool,
    keep_going: bool,
    name_template: str,
    shard: tuple[int, int] | None,
    report_file: Path | None,
    debug: bool,
    contact_sheet: bool,
    quiet: bool,
    show_traceback: bool,
    **run: Any,
) -> None:
    """Render the infographic to OUT/LAYOUT-LANG.pdf, .svg and .png, and OUT/manifest.json,
    and print how the text was fitted. `--lang qps` or `qps-rtl` renders a pseudo-locale.

    \b
    Exit codes: 0 every artifact rendered; 1 valid input that cannot be rendered (or, with
    --keep-going, some artifacts failed); 2 bad input or usage.
    """
    from . import batch

    with reporting(show_traceback):
        chosen = selection(run, debug)
        if contact_sheet:
            given = click.get_current_context().get_parameter_source
            default = click.core.ParameterSource.DEFAULT
            sheet_formats = ["pdf", "png"] if given("formats") is default else formats
            langs = "all" if given("langs") is default else chosen.langs
            write_contact_sheets(chosen, langs, sheet_formats, None if check else out_dir)
            return
        planned = _plan(chosen, formats)
        todo = batch.shard(planned, *shard) if shard else planned
        outcome = render_run(
            chosen.request,
            planned,
            todo,
            None if check else out_dir,
            name_template,
            jobs=jobs,
            keep_going=keep_going,
            quiet=quiet,
            report_file=report_file,
        )
        if outcome.problems:
            error = InfogenError(outcome.problems)
            if keep_going and not check:
                click.echo(error.format(), err=True)
                sys.exit(ExitCode.RENDER_FAILED)
            raise error


@main.command()
@validate_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2 when there are any).")
@click.option(
    "--diagnostic-format",
    "style",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    envvar="INFOGEN_DIAGNOSTIC_FORMAT",
    show_envvar=True,
    help="text: file:line:col: error: key: message; github: GitHub Actions annotations; "
    "json: one JSON object per problem and line.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the fit report as JSON to FILE.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only the problems: no fit table, no summary.")
@click.option(
    "--traceback", "show_traceback", is_flag=True, help="Show the Python traceback of internal errors."
)
def validate(
    strict: bool, style: str, report_file: Path | None, quiet: bool, show_traceback: bool, **run: Any
) -> None:
    """Check every layout in every language (or those named) without writing anything:
    files, keys, names, fonts, print profiles, and whether the text fits. Prints every
    problem at once, sorted by file and line, and the fit report.

    \b
    Examples:
      infogen validate                          # every layout × every language
      infogen validate --layout social --lang nl,de
      infogen validate --strict --diagnostic-format github   # in a GitHub Actions job

    \b
    Exit codes: 0 no errors (warnings allowed, unless --strict); 2 an error (or, with
    --strict, a warning).
    """
    from . import report
    from .validate import format_diagnostic
    from .validate import validate as check_all

    with reporting(show_traceback):
        started = time.perf_counter()
        try:
            chosen = selection(run)
            planned = _plan(chosen, ["pdf"])
        except InfogenError as exc:  # an unknown layout or language: in the format asked for
            for diagnostic in exc.diagnostics:
                click.echo(format_diagnostic(diagnostic, style))
            sys.exit(ExitCode.BAD_INPUT)
        layouts = list(dict.fromkeys(job.layout for job in planned))
        langs = list(dict.fromkeys(job.lang for job in planned))
        found = check_all(chosen.request, layouts, langs)
        for diagnostic in found.diagnostics:
            click.echo(format_diagnostic(diagnostic, style, strict))
        if style == "text" and not quiet and any(row["grids"] for row in found.fits):
            click.echo(report.fit_table(found.fits), err=True)
        if report_file is not None:
            data = (json.dumps(report.fit_report(found.fits), indent=2, ensure_ascii=False) + "\n").encode()
            write_atomically(report_file.parent, {report_file.name: data})
        if not quiet:
            click.echo(
                f"validated {_count(len(layouts), 'layout')} × {_count(len(langs), 'language')} "
                f"({_count(found.pages, 'page')} composed): {_count(len(found.errors), 'error')}, "
                f"{_count(len(found.warnings), 'warning')}, {time.perf_counter() - started:.1f} s",
                err=True,
            )
        if found.errors or (strict and found.warnings):
            sys.exit(ExitCode.BAD_INPUT)


@dataclass
class Outcome:
    """What one render run did: the results in plan order, the files written, and the
    problems and warnings of every artifact (each once)."""

    results: list[Any]
    written: list[Path]
    problems: list[Diagnostic]
    warnings: list[Diagnostic]
    seconds: float


def render_run(
    request: Any,
    planned: list[Any],
    todo: list[Any],
    out_dir: Path | None,
    name_template: str = "{layout}-{lang}.{ext}",
    *,
    jobs: int = 1,
    keep_going: bool = False,
    quiet: bool = False,
    report_file: Path | None = None,
    keep_text_caches: bool = False,
) -> Outcome:
    """Render `todo` (of the plan `planned`) and write the outputs into `out_dir` (None:
    only check), printing progress, warnings, the fit table and a summary; raise for
    setup mistakes found before rendering. `render` and `watch` both run through here."""
    from . import batch, report
    from .validate import sort_diagnostics

    started = time.perf_counter()
    renderer, names = _preflight(request, todo, name_template, keep_going, out_dir)
    with Staging(out_dir) if out_dir is not None else nullcontext() as staging:

        def name_of(result: Any) -> str:
            """The artifact's file name: from the preflight, or (a layout it could not
            read, with --keep-going) from the result's options."""
            if result.job.id not in names:
                names[result.job.id] = batch.output_name(name_template, result.job, result.options)
            return names[result.job.id]

        def store(result: Any) -> Any:
            """Each artifact into the staging directory as it comes: the run holds the
            bytes of one artifact at a time, not of all of them."""
            if staging is None or not result.ok:
                return result
            staging.put(name_of(result), result.data)
            if result.debug:
                staging.put(f"debug/{result.job.layout}-{result.job.lang}.svg", result.debug)
            return result.stored()

        results = _run_with_progress(request, todo, jobs, quiet, renderer, store, keep_text_caches)
        for result in results:
            if result.ok:
                name_of(result)
        _check_names_unique(names)
        failed = [r for r in results if not r.ok]
        problems = sort_diagnostics(d for r in failed for d in r.problems)
        warnings = sort_diagnostics(d for r in results for d in r.warnings)
        for warning in warnings:
            click.echo(warning.format(), err=True)
        rows = report.fit_rows(results)
        if not quiet and any(row["grids"] for row in rows):
            click.echo(report.fit_table(rows), err=True)
        written: list[Path] = []
        if staging is not None and (keep_going or not failed):
            document = batch.manifest(results, names, staging.out_dir, planned)
            staging.put("manifest.json", (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
            # Listed in plan order (stored as they came), then the debug overlays and the manifest.
            rank = {names[r.job.id]: n for n, r in enumerate(results) if r.ok}
            written = sorted(
                staging.commit(),
                key=lambda path: (rank.get(path.relative_to(staging.out_dir).as_posix(), len(rank)), path),
            )
    if report_file is not None:
        data = (json.dumps(report.fit_report(rows), indent=2, ensure_ascii=False) + "\n").encode()
        written += write_atomically(report_file.parent, {report_file.name: data})
    seconds = time.perf_counter() - started
    verb = "checked" if out_dir is None else "rendered"
    click.echo(
        f"{len(results) - len(failed)} of {len(results)} artifacts {verb}, {len(failed)} failed, "
        f"{len(written)} files written, {seconds:.1f} s",
        err=True,
    )
    return Outcome(results, written, problems, warnings, seconds)


def _plan(chosen: Selection, formats: list[str]) -> list[Any]:
    """The jobs a run's options ask for: every layout × language × format, in order."""
    from . import batch

    project = chosen.request.project()
    project.check()
    languages = project.languages() if chosen.langs == "all" else _names(chosen.langs)
    if not languages:
        raise InfogenError(
            [Diagnostic("no language to render", hint="pass --lang CODE, a list such as en,nl, or all")]
        )
    names = project.layouts() if chosen.layouts == "all" else _names(chosen.layouts)
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
        if not project.has_language(lang)  # a file in data/lang/, or a pseudo-locale
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
    renderer = request.renderer()
    names: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for layout in dict.fromkeys(job.layout for job in todo):
        try:
            renderer.layout(layout)
            if any(job.layout == layout and job.format == "pdf" for job in todo):
                renderer.pdf_options(layout)
            if any(job.layout == layout and job.format == "png" for job in todo):
                renderer.check_png_size(layout)
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
        raise write_error(f"{out_dir} exists and is not a directory", out_dir, "choose another --out")
    existing = out_dir
    while not existing.exists():
        existing = existing.parent
    try:  # a real probe: permission bits say little to root, or on /proc
        os.rmdir(tempfile.mkdtemp(prefix=".infogen-probe-", dir=existing))
    except OSError as exc:
        raise write_error(
            f"cannot create the output directory in {existing}: {exc.strerror}", out_dir
        ) from None


def _run_with_progress(
    request: Any,
    todo: list[Any],
    jobs: int,
    quiet: bool,
    renderer: Any,
    keep: Callable[[Any], Any],
    keep_text_caches: bool,
) -> list[Any]:
    """Run the jobs: a progress bar on a terminal, else one line per artifact (CI logs);
    `keep` makes what is kept of each result as it comes (batch.run's `keep`)."""
    from . import batch

    if sys.stderr.isatty() and not quiet:
        bar: Any = click.progressbar(
            length=len(todo), label="rendering", file=sys.stderr, show_eta=True, show_pos=True,
            item_show_func=lambda r: r.job.id if r else None,
        )  # fmt: skip
        with bar:
            return batch.run(
                request, todo, jobs, lambda r: bar.update(1, r), renderer, keep, keep_text_caches
            )

    def line(result: Any) -> None:
        status = "ok  " if result.ok else "FAIL"
        size = f" {result.size / 1024:.0f} kB" if result.ok else ""
        click.echo(f"{status} {result.job.id}{size} {result.seconds:.2f} s", err=True)

    return batch.run(request, todo, jobs, line, renderer, keep, keep_text_caches)


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


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


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


def _length_in_range(text: str | None, key: str) -> Pt | None:
    """A length given on the command line, held to the range the layout key has; a
    mistake is shown as it was typed (-3mm, not -8.50394pt)."""
    value = _parse(text, parse_length, "length")
    if value is None:
        return None  # not given: the layout model need not be imported to parse the options
    from .model.layout import Page
    from .model.schema import field_bounds

    low, high = field_bounds(Page, key)
    if (low is not None and value < low) or (high is not None and value > high):
        raise click.BadParameter(f"{text} is out of range: expected {low:g}pt to {high:g}pt (0 to 25.4mm)")
    return value


def _parse(value: str | None, parse: Callable[[str], Any], what: str) -> Any:
    if value is None:
        return None
    parsed = parse(value)
    if parsed is None:
        raise click.BadParameter(f"expected a {what}, got {value!r}")
    return parsed


@main.command()
@project_option
@font_path_option
@click.option(
    "--script",
    "script_name",
    metavar="NAME",
    help="Only the families covering this script: a name such as arabic, japanese or cyrillic, "
    "or an ISO 15924 code such as Arab (any case).",
)
@click.option(
    "--layout",
    default="default",
    show_default=True,
    metavar="NAME",
    help="Mark with * the families this layout uses (its fonts and its scripts' fonts).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def fonts(
    project_dir: Path, font_dirs: tuple[Path, ...], script_name: str | None, layout: str, as_json: bool
) -> None:
    """List the font families infogen can find: where each comes from (the project's fonts/,
    --font-path, a font package, the system), its faces and files, and the scripts it covers.

    \b
    A script counts as covered when every face maps at least 90% of a small sample of it
    (the basic letters; kana and common kanji for Japanese); "(n/m)" after a script means
    only n of the family's m faces cover it.
    """
    from .api import Renderer
    from .project import Project
    from .text import fonts as fontlib

    with reporting():
        wanted = None
        if script_name is not None:
            wanted = fontlib.script_code(script_name)
            if wanted is None:
                codes = ", ".join(fontlib.SCRIPT_SAMPLES)
                raise InfogenError(
                    [
                        Diagnostic(
                            f"unknown script '{script_name}'",
                            hint=f"known scripts: {', '.join(fontlib.script_names())} "
                            f"(any case), or their ISO 15924 codes {codes}",
                        )
                    ]
                )
        renderer = Renderer(Project(project_dir), font_dirs=tuple(font_dirs))
        entries = _font_entries(renderer.library, _layout_families(renderer, layout))
        if wanted is not None:
            name = fontlib.SCRIPT_SAMPLES[wanted][0]
            entries = [e for e in entries if name in e["scripts"] or name in e["partial_scripts"]]
        if as_json:
            document = {
                "layout": layout,
                "script": fontlib.SCRIPT_SAMPLES[wanted][0] if wanted else None,
                "coverage_threshold": fontlib.SCRIPT_COVERAGE,
                "families": entries,
            }
            _echo_lines([json.dumps(document, indent=2, ensure_ascii=False)])
            return
        _print_font_table(entries)
        covering = f" covering {fontlib.SCRIPT_SAMPLES[wanted][0]}" if wanted else ""
        faces = sum(len(e["faces"]) for e in entries)
        click.echo(
            f"{len(entries)} families{covering} ({faces} faces); * used by layout '{layout}'; "
            "+i: every weight also in italic; (n/m): only n of the family's m faces cover that script",
            err=True,
        )


def _layout_families(renderer: Any, layout: str) -> set[str]:
    """The (case-folded) families a layout sets text in, for its fonts and each of its
    `scripts`; a font it names that is missing is a warning here, not an error."""
    from dataclasses import replace

    from .diagnostics import Severity

    scripts = ["", *renderer.layout(layout).scripts]  # a bad layout is an error (exit 2)
    used: set[str] = set()
    problems: dict[str, Diagnostic] = {}
    for script in scripts:
        try:
            used.update(family.casefold() for family in renderer.font_families(layout, script))
        except InfogenError as exc:
            problems.update((d.format(), d) for d in exc.diagnostics)
    for problem in problems.values():
        click.echo(replace(problem, severity=Severity.WARNING).format(), err=True)
    return used


def _font_entries(library: Any, used: set[str]) -> list[dict[str, Any]]:
    """One entry per family and source, in search order: `used` marks the first place a
    family the layout uses is found (where infogen takes it from)."""
    from .text import fonts as fontlib

    entries = []
    marked: set[str] = set()
    for source, faces in fontlib.font_catalog(library):
        family = faces[0].family
        per_face = [fontlib.covered_scripts(fontlib.face_codepoints(f)) for f in faces]
        counts = {code: sum(code in codes for codes in per_face) for code in fontlib.SCRIPT_SAMPLES}
        name = {code: title for code, (title, _) in fontlib.SCRIPT_SAMPLES.items()}
        is_used = family.casefold() in used and family.casefold() not in marked
        if is_used:
            marked.add(family.casefold())
        entries.append(
            {
                "family": family,
                "source": source,
                "used": is_used,
                "scripts": [name[c] for c, n in counts.items() if n == len(faces)],
                "partial_scripts": {name[c]: n for c, n in counts.items() if 0 < n < len(faces)},
                "faces": [
                    {
                        "weight": f.weight,
                        "italic": f.italic,
                        "postscript_name": f.postscript_name,
                        "file": os.path.abspath(f.path),
                        "index": f.index,
                        "scripts": [name[c] for c in codes],
                    }
                    for f, codes in zip(faces, per_face, strict=True)
                ],
            }
        )
    return entries


def _print_font_table(entries: list[dict[str, Any]]) -> None:
    rows: list[list[str]] = []
    for e in entries:
        total = len(e["faces"])
        scripts = e["scripts"] + [f"{s} ({n}/{total})" for s, n in e["partial_scripts"].items()]
        cells = [
            "*" if e["used"] else " ",
            e["family"],
            e["source"],
            _font_faces(e["faces"]),
            ", ".join(scripts) or "-",
            _font_files([Path(f["file"]) for f in e["faces"]]),
        ]
        rows.append([printable(text, 200) for text in cells])
    header = [" ", "family", "source", "faces", "scripts", "files"]
    widths = [min(48, max(_cells(r[k]) for r in [header, *rows])) for k in range(5)]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(text, width) for text, width in zip(row[:5], widths, strict=True)]
        lines.append(" ".join([*cells, row[5]]).rstrip())
    _echo_lines(lines)


def _echo_lines(lines: list[str]) -> None:
    """Print to stdout; a reader that stops early (`infogen fonts | head`) is no error."""
    try:
        for line in lines:
            click.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit


def _font_faces(faces: list[dict[str, Any]]) -> str:
    """'400 700 +i' (each weight also italic), '200 400 700 400i 700i', '400i'."""
    upright = sorted({f["weight"] for f in faces if not f["italic"]})
    italic = sorted({f["weight"] for f in faces if f["italic"]})
    if upright and italic == upright:
        return " ".join(map(str, upright)) + " +i"
    return " ".join([*map(str, upright), *(f"{w}i" for w in italic)])


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _font_files(paths: list[Path]) -> str:
    """A family's files, cut to one line: the file, or how many in which directory."""
    files = list(dict.fromkeys(paths))  # absolute paths; a collection's faces share one
    if len(files) == 1:
        return _shown_path(files[0])
    parents = {p.parent for p in files}
    if len(parents) == 1:
        return f"{len(files)} files in {_shown_path(parents.pop())}"
    return f"{len(files)} files under {_shown_path(Path(os.path.commonpath(files)))}"


def _shown_path(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute."""
    here = Path.cwd()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


@main.command()
@project_option
@click.option(
    "--layout", default="default", show_default=True, metavar="NAME", help="Layout whose fonts to show."
)
def langs(project_dir: Path, layout: str) -> None:
    """List the configured languages: name, script, direction, how many of the English strings
    are translated (a string still identical to the English is not), and fonts. The
    pseudo-locales (qps, qps-rtl) are listed as pseudo. Exit 2 when a language file is broken
    (it cannot be read even with the English filling its gaps); `infogen i18n status` says more."""
    from .api import Renderer
    from .i18n.status import language_status
    from .i18n.strings import SOURCE_LANG, source_strings
    from .project import Project

    with reporting():
        renderer = Renderer(Project(project_dir))
        project = renderer.project
        sources = source_strings(project)
        broken: list[Diagnostic] = []
        click.echo(
            f"{'code':8} {'language':24} {'script':6} {'dir':4} {'strings':>7} {'translated':>10}  fonts"
        )
        for code in [*project.languages(), *project.pseudo_languages()]:
            pseudo = code in project.pseudo_languages()
            strings, share = "pseudo", "-"
            if not pseudo:
                status = language_status(project, sources, code, {})
                strings = f"{status.translated}/{status.total}"
                share = (
                    "source"
                    if code == SOURCE_LANG
                    else f"{100 * status.translated / max(1, status.total):.0f}%"
                )
                broken += status.problems if status.broken else []
            try:
                content = project.load_content(code, None, None if pseudo else SOURCE_LANG, [])
                script, direction = content.script, str(content.direction)
                fonts = ", ".join(renderer.font_families(layout, script))
            except InfogenError as exc:
                script, direction, fonts = "?", "?", "error: " + exc.diagnostics[0].message
            name = _pad(project.language_name(code), 24)
            click.echo(f"{code:8} {name} {script:6} {direction:4} {strings:>7} {share:>10}  {fonts}")
        if broken:
            click.echo(InfogenError(broken).format(), err=True)
            sys.exit(ExitCode.BAD_INPUT)


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


@main.command("schema")
@click.argument("kind", type=click.Choice(["layout", "language", "theme"]))
def schema_command(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a layout, language or theme file.

    Made from the same key declarations infogen validates with (`infogen reference`
    documents them): an editor given the schema completes keys, shows what each one
    means and underlines mistakes as you type. With VS Code's YAML extension, or any
    editor built on yaml-language-server, make this the first line of the YAML file
    (the path is relative to the file):

    \b
      # yaml-language-server: $schema=../schemas/layout.schema.json
      (data/lang/*.yaml: ../../schemas/language.schema.json,
       data/theme.yaml:  ../schemas/theme.schema.json)

    The shipped files and `infogen init` projects have it, and schemas/ holds the three
    schemas (scripts/update-schemas rewrites them). Elsewhere, write one yourself:

    \b
      infogen schema layout > schemas/layout.schema.json

    The schema checks one file as it stands; infogen still checks what it cannot: names
    that must be defined elsewhere (styles, fonts, panels, theme ids) and length ranges.
    """
    from .model.jsonschema import schema_text

    with reporting():
        click.echo(schema_text(kind), nl=False)


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
        names, files = _layout_arguments(layouts)
        request = batch.Request(project_dir, allow_dirs, layout_files=files)
        jobs = _plan(Selection(request, names, langs), formats)
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


@main.command("watch")
@run_options
@click.option(
    "--format",
    "-f",
    "formats",
    default="svg",
    show_default=True,
    metavar="FORMAT[,FORMAT…]|all",
    callback=lambda c, p, v: _choices(v, FORMAT_CHOICES, "format"),
    help="Output format(s) to keep up to date (the preview page shows SVG and PNG).",
)
@out_option
@click.option(
    "--serve",
    is_flag=True,
    help="Also serve a live preview page on http://127.0.0.1:PORT/ (this machine only).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port of the preview page; 0 picks a free one (the URL is printed).",
)
def watch_command(formats: list[str], out_dir: Path, serve: bool, port: int, **run: Any) -> None:
    """Render, then render again on every save of a data, layout or font file of the project.

    Each render prints the time it took and the fit report. A save that breaks something
    prints the errors and leaves the last good output in OUT; the next good save renders
    again. Ctrl-C stops. With --serve, a page shows the SVGs, the fit report and the
    errors, and refreshes itself after each render.

    Watched: the project's data/, layouts/, fonts/ and profiles/, and the folders of
    --font-path, --allow-dir and --layout PATH; not OUT itself, editor swap and backup
    files, or __pycache__.

    \b
    Examples:
      infogen watch --lang nl --layout social           # keep out/social-nl.svg up to date
      infogen watch --lang nl --layout social --serve   # and open http://127.0.0.1:8765/
      infogen watch --lang en,nl --format svg,png --serve --port 0
    """
    from . import watch

    with reporting():
        _, files = _layout_arguments(run["layouts"])
        extra = (*run["font_dirs"], *run["allow_dirs"], *(path.parent for _, path in files))

        def attempt() -> Outcome:
            """The options, the plan and the renderer built again: a layout may have broken or been fixed."""
            chosen = selection(run)
            planned = _plan(chosen, formats)
            # Every render of the loop sets the same languages' text: kept, not dropped
            # between languages as a one-off batch drops it.
            return render_run(chosen.request, planned, planned, out_dir, keep_text_caches=True)

        watch.run(
            attempt,
            run["project_dir"],
            extra,
            out_dir,
            port if serve else None,
            lambda text: click.echo(text, err=True),
        )


def write_contact_sheets(chosen: Selection, langs: str, formats: list[str], out_dir: Path | None) -> None:
    """`render --contact-sheet`: one sheet per layout, of every language asked for, written
    as OUT/LAYOUT-contact-sheet.EXT (None: only checked). A review document for screens:
    RGB, no PDF/X, whatever the layout prints with."""
    from .api import export
    from .export.pdf import PdfOptions
    from .i18n.sheet import SHEET_NAME, sheet_scene

    started = time.perf_counter()
    planned = _plan(Selection(chosen.request, chosen.layouts, langs), ["pdf"])
    languages = list(dict.fromkeys(job.lang for job in planned))
    if out_dir is not None:
        _check_writable(out_dir)
    renderer = chosen.request.renderer()
    files: dict[str, bytes] = {}
    for layout in dict.fromkeys(job.layout for job in planned):
        scene = sheet_scene(renderer, layout, languages)
        for fmt in formats:
            data = export(scene, fmt, PdfOptions(), renderer.dpi(layout))
            files[SHEET_NAME.format(layout=layout, ext=fmt)] = data
    for warning in list({w.format(): w for w in renderer.warnings}.values()):
        click.echo(warning.format(), err=True)
    written = write_atomically(out_dir, files) if out_dir is not None else []
    verb = f"wrote {len(written)} files into {out_dir}" if out_dir is not None else "checked, nothing written"
    click.echo(
        f"contact sheets of {len(files) // max(1, len(formats))} layouts × {len(languages)} languages "
        f"({', '.join(languages)}): {verb}, {time.perf_counter() - started:.1f} s",
        err=True,
    )


@main.group()
def i18n() -> None:
    """Translators' tools: what is translated, stale or too long, and PO/XLIFF round trips.

    \b
    Examples:
      infogen i18n status                      # a table of every language; --json for CI
      infogen i18n status --strict             # exit 1 when any language is incomplete
      infogen i18n export --lang fr --format po      # ./fr.po, for Poedit, Weblate, Crowdin
      infogen i18n export --lang all --format xliff  # ./LANG.xlf (XLIFF 1.2), e.g. for memoQ
      infogen i18n import fr.po                # back into data/lang/fr.yaml: what changed
      infogen i18n stamp --lang fr heading     # the translation of 'heading' is up to date

    Strings are named by their key paths in the language file (PO msgctxt, XLIFF id).
    See the README's Translating section.
    """


def _translated_languages(project: Any, value: str) -> list[str]:
    """The language files named (or all), the English and the pseudo-locales refused."""
    from .i18n.strings import SOURCE_LANG

    project.check()
    known = project.languages()
    names = [c for c in known if c != SOURCE_LANG] if value.strip() == "all" else _names(value)
    problems = []
    for name in names:
        project.check_name(name, "language", known)
        if name == SOURCE_LANG:
            problems.append(
                Diagnostic(
                    "English is the source language, not a translation",
                    Location(f"data/lang/{name}.yaml"),
                    hint="name a translation (or all)",
                )
            )
        elif name in project.pseudo_languages():
            problems.append(
                Diagnostic(f"'{name}' is a pseudo-locale, made from the English: it has no translations")
            )
        elif name not in known:
            problems.append(Diagnostic(*project.unknown("language", name)))
    if problems:
        raise InfogenError(problems)
    return names


def _i18n_layouts(project: Any, value: str | None) -> list[str]:
    """The layouts named, or all; by default `default`, or all when there is none of that name."""
    known = project.layouts()
    if value is None:
        value = "default" if "default" in known else "all"
    names = known if value.strip() == "all" else _names(value)
    unknown = [Diagnostic(*project.unknown("layout", n)) for n in names if n not in known]
    if unknown:
        raise InfogenError(unknown)
    return names


@i18n.command("status")
@project_option
@click.option(
    "--lang",
    "-l",
    "langs",
    default="all",
    show_default=True,
    metavar="CODE[,CODE…]|all",
    help="Languages to report: codes from data/lang/, or all (the English included, as the source).",
)
@click.option(
    "--layout",
    "layouts",
    default=None,
    metavar="NAME[,…]|all",
    help="Layouts whose length budgets apply (the strictest wins) and whose fit is measured "
    "[default: default, or all if there is no layout of that name].",
)
@click.option("--no-fit", is_flag=True, help="Do not lay the pages out (faster): no 'shrinks'.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for CI) instead of the table.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any language is incomplete: a string missing, still English, stale or over "
    "its length budget, or a page that cannot be laid out.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only the table and the errors: not each finding.")
def i18n_status(
    project_dir: Path, langs: str, layouts: str | None, no_fit: bool, as_json: bool, strict: bool, quiet: bool
) -> None:
    """How complete each language is: strings translated of the English's, missing, still
    identical to the English (names marked in translation.same_as_source excepted), stale
    (the English changed after the translation was made), over the layout's length budget,
    and the strings that make the panels' text shrink.

    \b
    Exit codes: 0 (with --strict: every language complete); 1 with --strict, a language
    incomplete; 2 a broken language file, or bad input.
    """
    from .i18n import status as report
    from .i18n.budget import budgets
    from .i18n.strings import SOURCE_LANG, source_strings
    from .project import Project

    with reporting():
        project = Project(project_dir)
        project.check()
        if langs.strip() == "all":
            names = [SOURCE_LANG, *_translated_languages(project, "all")]
        else:  # the English may be named too: it is reported as the source
            names = _names(langs)
            translations = [n for n in names if n != SOURCE_LANG]
            if translations:
                _translated_languages(project, ",".join(translations))
        chosen = _i18n_layouts(project, layouts)
        sources = source_strings(project)
        limits = budgets(project, chosen)
        renderer = None
        if not no_fit:
            from .batch import Request

            renderer = Request(project_dir, fallback=SOURCE_LANG).renderer()
        rows = [report.language_status(project, sources, n, limits, renderer, chosen) for n in names]
        if as_json:
            click.echo(json.dumps(report.document(rows, chosen), indent=2, ensure_ascii=False))
        else:
            click.echo(report.table(rows))
            for row in rows:
                for diagnostic in (*row.problems, *(row.findings if not quiet else ())):
                    click.echo(diagnostic.format())
        incomplete = [row.lang for row in rows if not row.complete]
        click.echo(
            f"{_count(len(rows), 'language')}, {_count(len(sources), 'string')} each: "
            + (f"incomplete: {', '.join(incomplete)}" if incomplete else "all complete"),
            err=True,
        )
        if any(row.broken for row in rows):
            sys.exit(ExitCode.BAD_INPUT)
        if strict and incomplete:
            sys.exit(ExitCode.RENDER_FAILED)


def _export_date() -> str:
    """The catalog's date: SOURCE_DATE_EPOCH's (reproducible builds), else now, in UTC."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    )
    return moment.strftime("%Y-%m-%d %H:%M+0000")


@i18n.command("export")
@project_option
@click.option("--lang", "-l", "langs", required=True, metavar="CODE[,CODE…]|all", help="Languages to export.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["po", "xliff"]),
    default="po",
    show_default=True,
    help="po: gettext PO (Poedit, Weblate, Crowdin); xliff: XLIFF 1.2 (memoQ, Trados, Crowdin).",
)
@out_option_with(Path("."), "Directory to write LANG.po or LANG.xlf into.", envvar=None)
@click.option(
    "--layout",
    "layouts",
    default=None,
    metavar="NAME[,…]|all",
    help="Layouts whose length budgets the catalog notes (the strictest wins) "
    "[default: default, or all if there is no layout of that name].",
)
def i18n_export(project_dir: Path, langs: str, fmt: str, out_dir: Path, layouts: str | None) -> None:
    """Write a catalog per language for translators: each string's English, its existing
    translation (a stale one marked for review: PO fuzzy, XLIFF needs-review-translation),
    its context (panel, field; PO msgctxt and XLIFF id are the key path), its length budget,
    and where it stands in the YAML files. Strings still identical to the English are left
    untranslated."""
    from .i18n import po, xliff
    from .i18n.budget import budgets
    from .i18n.catalog import EXTENSIONS, Meta, units
    from .i18n.strings import read_language_file, source_strings
    from .project import Project

    with reporting():
        project = Project(project_dir)
        names = _translated_languages(project, langs)
        chosen = _i18n_layouts(project, layouts)
        sources = source_strings(project)
        limits = budgets(project, chosen)
        date = _export_date()
        files: dict[str, bytes] = {}
        counts = []
        for lang in names:
            file = read_language_file(project, lang)
            entries = units(sources, file, limits, project.root)
            english = project.language_name(lang).rsplit("(", 1)[-1].rstrip(")")
            meta = Meta(lang, english, project.structure[0].id, f"data/lang/{lang}.yaml")
            data = po.write(entries, meta, date) if fmt == "po" else xliff.write(entries, meta)
            name = lang + EXTENSIONS["po" if fmt == "po" else "xliff"]
            files[name] = data
            todo = sum(u.state != "translated" for u in entries)
            counts.append(f"{name} ({len(entries)} strings, {todo} to translate or review)")
        write_atomically(out_dir, files)
        click.echo(f"wrote {', '.join(counts)} into {out_dir}", err=True)


@i18n.command("import")
@click.argument(
    "catalogs", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@project_option
@click.option(
    "--lang", "-l", default=None, metavar="CODE", help="The language to import into (default: the catalog's)."
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def i18n_import(catalogs: tuple[Path, ...], project_dir: Path, lang: str | None, dry_run: bool) -> None:
    """Write the translations of PO or XLIFF 1.2 files back into data/lang/LANG.yaml: only the
    strings that changed (comments, order and formatting kept), with the hash of the English
    each was translated from. Entries still untranslated or marked for review (fuzzy) are
    left alone. Nothing is written if any catalog has a problem (wrong placeholders, control
    characters, unknown keys: each reported at its line), or if the result would not be a
    valid language file. An import without edits changes no byte.
    """
    from .i18n.catalog import read_catalog
    from .i18n.importer import plan_import
    from .project import Project
    from .source import display_path

    with reporting():
        project = Project(project_dir)
        project.check()
        plans, problems = [], []
        for path in catalogs:
            try:
                plans.append((path, plan_import(project, read_catalog(path), lang)))
            except InfogenError as exc:
                problems += exc.diagnostics
        if problems:
            raise InfogenError(problems)
        targets = [plan.path for _, plan in plans]
        if len(set(targets)) != len(targets):
            raise InfogenError([Diagnostic("two catalogs are for the same language; import one at a time")])
        for path, plan in plans:
            shown = display_path(plan.path)
            for change in plan.changed:
                before = "(none)" if change.old is None else f"'{printable(change.old, 200)}'"
                click.echo(f"{shown}: {change.key}: {before} -> '{printable(change.new, 200)}'")
            for key in plan.confirmed:
                click.echo(f"{shown}: {key}: reviewed, up to date with the English")
            for key in plan.marked:
                click.echo(f"{shown}: {key}: meant to read as in English (same_as_source)")
            for entry in plan.review:
                click.echo(f"{path}:{entry.line}: {entry.key}: marked for review (fuzzy): not imported")
            for key in plan.older_english:
                click.echo(f"{shown}: {key}: translated from an older English: still stale")
            click.echo(
                f"{path} -> {shown}: {len(plan.changed)} changed, {len(plan.confirmed)} reviewed, "
                f"{len(plan.marked)} marked as English, {len(plan.review)} for review, "
                f"{plan.untranslated} untranslated"
                + ("" if plan.text is not None else "; nothing to write")
                + (" (dry run: nothing written)" if dry_run and plan.text is not None else ""),
                err=True,
            )
        files = {plan.path.name: plan.text.encode("utf-8") for _, plan in plans if plan.text is not None}
        if files and not dry_run:
            write_atomically(project.lang_dir, files)


@i18n.command("stamp")
@project_option
@click.option(
    "--lang", "-l", required=True, metavar="CODE", help="The language whose translations are up to date."
)
@click.argument("keys", nargs=-1)
def i18n_stamp(project_dir: Path, lang: str, keys: tuple[str, ...]) -> None:
    """Record that the translations of KEYS (or of every translated string) are up to date
    with the current English: writes their source hashes into data/lang/LANG.yaml, so
    `infogen i18n status` reports them stale only when the English changes again. For a
    reviewer who checked them in the YAML itself, and for files translated before infogen
    kept hashes."""
    from .i18n.importer import english_template
    from .i18n.status import stamp_hashes
    from .i18n.strings import read_language_file, source_strings
    from .i18n.yamledit import Edits, apply_edits
    from .project import Project
    from .source import MAX_FILE_BYTES, read_regular_file

    with reporting():
        project = Project(project_dir)
        [lang] = _translated_languages(project, lang)
        sources = source_strings(project)
        unknown = [k for k in keys if k not in {s.key for s in sources}]
        if unknown:
            raise InfogenError(
                [
                    Diagnostic(f"'{printable(k, 80)}' is not a string of the English", key_path=k)
                    for k in unknown
                ]
            )
        file = read_language_file(project, lang)
        hashes = stamp_hashes(sources, file, keys)
        if hashes:
            raw = read_regular_file(file.path, MAX_FILE_BYTES, project.roots).decode("utf-8")
            text = apply_edits(raw, file.shown, Edits(hashes=hashes), english_template(project, sources))
            write_atomically(project.lang_dir, {file.path.name: text.encode("utf-8")})
        click.echo(f"{file.shown}: {_count(len(hashes), 'source hash', 'source hashes')} recorded", err=True)


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


STARTER = ("data", "layouts", "schemas", "fonts/README.md", "profiles/README.md")


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
                raise write_error(f"cannot write the project: {exc.strerror}", directory) from None
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
