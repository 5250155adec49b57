"""Line-breaking rules per language, on small fixed examples with expected results by hand."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from infogen.api import Renderer
from infogen.project import Project
from infogen.text.bidi import visual_order
from infogen.text.segment import Hyphenation, cjk_clusters, hyphenate, segments

from conftest import ROOT
from scene_tools import groups

RULES = Hyphenation(min_word=7, min_before=2, min_after=3)


def test_hyphenation_points_follow_the_language():
    assert hyphenate("Technologiekompetenz", "de", RULES) == ["Tech", "no", "lo", "gie", "kom", "pe", "tenz"]
    assert hyphenate("infrastructure", "en", RULES) == ["in", "fra", "struc", "ture"]
    assert hyphenate("dienstverlening", "nl", RULES) == ["dienst", "ver", "le", "ning"]


def test_short_words_and_unknown_languages_are_never_hyphenated():
    assert hyphenate("Daten", "de", RULES) == ["Daten"]  # shorter than min_word
    assert hyphenate("Datenbank", "de", None) == ["Datenbank"]  # layout says no
    assert hyphenate("المعلومات", "ar", RULES) == ["المعلومات"]  # no patterns: no guessing


def test_minimum_fragments_are_kept():
    parts = hyphenate("Informationsaustausch", "de", RULES)
    assert len(parts[0]) >= 2 and len(parts[-1]) >= 3 and "".join(parts) == "Informationsaustausch"


def test_french_elision_hyphenates_after_the_apostrophe():
    assert hyphenate("d’approvisionnement", "fr", RULES)[0] == "d’ap"


def test_hyphenation_points_break_with_a_hyphen_and_a_cost():
    segs = segments("Kapazitätsaufbau jetzt", "de", RULES)
    assert [s.text for s in segs] == ["Ka", "pa", "zi", "täts", "auf", "bau", "jetzt"]
    assert all(s.hyphen and s.penalty > 0 for s in segs[:5]) and segs[5].space_after and not segs[5].hyphen


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation():
    assert cjk_clusters("「新しい技術」を、活用する。") == [
        "「新",
        "し",
        "い",
        "技",
        "術」",
        "を、",
        "活",
        "用",
        "す",
        "る。",
    ]


def test_cjk_keeps_latin_words_and_numbers_whole():
    assert cjk_clusters("生成AIの2024年") == ["生", "成", "AI", "の", "2024", "年"]


def test_katakana_loanwords_stay_whole():
    assert cjk_clusters("仮想サービスの設計") == ["仮", "想", "サービス", "の", "設", "計"]


def test_small_kana_and_long_vowel_marks_never_start_a_line():
    clusters = cjk_clusters("データガバナンス")
    assert all(c[0] not in "ーャュョッ" for c in clusters)


def test_bidi_puts_numbers_and_latin_in_place_in_arabic():
    # Logical: "عام" " " "2024" " " "(AI)" " " "جديد"  -> visual, left to right.
    items = ["عام", " ", "2024", " ", "(AI)", " ", "جديد"]
    order = visual_order(items, rtl=True)
    assert [items[i] for i in order] == ["جديد", " ", "(AI)", " ", "2024", " ", "عام"]


def test_bidi_leaves_left_to_right_text_alone():
    items = ["Digital", " ", "trends", " ", "2024"]
    assert visual_order(items, rtl=False) == [0, 1, 2, 3, 4]


def test_bidi_keeps_an_english_phrase_in_reading_order_inside_arabic():
    items = ["قال", " ", "Major", " ", "Cities", " ", "اليوم"]
    order = visual_order(items, rtl=True)
    assert [items[i] for i in order] == ["اليوم", " ", "Major", " ", "Cities", " ", "قال"]


def test_a_new_language_from_one_file_renders_without_code_changes(project_copy):
    """A translator adds Spanish — not shipped — by copying en.yaml. Nothing else."""
    en = yaml.safe_load((project_copy / "data" / "lang" / "en.yaml").read_text())
    en["language"].update(code="es", name="Español", english_name="Spanish")
    en["heading"] = "Tendencias digitales y tecnológicas del sector público 2024"
    en["groups"] = {"digital": "Digital", "technology": "Tecnología"}
    (project_copy / "data" / "lang" / "es.yaml").write_text(yaml.safe_dump(en, allow_unicode=True))
    renderer = Renderer(Project(project_copy))
    assert "es" in renderer.project.languages()
    artifacts = renderer.render("default", ["es"], ["pdf", "svg"])
    assert [a.filename for a in artifacts] == ["default-es.pdf", "default-es.svg"]
    scene = renderer.scene("default", "es")
    assert scene.lang == "es" and groups(scene, "heading")[0].label.startswith("Tendencias digitales")


def test_right_to_left_pages_mirror_layout_and_directional_icons_only():
    from infogen.scene import Path, walk

    from scene_tools import groups, panel_rect

    renderer = Renderer(Project(ROOT))
    ltr, rtl = renderer.scene("default", "en"), renderer.scene("default", "ar")
    width = ltr.pages[0].width

    def figure(scene, theme):  # type: ignore[no-untyped-def]
        panel = next(p for p in groups(scene, "panel") if p.id == theme)
        return next(g for g in panel.items if g.role == "figure"), panel_rect(panel)

    def xs(group):  # type: ignore[no-untyped-def]
        return [
            c.x for item in walk(group) if isinstance(item, Path) and item.stroke for c in item.commands[:1]
        ]

    for theme, directional in (("reimagining-services", True), ("cyber-protection", False)):
        (f_ltr, r_ltr), (f_rtl, r_rtl) = figure(ltr, theme), figure(rtl, theme)
        assert r_rtl.x == pytest.approx(width - r_ltr.right, abs=0.01)  # the panel mirrors
        # Relative to the badge, a directional icon's strokes start mirrored; others do not.
        start_ltr = xs(f_ltr)[0] - r_ltr.x
        start_rtl = xs(f_rtl)[0] - r_rtl.x
        badge_ltr = path_x(f_ltr) - r_ltr.x
        badge_rtl = path_x(f_rtl) - r_rtl.x
        offset_ltr, offset_rtl = start_ltr - badge_ltr, start_rtl - badge_rtl
        if directional:
            assert offset_rtl != pytest.approx(offset_ltr, abs=0.01)
        else:
            assert offset_rtl == pytest.approx(offset_ltr, abs=0.01)


def path_x(group):  # type: ignore[no-untyped-def]
    """Left edge of the figure's badge (its first, filled path)."""
    from scene_tools import path_bounds

    return path_bounds(group.items[0]).x


