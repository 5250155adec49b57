"""The fit report: how each layout × language's panel text was fitted, for people
(a compact table after every render) and for programs (`--report FILE`, JSON).

Shrinking is the one decision infogen makes on its own; the report makes it visible —
the size the text got against the designed size, how full the fullest panel is, and
which panel and string kept the text from being larger (the one to shorten first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

REPORT_FORMAT = 1


def fit_rows(results: Sequence[Any]) -> list[dict[str, Any]]:
    """One entry per layout × language that rendered (its formats share one Scene), with
    its grids' fit entries (`batch.fit_entry`) and its warnings."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for result in results:
        key = (result.job.layout, result.job.lang)
        if not result.ok or key in rows:
            continue
        rows[key] = fit_row(
            result.job.layout, result.job.lang, result.options.get("orientation"), result.fit, result.warnings
        )
    return list(rows.values())


def fit_row(
    layout: str,
    lang: str,
    orientation: str | None,
    grids: Sequence[dict[str, Any]],
    warnings: Sequence[Any],
    as_designed: bool | None = None,
) -> dict[str, Any]:
    """One layout × language of the report (render's and validate's alike); `as_designed`
    (validate only) says whether it is the layout's own orientation."""
    row: dict[str, Any] = {"layout": layout, "lang": lang, "orientation": orientation}
    if as_designed is not None:
        row["as_designed"] = as_designed
    return row | {"grids": list(grids), "warnings": [w.format() for w in warnings]}


def fit_report(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The JSON document `--report FILE` writes (format documented in the README)."""
    return {"format": REPORT_FORMAT, "fits": list(rows)}


def fit_table(rows: Sequence[dict[str, Any]]) -> str:
    """The report as a table for a terminal, one line per grid."""
    lines = []
    for row in rows:
        for grid in row["grids"]:
            got = grid["smallest_size"]
            size = f"{got:g}pt" if grid["largest_size"] == got else f"{got:g}-{grid['largest_size']:g}pt"
            size += f" of {grid['designed_size']:g}pt"
            fullest = grid["fullest"]
            full = f"{100 * fullest['fullness']:.0f}% {fullest['panel']}" if fullest else "-"
            limit = grid["limited_by"]
            why = "not shrunk"
            if limit:
                why = f"{limit['string']}"
                if limit["location"]:
                    why += f" ({limit['location']})"
            label = f"{row['layout']}/{row['lang']}"
            if not row.get("as_designed", True):  # validate's other orientation
                label += f" ({row['orientation']})"
            lines.append((label, grid["grid"], size, full, why))
    if not lines:
        return ""
    header = ("fit", "grid", "text size", "fullest panel", "limited by")
    widths = [max(len(line[i]) for line in (header, *lines)) for i in range(4)]

    def show(line: tuple[str, ...]) -> str:
        return (
            "  ".join(cell.ljust(width) for cell, width in zip(line[:4], widths, strict=True))
            + "  "
            + line[4]
        )

    return "\n".join(show(line).rstrip() for line in (header, *lines))
