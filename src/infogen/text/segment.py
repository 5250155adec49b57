"""Where a line may break: spaces, hard hyphens, hyphenation points, and between CJK
phrases — with the language's rules, before anything is measured.

A segment is an unbreakable piece of text; a break is allowed after every segment.
Breaking after a hyphenation point shows a hyphen. Japanese and Chinese break between
phrases, which BudouX (Google's phrase segmenter, with its Japanese and Chinese models)
finds; a phrase wider than a line is split between its characters, where the
line-breaking rules (kinsoku shori) allow: no line may start with closing punctuation or
small kana marks, none may end with opening punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyphen

from .memo import per_language

HARD_HYPHEN_PENALTY = 0.05  # breaking after "Cross-" costs about as much as 22% slack
SOFT_HYPHEN_PENALTY = 0.3  # hyphenating costs more: only when it clearly helps

# Kinsoku (JIS X 4051, simplified): characters that may not start a line...
NO_LINE_START = set(
    "、。，．・：；？！ー―‐〜～）」』】〕〉》〙〗〟｝］’”ゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]},.:;!?%"
)
# ...and characters that may not end one.
NO_LINE_END = set("（「『【〔〈《〘〖〝｛［‘“([{")
_HYPHEN_SPLIT = re.compile(r"(?<=\w-)(?=\w)")
_ELISION = re.compile(r"^(\w{1,3}[’'])(\w+)$")


# Brackets whose blank half (or side bearing) is trimmed at a line's start or end (JLReq).
OPENING_BRACKETS = frozenset("「『（【〔〈《〘〖〝｛［")
CLOSING_BRACKETS = frozenset("」』）】〕〉》〙〗〟｝］")
SHORT_WORD = 3  # letters: a word this short should not end a heading's line ("et", "und")


@dataclass(frozen=True)
class Segment:
    text: str
    space_after: bool = False  # a space follows: drawn unless the line breaks here
    hyphen: bool = False  # a break here shows a hyphen (hyphenation point)
    penalty: float = 0.0  # cost of breaking here, in units of squared relative slack
    phrase: bool = False  # a CJK phrase: split between its characters only if wider than a line
    short: bool = False  # the whole word is SHORT_WORD letters or fewer ("et", "en", "und")


@dataclass(frozen=True)
class Hyphenation:
    """How a layout hyphenates; None in its place means never."""

    min_word: int  # shortest word that may be hyphenated
    min_before: int  # letters kept before the hyphen
    min_after: int  # letters carried to the next line


CJK_NAME_PREFIXES = ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")


@lru_cache(maxsize=16384)  # asked of every character of every word: a page uses a few hundred
def is_cjk(ch: str) -> bool:
    """Han, kana and CJK punctuation: text that may break between any two characters."""
    return unicodedata.name(ch, "").startswith(CJK_NAME_PREFIXES)


@per_language
@lru_cache(maxsize=8192)
def segments(text: str, lang: str, hyphenation: Hyphenation | None) -> tuple[Segment, ...]:
    result: list[Segment] = []
    tokens = _bind_to_previous(text.split(" "))
    for index, token in enumerate(tokens):
        if not token:
            continue
        parts: list[Segment] = []
        for chunk in _phrases(token, lang):
            parts += _word_segments(chunk, lang, hyphenation)
        last = parts[-1]
        short = len(parts) == 1 and token.isalpha() and len(token) <= SHORT_WORD
        parts[-1] = Segment(last.text, index < len(tokens) - 1, False, 0.0, last.phrase, short)
        result += parts
    if result:
        last = result[-1]
        result[-1] = Segment(last.text, False, False, 0.0, last.phrase)
    return tuple(result)


# Separators that end the line before them rather than start the next ("Europe · Published").
BINDS_TO_PREVIOUS = frozenset("·•|")


def _bind_to_previous(tokens: list[str]) -> list[str]:
    """Words that may not start a line joined to the word before, their space kept: the
    second half of a suspended compound ("IT-capaciteit en -competenties") and separators."""
    bound: list[str] = []
    for token in tokens:
        binds = (token.startswith("-") and len(token) > 1) or (token and token in BINDS_TO_PREVIOUS)
        if binds and bound and bound[-1]:
            bound[-1] += " " + token
        else:
            bound.append(token)
    return bound


def split_phrase(segment: Segment) -> list[Segment]:
    """A phrase too wide for its line, as the pieces a CJK line may break between: its words
    (a katakana loanword whole), or, for a word wider than the line, its characters. A
    piece that could be split once more says so (`phrase`)."""
    clusters = cjk_clusters(segment.text)
    if len(clusters) == 1:
        clusters = cjk_clusters(segment.text, keep_words=False)
    pieces = [Segment(c, phrase=len(cjk_clusters(c, keep_words=False)) > 1) for c in clusters]
    pieces[-1] = Segment(pieces[-1].text, segment.space_after, phrase=pieces[-1].phrase)
    return pieces


def _phrases(token: str, lang: str) -> list[str]:
    """A space-free token as the pieces a line may break between: phrases in Japanese and
    Chinese, kinsoku clusters in other CJK text, the token itself elsewhere."""
    if not any(is_cjk(ch) for ch in token):
        return [token]
    parser = _phrase_parser(lang.split("-")[0].lower(), lang)
    if parser is None:
        return cjk_clusters(token)
    phrases: list[str] = []
    for phrase in parser.parse(token):
        # Kinsoku across a phrase boundary, in case the model splits before a 」 or after a 「.
        if phrases and (phrase[0] in NO_LINE_START or phrases[-1][-1] in NO_LINE_END):
            phrases[-1] += phrase
        else:
            phrases.append(phrase)
    return phrases


@per_language
@lru_cache(maxsize=4)
def _phrase_parser(language: str, tag: str) -> Any:
    """BudouX's model for Japanese or Chinese (loaded once, on first use), else None."""
    if language not in ("ja", "zh"):
        return None
    import budoux

    if language == "ja":
        return budoux.load_default_japanese_parser()
    traditional = any(part in tag for part in ("Hant", "TW", "HK", "MO"))
    return (
        budoux.load_default_traditional_chinese_parser()
        if traditional
        else budoux.load_default_simplified_chinese_parser()
    )