def set_in(text: str, lang: str, width: float, size: float = 22, bind_short: bool = False):  # type: ignore[no-untyped-def]
    from infogen.text.fonts import FontLibrary
    from infogen.text.paragraph import set_paragraph

    library = FontLibrary(ROOT / "fonts")
    if lang == "ja":
        font = library.find("BIZ UDPGothic", 700)
    else:
        font = library.find("Source Sans Pro", 700)
    return set_paragraph(text, (font,), size, 1.1, width, lang, "ltr", False, RULES, bind_short)


def line_texts(paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    return ["".join(r.text for r in line.runs) for line in paragraph.lines]


def test_a_title_is_not_hyphenated_when_whole_words_fit_in_as_many_lines():
    # Two lines either way: "Veerkrach-|tige gemeenschappen" would fill better, but hyphens
    # are a last resort.
    title = set_in("Veerkrachtige gemeenschappen", "nl", 200)
    assert line_texts(title) == ["Veerkrachtige", "gemeenschappen"] and title.hyphens == 0


def test_hyphenation_is_used_where_it_saves_a_line_or_a_word_would_not_fit():
    narrow = set_in("Gemeenschappen", "nl", 90)  # wider than the line: hyphenated
    assert narrow.hyphens >= 1 and line_texts(narrow)[0].endswith("\u00ad")


def test_japanese_breaks_between_phrases_not_inside_words():
    # BudouX: 地域社会の|レジリエンスを|高める|ための|取り組み
    phrases = ["地域社会の", "レジリエンスを", "高める", "ための", "取り組み"]
    ends = {sum(len(p) for p in phrases[:i]) for i in range(1, len(phrases) + 1)}
    for width in (150, 230, 300):
        lines = line_texts(set_in("".join(phrases), "ja", width))
        assert len(lines) > 1
        assert all(sum(len(line) for line in lines[: i + 1]) in ends for i in range(len(lines))), lines


def test_a_japanese_phrase_wider_than_the_line_breaks_inside_it_by_the_kinsoku_rules():
    paragraph = set_in("コンプライアンスの基盤", "ja", 120)
    lines = line_texts(paragraph)
    assert "".join(lines) == "コンプライアンスの基盤" and len(lines) >= 2
    assert all(line[0] not in "ーャュョッァィゥェォ" for line in lines)  # kinsoku


def test_a_line_initial_opening_bracket_loses_its_blank_side():
    paragraph = set_in("「クラウド」との新たな関係", "ja", 1000)
    first = paragraph.lines[0].runs[0]
    assert first.x < 0  # drawn left by the bracket's blank, so its ink starts the line
    font = first.font
    lead = font.side_bearings(first.glyphs[0].id)[0] * 22 / font.units_per_em
    assert first.x == pytest.approx(-lead, abs=0.01)


def test_french_heading_does_not_end_a_line_on_et():
    heading = set_in("Tendances numériques et technologiques du secteur public 2024", "fr", 560, 42, True)
    assert all(not line.rstrip().endswith((" et", " du")) for line in line_texts(heading)[:-1])


def test_an_english_title_in_a_narrow_column_breaks_between_words():
    # Two panel columns: "Reimagin-|ing services" would fill better; whole words fit in two lines.
    title = set_in("Reimagining services", "en", 130)
    assert line_texts(title) == ["Reimagining", "services"] and title.hyphens == 0


def test_the_fit_takes_a_slightly_smaller_size_to_do_without_hyphens_only_within_the_tolerance():
    from dataclasses import dataclass

    from infogen.layout.fit import unhyphenated

    @dataclass
    class Text:  # what unhyphenated() reads of a set panel
        scale: float
        hyphens: int

    @dataclass
    class Fit:
        unhyphenated_within: float

    @dataclass
    class Grid:
        fit: Fit

    scales = [1.0, 0.95, 0.9, 0.85]  # of a 20pt nominal size: 20, 19, 18, 17pt
    hyphenated_above = {1.0: 1, 0.95: 1, 0.9: 0, 0.85: 0}

    def set_all(scale: float) -> list[Text]:
        return [Text(scale, hyphenated_above[scale])]

    def fits(scale: float) -> bool:
        return True

    within_2pt = unhyphenated(Grid(Fit(2.0)), scales, 0, fits, set_all, 20.0)  # type: ignore[arg-type]
    within_1pt = unhyphenated(Grid(Fit(1.0)), scales, 0, fits, set_all, 20.0)  # type: ignore[arg-type]
    assert within_2pt[0].scale == 0.9 and within_1pt[0].scale == 1.0


@pytest.mark.parametrize("lang", ["en", "nl", "de", "fr"])
def test_lazily_read_patterns_break_every_word_as_pyphen_does(lang):
    """patterns.py parses a pattern on first use; the breaks must be pyphen's own."""
    import re

    import pyphen

    from infogen.text.patterns import LazyHyphDict

    path = Path(pyphen.LANGUAGES[pyphen.language_fallback(lang)])
    lazy, full = LazyHyphDict(path), pyphen.HyphDict(path)
    words = {
        w for f in (ROOT / "data" / "lang").glob("*.yaml") for w in re.findall(r"[^\W\d_]+", f.read_text())
    }
    words |= {
        "Informationsaustausch",
        "Verantwortungsbewusstsein",
        "lettergrepen",
        "hyphenation",
        "anticonstitutionnellement",
    }
    assert len(words) > 1000
    assert {w: list(lazy.positions(w)) for w in words} == {w: list(full.positions(w)) for w in words}


FULLNESS = st.one_of(
    st.floats(0.01, 100),
    st.sampled_from([None, 0.0, -1.0, 1e-300, 1e300, math.inf, math.nan]),
)


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), FULLNESS)))
def test_the_fit_search_finds_the_largest_fitting_size_whatever_the_fullness(case):
    """first_fitting tries the designed size first, then where the fullness points: for
    any monotone fit (sizes from `answer` on fit) and any fullness, right or wildly
    wrong, it returns the first fitting index, trying each at most once, and no more
    often than bisection plus three tries — with no fullness, or none that makes sense."""
    from infogen.layout.fit import first_fitting

    n, answer, fullness = case
    scales = [1.0 - 0.02 * i for i in range(n)]
    tried: list[float] = []

    def probe(scale: float) -> tuple[bool, float | None]:
        tried.append(scale)
        return scales.index(scale) >= answer, fullness

    assert first_fitting(scales, probe) == (answer if answer < n else None)
    assert len(tried) == len(set(tried))
    assert len(tried) <= math.ceil(math.log2(n + 1)) + 3


