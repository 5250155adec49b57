"""Where a line may break: spaces, hard hyphens, hyphenation points, and between CJK
characters — with the language's rules, before anything is measured.

A segment is an unbreakable piece of text; a break is allowed after every segment.
Breaking after a hyphenation point shows a hyphen. CJK text breaks between characters
except where the line-breaking rules (kinsoku shori) forbid it: no line may start with
closing punctuation or small kana marks, none may end with opening punctuation.
"""

from __future__ import annotations

import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyphen

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


@dataclass(frozen=True)
class Segment:
    text: str
    space_after: bool = False  # a space follows: drawn unless the line breaks here
    hyphen: bool = False  # a break here shows a hyphen (hyphenation point)
    penalty: float = 0.0  # cost of breaking here, in units of squared relative slack


@dataclass(frozen=True)
class Hyphenation:
    """How a layout hyphenates; None in its place means never."""

    min_word: int  # shortest word that may be hyphenated
    min_before: int  # letters kept before the hyphen
    min_after: int  # letters carried to the next line
    below_fill: float = 0.0  # hyphenate a paragraph only if a line would fill less than this


def is_cjk(ch: str) -> bool:
    """Han, kana and CJK punctuation: text that may break between any two characters."""
    prefixes = ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")
    return unicodedata.name(ch, "").startswith(prefixes)


@lru_cache(maxsize=8192)
def segments(text: str, lang: str, hyphenation: Hyphenation | None) -> tuple[Segment, ...]:
    result: list[Segment] = []
    tokens = text.split(" ")
    for index, token in enumerate(tokens):
        if not token:
            continue
        parts: list[Segment] = []
        for chunk in cjk_clusters(token):
            parts += _word_segments(chunk, lang, hyphenation)
        last = parts[-1]
        parts[-1] = Segment(last.text, index < len(tokens) - 1, False, 0.0)
        result += parts
    if result:
        last = result[-1]
        result[-1] = Segment(last.text, False, False, 0.0)
    return tuple(result)


def _katakana(ch: str) -> bool:
    """A katakana letter or the prolonged sound mark; not the middle dot (・), which
    separates the words of a loan phrase and may end a line: デジタル・|テクノロジー."""
    if ch in "\u30fb\uff65":
        return False
    return unicodedata.name(ch, "").startswith(("KATAKANA", "HALFWIDTH KATAKANA")) or ch == "ー"


def cjk_clusters(token: str) -> list[str]:
    """Split a space-free token into pieces between which a CJK line may break."""
    clusters: list[str] = []
    for ch in token:
        glued = (
            not clusters
            or not (is_cjk(ch) or is_cjk(clusters[-1][-1]))  # Latin stays together
            or ch in NO_LINE_START  # kinsoku: may not start a line
            or clusters[-1][-1] in NO_LINE_END  # kinsoku: may not end one
            or (_katakana(ch) and _katakana(clusters[-1][-1]))  # keep loanwords whole: サービス
            or unicodedata.category(ch).startswith("M")  # combining marks
        )
        if glued and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _word_segments(word: str, lang: str, hyphenation: Hyphenation | None) -> list[Segment]:
    if any(is_cjk(ch) for ch in word):
        return [Segment(word)]
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


@lru_cache(maxsize=32)
def _dictionary(lang: str, left: int, right: int) -> pyphen.Pyphen | None:
    code = pyphen.language_fallback(lang.replace("-", "_"))
    if not code:
        return None
    _load_compiled(pyphen.LANGUAGES[code])
    return pyphen.Pyphen(lang=code, left=left, right=right)


def _load_compiled(path: Path) -> None:
    """Parsing a pattern file costs ~100 ms; keep the parsed patterns in the user's cache
    directory (a cache only: any failure just means parsing again)."""
    if path in pyphen.hdcache:
        return
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "infogen"
    stamp = f"{path.stat().st_size}-{int(path.stat().st_mtime)}-{pyphen.VERSION}"
    cached = cache_dir / f"{path.stem}-{stamp}.pickle"
    try:
        with cached.open("rb") as handle:
            pyphen.hdcache[path] = pickle.load(handle)  # written by this function only
        return
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    pyphen.hdcache[path] = pyphen.HyphDict(path)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(pyphen.hdcache[path], handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        pass
