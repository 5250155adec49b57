"""Icon path data: one parser checks it and draws it (model/pathdata.py). fontTools' SVG
path parser, which drawing used before, is the oracle: the same segments for every shipped
icon and for paths of every command, relative and absolute."""

from __future__ import annotations

import math

import pytest
import yaml
from fontTools.pens.recordingPen import RecordingPen
from fontTools.svgLib.path import parse_path as fonttools_parse_path
from hypothesis import given, settings
from hypothesis import strategies as st

from infogen.model.pathdata import parse_path, path_problem

from conftest import ROOT


def oracle(d: str) -> list[tuple[str, tuple[float, ...]]]:
    """fontTools' reading of `d`, in pathdata's terms (its quadratics made cubic)."""
    pen = RecordingPen()
    fonttools_parse_path(d, pen)
    out: list[tuple[str, tuple[float, ...]]] = []
    current = (0.0, 0.0)
    for op, args in pen.value:
        if op in ("moveTo", "lineTo"):
            current = tuple(args[0])
            out.append(("M" if op == "moveTo" else "L", current))
        elif op == "curveTo":
            for i in range(0, len(args), 3):
                out.append(("C", (*args[i], *args[i + 1], *args[i + 2])))
            current = tuple(args[-1])
        elif op == "qCurveTo":
            (qx, qy), (x, y) = args  # SVG quadratics come one control point at a time
            c1 = (current[0] + 2 / 3 * (qx - current[0]), current[1] + 2 / 3 * (qy - current[1]))
            c2 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
            out.append(("C", (*c1, *c2, x, y)))
            current = (x, y)
        elif op == "closePath":
            out.append(("Z", ()))
    return out


def assert_same(d: str, tolerance: float = 1e-6) -> None:
    ours, theirs = parse_path(d), oracle(d)
    assert [op for op, _ in ours] == [op for op, _ in theirs], d
    for (_, a), (_, b) in zip(ours, theirs, strict=True):
        assert a == pytest.approx(b, abs=tolerance), d


def shipped_paths() -> list[str]:
    icons = yaml.safe_load((ROOT / "data" / "icons.yaml").read_text())["icons"]
    return [d for icon in icons.values() for d in icon["paths"]]


@pytest.mark.parametrize("d", shipped_paths())
def test_every_shipped_icon_reads_as_fonttools_read_it(d):
    assert_same(d)


@pytest.mark.parametrize(
    "d",
    [
        "M0 0 h5 v5 h-5 z m2 2 l1 1",  # relative moves after a close start from the subpath's start
        "m1 1 2 2 3 3",  # a move's further pairs are lines (relative ones after m)
        "M1 1 c1 2 3 4 5 6 s 2 2 4 0 S 9 9 10 10",  # smooth cubics reflect the last control
        "M1 1 q 3 4 5 0 t 5 0 T 20 4",  # smooth quadratics too
        "M1 1 L2 2 S 4 4 5 5",  # S after a line: its first control is the current point
        "M0 0 a5 3 30 1 0 10 4",
        "M0 0 A5 5 0 0 1 10 0 A5 5 0 1 1 0 0",
        "M3 3 A 4 2 -45 0 0 9 7 Z",
        "M0 0 A1 1 0 0 1 10 0",  # radii too small for the endpoints: scaled up
        "M0 0 L1 1 Z L 3 3 Z Z",  # drawing after Z starts a subpath at its start; Z Z is one Z
    ],
)
def test_every_command_reads_as_fonttools_read_it(d):
    assert_same(d)


number = st.integers(-40, 40).map(lambda n: n / 2)
flag = st.sampled_from([0, 1])
positive = st.integers(1, 40).map(lambda n: n / 2)  # (fontTools draws no arc of radius 0)
command = st.one_of(
    st.tuples(st.sampled_from("MmLlTt"), number, number),
    st.tuples(st.sampled_from("HhVv"), number),
    st.tuples(st.sampled_from("CcSsQq"), *[number] * 4).map(
        lambda t: t if t[0] in "SsQq" else (*t, 1.0, 2.0)
    ),
    st.tuples(st.sampled_from("Aa"), positive, positive, number, flag, flag, number, number),
    st.just(("Z",)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(command, min_size=1, max_size=8), number, number)
def test_random_paths_read_as_fonttools_read_them(commands, x, y):
    d = f"M{x} {y} " + " ".join(" ".join(str(part) for part in c) for c in commands)
    assert_same(d, tolerance=1e-5)  # fontTools' arcs are within ~1e-7 of the exact ones


def test_an_arc_with_a_zero_radius_is_a_line_as_svg_says():
    # (fontTools draws nothing; SVG 1.1 F.6.2 says a straight line joins the endpoints.)
    assert parse_path("M0 0 A0 4 0 0 1 10 0") == (("M", (0.0, 0.0)), ("L", (10.0, 0.0)))
    assert parse_path("M2 2 A3 3 0 0 1 2 2") == (("M", (2.0, 2.0)),)  # no arc at all


def test_arcs_end_exactly_where_asked_and_stay_on_their_ellipse():
    segments = parse_path("M0 0 A10 5 0 1 1 4 3")
    assert segments[-1][1][-2:] == (4.0, 3.0)
    assert len(segments) - 1 <= 4  # at most a quarter turn per curve
    # A circle through (0,0) and (10,0) of radius 5: every curve's end on it.
    for _, n in parse_path("M0 0 A5 5 0 1 1 10 0")[1:]:
        assert math.hypot(n[4] - 5, n[5]) == pytest.approx(5)


@pytest.mark.parametrize(
    ("d", "problem"),
    [
        ("", "the path is empty"),
        ("L1 1", "a path starts with a move (M)"),
        ("M1 1 X2", "unknown command 'X'"),
        ("M1 1 L2", "'L' takes 2 numbers (or a multiple), got 1"),
        ("M1 1 Z 3", "'Z' takes no numbers, got 1"),
        ("M1 1 A1 1 0 2 0 4 4", "the large-arc and sweep flags are 0 or 1"),
        ("M1 1 L1e9 0", "out of range"),
        ("M1 1 L#", "unexpected '#'"),
    ],
)
def test_bad_path_data_is_named(d, problem):
    assert problem in (path_problem(d) or "")
    assert path_problem("M1 1 L2 2 Z") is None


def test_arc_flags_may_be_written_without_spaces_as_svg_allows():
    # "0110 0": the large-arc flag 0, the sweep flag 1, then x = 10 (minifiers write this).
    assert parse_path("M0 0 a5 5 0 0110 0") == parse_path("M0 0 a5 5 0 0 1 10 0")
    assert parse_path("M0 0 A5,5,0,1,1,10,0") == parse_path("M0 0 A5 5 0 1 1 10 0")
    assert_same("M0 0 a5 5 0 0110 0 5 5 0 1 0 3 3")
    assert "flags are 0 or 1" in (path_problem("M0 0 a5 5 0 2 1 10 0") or "")


def test_vanishing_arcs_are_named_or_drawn_never_a_crash():
    assert path_problem("M0 0A1 1 0 0 0 1e-200 0") is None  # endpoints all but equal: no arc
    assert parse_path("M0 0A1e-200 1 0 0 1 10 0")[-1] == ("L", (10.0, 0.0))  # no radius: a line
