"""The command-line tool: options, files on disk, terminal output and exit codes.

It is the only module that writes files. Everything is rendered in memory
first; files are then written to temporary names and renamed into place, so a
failed run leaves no partial file and does not touch earlier outputs.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
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


@main.command()
@click.option(
    "--lang",
    "-l",
    "langs",
    default="en",
    show_default=True,
    metavar="CODE[,CODE…]|all",
    help="Language(s) to render: a code from data/lang/, a comma-separated list, or 'all'.",
)
@click.option(
    "--layout",
    "layouts",
    default="default",
    show_default=True,
    metavar="NAME[,NAME…]|all",
    help="Layout(s): layouts/NAME.yaml, a comma-separated list, or 'all'.",
)
@click.option(
    "--format",
    "-f",
    "formats",
    default="all",
    show_default=True,
    metavar="FORMAT[,FORMAT…]|all",
    callback=lambda c, p, v: _choices(v, FORMAT_CHOICES, "format"),
    help="Output format(s): pdf, svg, png, a comma-separated list such as pdf,png, or 'all'.",
)
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
@click.option(
    "--allow-dir",
    "allow_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Let data and layout files name files in DIR, outside the project (repeatable).",
)
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
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
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
    quiet: bool,
    show_traceback: bool,
) -> None:
    """Render the infographic to OUT/LAYOUT-LANG.pdf, .svg and .png."""
    from .api import Renderer
    from .model.overrides import RenderOptions
    from .project import Project

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    with reporting(show_traceback):
        orientation: Literal["portrait", "landscape"] | None = None
        if landscape is not None:
            orientation = "landscape" if landscape else "portrait"
        options = RenderOptions(paper, orientation, bleed, crop_marks, colour, pdfx, dpi)
        renderer = Renderer(Project(project_dir, allow_dirs), options, "en" if fallback_to_english else None)
        languages = renderer.project.languages() if langs == "all" else _names(langs)
        if not languages:
            raise InfogenError(
                [Diagnostic("no language to render", hint="pass --lang CODE, a list such as en,nl, or all")]
            )
        names = renderer.project.layouts() if layouts == "all" else _names(layouts)
        if not names:
            raise InfogenError([Diagnostic("no layout to render", hint="pass --layout NAME, a list, or all")])
        artifacts = [a for name in names for a in renderer.render(name, languages, formats, progress=say)]
        written = write_atomically(out_dir, {a.filename: a.data for a in artifacts})
    for warning in renderer.warnings:
        click.echo(warning.format(), err=True)
    for path in written:
        say(f"wrote {path} ({path.stat().st_size / 1024:.0f} kB)")


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