def _katakana(ch: str) -> bool:
    """A katakana letter or the prolonged sound mark; not the middle dot (・), which
    separates the words of a loan phrase and may end a line: デジタル・|テクノロジー."""
    if ch in "\u30fb\uff65":
        return False
    return unicodedata.name(ch, "").startswith(("KATAKANA", "HALFWIDTH KATAKANA")) or ch == "ー"


def cjk_clusters(token: str, keep_words: bool = True) -> list[str]:
    """Split a space-free token into pieces between which a CJK line may break; with
    `keep_words`, katakana loanwords stay whole."""
    clusters: list[str] = []
    for ch in token:
        glued = (
            not clusters
            or not (is_cjk(ch) or is_cjk(clusters[-1][-1]))  # Latin stays together
            or ch in NO_LINE_START  # kinsoku: may not start a line
            or clusters[-1][-1] in NO_LINE_END  # kinsoku: may not end one
            or (keep_words and _katakana(ch) and _katakana(clusters[-1][-1]))  # loanwords: サービス
            or unicodedata.category(ch).startswith("M")  # combining marks
        )
        if glued and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _word_segments(word: str, lang: str, hyphenation: Hyphenation | None) -> list[Segment]:
    if any(is_cjk(ch) for ch in word):
        return [Segment(word, phrase=len(cjk_clusters(word)) > 1)]
    pieces = _HYPHEN_SPLIT.split(word)
    result = []
    for i, piece in enumerate(pieces):
        syllables = hyphenate(piece, lang, hyphenation)
        result += [Segment(s, hyphen=True, penalty=SOFT_HYPHEN_PENALTY) for s in syllables[:-1]]
        result.append(Segment(syllables[-1], penalty=HARD_HYPHEN_PENALTY if i < len(pieces) - 1 else 0.0))
    return result


def hyphenate(word: str, lang: str, hyphenation: Hyphenation | None) -> list[str]:
    """The word split at its hyphenation points, or whole when it may not be split."""
    if hyphenation is None or len(word) < hyphenation.min_word:
        return [word]
    elided = _ELISION.match(word)  # French "d’approvisionnement": hyphenate after the apostrophe
    if elided:
        head, *rest = hyphenate(elided.group(2), lang, hyphenation)
        return [elided.group(1) + head, *rest]
    if not word.isalpha():
        return [word]
    dictionary = _dictionary(lang, hyphenation.min_before, hyphenation.min_after)
    if dictionary is None:
        return [word]
    positions = dictionary.positions(word)
    return [word[a:b] for a, b in zip([0, *positions], [*positions, len(word)], strict=True)]


@per_language
@lru_cache(maxsize=32)
def _dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen | None:
    """The language's patterns from pyphen's package, read once per process and parsed as
    words need them (patterns.py; no cache on disk: a cache others can write would be a
    way to run code, or to change the breaks)."""
    from .patterns import dictionary

    return dictionary(lang, left, right)
