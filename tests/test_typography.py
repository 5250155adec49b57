"""Line breaking as a typographer would, on every line of every shipped layout and language.

The rules are properties of the lines the layout set, checked without pixels: hyphenation
only where it saves a line (or a word would not fit), never on two lines in a row,
never in headings and titles; Japanese breaks between phrases; no heading or title line
ends on a short word; no line starts with a hyphen or a separator.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from infogen.api import Renderer
from infogen.layout.typeset import Typesetter
from infogen.project import Project
from infogen.scene import GlyphRun, Group, Scene, walk
from infogen.text.paragraph import ParagraphOverflow, SetParagraph, set_paragraph
from infogen.text.segment import _phrase_parser

from conftest import LANGUAGES, ROOT

LAYOUTS = Project(ROOT).layouts()
SOFT_HYPHEN = "\u00ad"
TEXT_ROLES = ("heading", "paragraph", "list-item")


@dataclass(frozen=True)
class Set:
    """One paragraph as the layout set it: what it was given and what came out."""

    text: str
    style: str
    width: float
    scale: float
    result: SetParagraph


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str], tuple[Scene, list[Set], Typesetter | None]]:
    """Every layout × language, with every paragraph the typesetter set on the way."""
    renderer = Renderer(Project(ROOT))
    original = Typesetter.set
    found: dict[tuple[str, str], tuple[Scene, list[Set], Typesetter | None]] = {}
    for layout in LAYOUTS:
        for lang in LANGUAGES:
            recorded: list[Set] = []
            typesetters: list[Typesetter] = []

            def recording(
                self, text, style_name, width, scale=1.0, key="", recorded=recorded, ts=typesetters
            ):  # type: ignore[no-untyped-def]
                result = original(self, text, style_name, width, scale, key)
                recorded.append(Set(text, style_name, width, scale, result))
                ts[:] = [self]
                return result

            Typesetter.set = recording  # type: ignore[method-assign]
            try:
                scene = renderer.scene(layout, lang)
            finally:
                Typesetter.set = original  # type: ignore[method-assign]
            found[(layout, lang)] = (scene, recorded, typesetters[0] if typesetters else None)
    return found


def text_groups(scene: Scene) -> list[Group]:
    return [
        g
        for top in scene.pages[0].items
        for g in walk(top)
        if isinstance(g, Group) and g.role in TEXT_ROLES and any(isinstance(i, GlyphRun) for i in g.items)
    ]


def lines_of(group: Group) -> list[str]:
    """The group's lines, in order: its runs by baseline, each line's text in reading order."""
    by_y: dict[float, list[GlyphRun]] = {}
    for run in (i for i in group.items if isinstance(i, GlyphRun)):
        by_y.setdefault(round(run.y, 2), []).append(run)
    return ["".join(r.text for r in by_y[y]) for y in sorted(by_y)]


CASES = [(layout, lang) for layout in LAYOUTS for lang in LANGUAGES]


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_no_two_hyphenated_lines_in_a_row_and_none_in_headings(pages, layout, lang):
    scene, _, _ = pages[(layout, lang)]
    for group in text_groups(scene):
        lines = lines_of(group)
        ends = [line.endswith(SOFT_HYPHEN) for line in lines]
        assert not any(a and b for a, b in zip(ends, ends[1:], strict=False)), lines
        if group.role == "heading":  # page heading, group labels, panel titles
            assert not any(ends), lines


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_no_line_starts_with_a_hyphen_or_a_separator(pages, layout, lang):
    scene, _, _ = pages[(layout, lang)]
    for group in text_groups(scene):
        for line in lines_of(group)[1:]:
            assert not line.lstrip().startswith(("-", "·", "•")), (group.label, line)


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_hyphenation_only_where_it_saves_a_line(pages, layout, lang):
    """Every hyphenated paragraph, set again without hyphenation in the same width and
    size, needs more lines (or does not fit at all)."""
    _, recorded, ts = pages[(layout, lang)]
    hyphenated = [s for s in recorded if s.result.hyphens]
    for s in hyphenated:
        assert ts is not None
        style = ts.layout.styles[s.style]
        plain = set_paragraph(
            s.text, ts.fonts[style.font], style.size * s.scale, style.leading, s.width, ts.lang,
            ts.direction, style.balance, None, style.bind_short_words,
        )  # fmt: skip
        assert isinstance(plain, ParagraphOverflow) or len(plain.lines) > len(s.result.lines), s.text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_japanese_breaks_between_phrases(pages, layout):
    """A Japanese line ends where a phrase ends, unless that phrase alone is wider than the line."""
    _, recorded, ts = pages[(layout, "ja")]
    parser = _phrase_parser("ja", "ja")
    checked = 0
    for s in recorded:
        lines = s.result.lines
        if len(lines) < 2:
            continue
        phrases: list[tuple[int, int]] = []  # (start, end) offsets of every phrase
        at = 0
        for token in s.text.split(" "):
            for phrase in parser.parse(token):
                phrases.append((at, at + len(phrase)))
                at += len(phrase)
            at += 1  # the space
        offset = 0
        for line in lines[:-1]:
            offset += len("".join(run.text for run in line.runs).replace(SOFT_HYPHEN, ""))
            inside = [(a, b) for a, b in phrases if a < offset < b]
            for a, b in inside:  # a break inside a phrase: only if the phrase cannot fit a line
                style = ts.layout.styles[s.style]
                alone = set_paragraph(
                    s.text[a:b], ts.fonts[style.font], style.size * s.scale, style.leading, 1e6, "ja"
                )
                assert isinstance(alone, SetParagraph) and alone.lines[0].width > s.width, (
                    s.text,
                    s.text[a:b],
                )
            while offset < len(s.text) and s.text[offset] == " ":
                offset += 1
            checked += 1
    assert checked >= 1


def short_word_ending_avoidable(p: SetParagraph, width: float) -> bool:
    """Whether another breaking of as many lines fits with no line ending on a short word."""
    segs = p._segments
    widths = [sum(item.width(p.size) for item in shaped) for shaped in p._shaped]
    space = sum(item.width(p.size) for item in p._space)

    def fits(a: int, b: int) -> bool:
        return sum(widths[a:b]) + space * sum(segs[i].space_after for i in range(a, b - 1)) <= width + 1e-6

    def search(start: int, lines_left: int) -> bool:
        if lines_left == 1:
            return fits(start, len(segs))
        return any(
            fits(start, end) and not segs[end - 1].short and search(end, lines_left - 1)
            for end in range(start + 1, len(segs))
        )

    return search(0, len(p._breaks))


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_no_heading_or_title_line_ends_on_a_short_word_that_could_move(pages, layout, lang):
    _, recorded, ts = pages[(layout, lang)]
    assert ts is not None
    checked = 0
    for s in recorded:
        if not ts.layout.styles[s.style].bind_short_words or len(s.result.lines) < 2:
            continue
        ends_short = any(s.result._segments[end - 1].short for _, end in s.result._breaks[:-1])
        assert not (ends_short and short_word_ending_avoidable(s.result, s.width)), s.text
        checked += 1
    assert checked >= 1