def test_a_page_that_fits_as_designed_takes_one_try():
    from infogen.layout.fit import first_fitting

    scales = [1.0 - 0.02 * i for i in range(25)]
    tried: list[float] = []

    def probe(scale: float) -> tuple[bool, float]:
        tried.append(scale)
        return True, 0.5 * scale**2

    assert first_fitting(scales, probe) == 0 and tried == [1.0]


@given(
    st.sampled_from([7, 16, 25, 41]),
    st.floats(0.0, 1.0),
    st.floats(1.0, 2.5),
    st.booleans(),
)
def test_where_fullness_grows_as_a_power_of_the_size_the_fit_search_beats_bisection(n, where, k, row_limit):
    """A page's fullness grows about as a power of the text size: there the guesses land
    next to the boundary, and five tries settle it (bisection alone takes five or six for
    the 25 and 41 sizes of real grids). Where panels give up at their row's height (rows
    of equal height, per-panel fitting) an overflowing try measures nothing: then at most
    one try more than bisection."""
    from infogen.layout.fit import first_fitting

    scales = [1.0 - 0.4 / (n - 1) * i for i in range(n)]
    boundary = scales[-1] * 0.9 + where * (
        scales[0] * 1.2 - scales[-1] * 0.9
    )  # the scale at which fullness is 1
    tried: list[float] = []

    def probe(scale: float) -> tuple[bool, float | None]:
        tried.append(scale)
        full = (scale / boundary) ** k
        return full <= 1, None if row_limit and full > 1 else full

    answer = next((i for i, s in enumerate(scales) if (s / boundary) ** k <= 1), None)
    assert first_fitting(scales, probe) == answer
    assert len(tried) <= (math.ceil(math.log2(n + 1)) + 1 if row_limit else 5)


