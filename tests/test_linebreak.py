"""The line breaker on plain numbers: fewest lines, even edges, no orphans, clear overflow."""

from infogen.text.linebreak import Overflow, Piece, break_lines


def words(*widths: float) -> list[Piece]:
    pieces = [Piece(w, True) for w in widths]
    pieces[-1] = Piece(widths[-1], False)
    return pieces


def test_everything_on_one_line_when_it_fits():
    assert break_lines(words(10, 10, 10), space=1, width=32) == [(0, 3)]


def test_fewest_lines_first():
    # 4 words of 10 with spaces of 1: two fit per line of 21.
    assert break_lines(words(10, 10, 10, 10), space=1, width=21) == [(0, 2), (2, 4)]


def test_a_lone_last_word_is_avoided_when_another_breaking_exists():
    # Greedy would give "10 10 10 | 10" (an orphan); the breaker moves a word down.
    assert break_lines(words(10, 10, 10, 10), space=1, width=32) == [(0, 2), (2, 4)]


def test_a_lone_last_word_is_kept_when_it_is_the_only_way():
    assert break_lines(words(30, 30), space=1, width=40) == [(0, 1), (1, 2)]


def test_even_right_edge_among_equal_line_counts():
    # Two lines either way; "5 5 | 20 5" leaves slack 9 then 0; "5 5 20 | 5" is impossible.
    assert break_lines(words(5, 5, 20, 5), space=1, width=27) == [(0, 2), (2, 4)]


def test_balance_evens_out_all_lines():
    six = words(10, 10, 10, 10, 10, 10)  # four fit on a line of 43
    assert break_lines(six, space=1, width=43) == [(0, 4), (4, 6)]
    assert break_lines(six, space=1, width=43, balance=True) == [(0, 3), (3, 6)]


def test_overflow_names_the_widest_piece():
    result = break_lines(words(10, 50, 10), space=1, width=40)
    assert result == Overflow(piece=1, excess=10)


def test_a_break_after_a_hyphen_counts_as_one_word_for_orphans():
    pieces = [Piece(10, True), Piece(10, True), Piece(6, False), Piece(6, False)]
    # "in-house" alone on the last line is an orphan, even though it is two pieces.
    assert break_lines(pieces, space=1, width=24) == [(0, 1), (1, 4)]


def test_even_rag_over_greedy_filling():
    # Greedy fills lines as 6 | 8 1 | 8 1 | 5 | 7 3 (slack 5, 1, 1, 6); the breaker keeps the
    # same five lines but spreads the slack: 6 | 8 | 1 8 | 1 5 | 7 3 (slack 5, 3, 1, 4).
    assert break_lines(words(6, 8, 1, 8, 1, 5, 7, 3), space=1, width=11) == [
        (0, 1),
        (1, 2),
        (2, 4),
        (4, 6),
        (6, 8),
    ]


def test_a_hyphenation_point_costs_its_penalty_and_the_hyphen_width():
    # "aaaa bb|cc dd": breaking inside "bbcc" adds a hyphen (width 1) and a penalty.
    pieces = [Piece(4, True), Piece(2, False, break_extra=1, penalty=0.3), Piece(2, True), Piece(2, False)]
    # At width 8 the word fits whole on line 2: no need to hyphenate.
    assert break_lines(pieces, space=1, width=8) == [(0, 1), (1, 4)]
    # At width 7, "aaaa bb-" (8 wide with its hyphen) does not fit either; "aaaa" alone.
    assert break_lines(pieces, space=1, width=7) == [(0, 1), (1, 4)]
    # At width 8 with a longer tail, hyphenating is the only way to two lines.
    tail = [Piece(4, True), Piece(2, False, break_extra=1, penalty=0.3), Piece(2, True), Piece(4, False)]
    assert break_lines(tail, space=1, width=8) == [(0, 2), (2, 4)]


def hyphenated_ends(pieces: list[Piece], breaks: list[tuple[int, int]]) -> list[bool]:
    return [end < len(pieces) and pieces[end - 1].hyphen for _, end in breaks]


def test_never_two_hyphenated_lines_in_a_row_when_another_breaking_exists():
    # Words "aaaa|aa bbbb|bb cc": cheapest by slack hyphenates twice in a row at width 7;
    # a breaking with as many lines and one hyphen exists, so it wins.
    syllable = dict(break_extra=1, penalty=0.0)
    pieces = [
        Piece(4, False, **syllable),
        Piece(2, True),
        Piece(4, False, **syllable),
        Piece(2, True),
        Piece(2, False),
    ]
    breaks = break_lines(pieces, space=1, width=7)
    assert not isinstance(breaks, Overflow)
    ends = hyphenated_ends(pieces, breaks)
    assert not any(a and b for a, b in zip(ends, ends[1:], strict=False)), breaks


def test_no_hyphen_on_the_last_full_line_when_it_can_be_avoided():
    # "aa bb cccc|cc dd": 2 lines either "aa bb cccc-|cc dd" (a hyphen before the last line)
    # or "aa bb|cccccc dd"; the second is preferred although its first line is shorter.
    pieces = [Piece(2, True), Piece(2, True), Piece(4, False, break_extra=1), Piece(2, True), Piece(2, False)]
    assert break_lines(pieces, space=1, width=11) == [(0, 2), (2, 5)]


def test_short_words_do_not_end_lines_when_bound():
    # "Tendances et techno logiques": without binding, "Tendances et |" is the even choice;
    # bound, "et" moves down with the words after it.
    pieces = [Piece(9, True), Piece(2, True, short_word=True), Piece(6, True), Piece(6, False)]
    assert break_lines(pieces, space=1, width=16, balance=True) == [(0, 2), (2, 4)]
    assert break_lines(pieces, space=1, width=16, balance=True, bind_short=True) == [(0, 1), (1, 4)]


def test_a_short_word_still_ends_a_line_when_nothing_else_fits():
    pieces = [Piece(9, True), Piece(2, True, short_word=True), Piece(14, False)]
    assert break_lines(pieces, space=1, width=14, bind_short=True) == [(0, 2), (2, 3)]


def test_a_cjk_orphan_is_counted_in_characters_not_phrases():
    # Two phrases of 4 and 1 characters: a last line of one phrase of four characters is fine.
    pieces = [Piece(4, False, length=4), Piece(4, False, length=4), Piece(4, False, length=4)]
    assert break_lines(pieces, space=0, width=8) == [(0, 2), (2, 3)]


def test_a_syllable_that_fits_only_without_its_hyphen_is_an_overflow():
    # "aaaa-" does not fit a line of 4, and "aaaabb" does not either: no breaking at all.
    pieces = [Piece(4, False, break_extra=1), Piece(2, False)]
    assert break_lines(pieces, space=1, width=4) == Overflow(piece=0, excess=1)