def test_the_pattern_index_of_every_dictionary_is_pyphens_own(tmp_path):
    """index_patterns finds the plain lines' letters and shapes for the whole text at once,
    and a shape is parsed on first use; for all of pyphen's dictionaries, and for the
    special lines (comments, settings, blank space, ^^hh codes, alternatives, letters
    given twice), the patterns must be exactly those pyphen's HyphDict parses."""
    import pyphen

    from infogen.text.patterns import LazyHyphDict

    def parsed(path: Path) -> tuple[dict[str, object], int]:
        lazy = LazyHyphDict(path)
        return {key: lazy.patterns.get(key) for key in lazy.patterns}, lazy.maxlen

    paths = sorted({Path(p) for p in pyphen.LANGUAGES.values()})
    assert len(paths) > 40
    for path in paths:
        full = pyphen.HyphDict(path)
        assert parsed(path) == (full.patterns, full.maxlen), path.name
    special = tmp_path / "hyph_xx.dic"
    special.write_text(
        "ISO8859-1\n% comment\n 1a2b \n^^e9t1\nab1c/a=b,1,2\nLEFTHYPHENMIN 2\n\nab3c\nab1c\na0b0\n"
        "\u00e41b\t\nx1y\nx0y\n",
        encoding="latin-1",
    )
    full = pyphen.HyphDict(special)
    assert parsed(special) == (full.patterns, full.maxlen)
    assert full.patterns["abc"] == (2, (1,)) and "ab" in full.patterns and "xy" in full.patterns


def test_a_latin_word_in_brackets_or_quotes_keeps_them_on_its_own_sides_in_arabic():
    """The bracket before a Latin word in an Arabic line resolves right to left under UBA,
    but the word and its bracket are one shaped item: it is ordered by its letters."""
    items = ["حماية", " ", "من", " ", "(Cross-", "boundary)", " ", "التهديدات", " ", "«e-", "Government»"]
    shown = [items[i] for i in visual_order(items, True)]
    assert shown == [
        "«e-",
        "Government»",
        " ",
        "التهديدات",
        " ",
        "(Cross-",
        "boundary)",
        " ",
        "من",
        " ",
        "حماية",
    ]


def test_shaped_glyphs_carry_harfbuzzs_own_advances_and_offsets(renderer):
    """shape() reads each glyph's four numbers from GlyphPosition.position in one call:
    they must be HarfBuzz's x_advance, x_offset and y_offset (kerning, and Arabic marks'
    offsets), whatever order that tuple has."""
    import uharfbuzz as hb

    from infogen.text.shaping import FEATURES, shape

    checked = 0
    for family, text, lang, direction in [
        ("Source Sans Pro", "AVATAR Tw", "en", "ltr"),
        ("Noto Sans Arabic", "الرَّقْمِيَّة", "ar", "rtl"),
    ]:
        font = renderer.library.find(family, 400)
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.language, buf.direction = lang, direction
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(font.hb_font, buf, FEATURES)
        expected = [
            (i.codepoint, p.x_advance, p.x_offset, p.y_offset)
            for i, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
        ]
        shaped = shape(font, text, lang, direction)
        assert [tuple(g) for g in shaped.glyphs] == expected
        assert shaped.advance == sum(g[1] for g in expected)
        checked += any(g[2] or g[3] for g in expected)  # offsets that are not zero were compared
    assert checked  # the Arabic marks sit on offsets


@given(
    st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=30),
    st.sampled_from(["ltr", "rtl"]),
)
def test_itemizing_ascii_in_one_step_gives_what_the_character_loop_gives(text, direction):
    """Shaper.itemize takes ASCII text the first font covers in one step (most of a Latin
    page): the same runs, font and direction as the character-by-character loop."""
    from infogen.text.paragraph import Shaper

    shaper = Shaper(latin_and_arabic(), "en", direction)
    assert shaper.itemize(text) == shaper._itemize_each(text)


@functools.cache
def latin_and_arabic() -> tuple:
    library = Renderer(Project(ROOT)).library
    return library.find("Source Sans Pro", 400), library.find("Noto Sans Arabic", 400)


def test_the_fit_search_bisects_after_a_try_that_measured_nothing():
    """Rows of equal height: a panel gives up at the row's height, so an overflowing try
    has no fullness. Guessing from the fitting tries alone would step down one size at a
    time (0, 12, 2, 3, 4, 8, 6, 5 here); bisecting after such a try keeps to
    bisection's count and one more."""
    from infogen.layout.fit import first_fitting

    scales = [1.0 - 0.025 * i for i in range(25)]
    boundary = (scales[4] + scales[5]) / 2  # sizes from index 5 on fit
    tried: list[int] = []

    def probe(scale: float) -> tuple[bool, float | None]:
        tried.append(scales.index(scale))
        full = (scale / boundary) ** 2
        return full <= 1, None if full > 1 else full

    assert first_fitting(scales, probe) == 5
    assert len(tried) <= math.ceil(math.log2(26)) + 1, tried


def test_a_fullness_out_of_range_does_not_break_the_fit_search():
    from infogen.layout.fit import first_fitting

    scales = [1.0 - 0.05 * i for i in range(8)]
    for fullness_at in (
        lambda i: 2.0 if i == 0 else math.inf,  # inf beside a finite one: log(2 / inf)
        lambda i: 1e-200 if i else 0.5,
        lambda i: 1e300,
    ):

        def probe(scale: float, fullness_at=fullness_at) -> tuple[bool, float]:  # type: ignore[no-untyped-def]
            i = scales.index(scale)
            return i >= 6, fullness_at(i)

        assert first_fitting(scales, probe) == 6


@pytest.mark.parametrize("lang", ["nl", "de_DE", "en_GB", "fr", "hu_HU"])
def test_the_hyphenation_points_of_every_word_are_pyphens_own(lang):
    """With the lazily parsed index, for every word of the shipped language files (and
    words with nonstandard breaks, as Hungarian has), the points and their data are those
    of pyphen's own HyphDict."""
    import re

    import pyphen

    from infogen.text.patterns import LazyHyphDict

    path = Path(pyphen.LANGUAGES[lang])
    ours, theirs = LazyHyphDict(path), pyphen.HyphDict(path)
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "lang").glob("*.yaml")))
    words = set(re.findall(r"[^\W\d_]{2,}", text)) | {"asszonnyal", "Schifffahrt", "Bettuch", "hyphenation"}
    assert len(words) > 500
    for word in sorted(words):
        got, expected = ours.positions(word), theirs.positions(word)
        assert got == expected and [p.data for p in got] == [p.data for p in expected], word
