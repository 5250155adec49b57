"""Pseudo-locales: the English made longer and accented, so a page can be tried on
translation before there are translations.

`qps` (left to right) and `qps-rtl` (right to left: the page mirrors) are made from
data/lang/en.yaml when they are loaded; no file holds them, and `--lang all` leaves them
out. Every string becomes about 35 % longer — bracketed and padded, so a cut is visible —
and every letter an accented look-alike (`[Þŕöţéçţîñĝ çöɱɱûñîţîéš ·····]`), from the
Latin letters the shipped font has: what breaks, shrinks or lacks a glyph shows at once.
Placeholders (`{authors}`) stay as they are. In `qps-rtl` each word ends in a
right-to-left mark, so the words run from right to left like an Arabic or Hebrew line,
and bars take the brackets' place (`|…|`: they need no mirroring).
Locations keep pointing at en.yaml: a string that does not fit is shortened there.
"""

from __future__ import annotations

import math
import re

import yaml

from ..model.resolve import clean
from ..source import Node

PSEUDO_LOCALES = {"qps": "ltr", "qps-rtl": "rtl"}
NAMES = {"qps": ("Pseudo", "accented"), "qps-rtl": ("Pseudo", "right to left")}
GROWTH = 0.35  # how much longer every string becomes
RLM = "\u200f"
PAD = "·"
CHUNK = 6  # the most padding dots in one word
# Accented look-alikes, all in Source Sans Pro (the shipped font) regular and bold.
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwyzABCDEGHIJKLMNOPQRSTUWYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûʋŵýžÅɃÇÐÉĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛŴÝŽ",
)
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_TRANSLATED = ("document", "heading", "intro", "credits", "groups", "themes", "icons")


def is_pseudo(lang: str) -> bool:
    return lang in PSEUDO_LOCALES


def pseudo_text(text: str, rtl: bool = False) -> str:
    """One string, pseudo-localised: accented, bracketed, padded to ~135% of its length."""
    text = clean(text)
    accented = "".join(
        part if _PLACEHOLDER.fullmatch(part) else part.translate(_ACCENTS)
        for part in _PLACEHOLDER.split(text)
    )
    # Brackets mark where a string starts and ends. Right to left, a bracket inside a Latin
    # word would not mirror while one in the padding would: bars read the same both ways.
    start, end = ("|", "|") if rtl else ("[", "]")
    result = f"{start}{accented}{_padding(max(4, math.ceil(GROWTH * len(text))) - 2)}{end}"
    if rtl:
        result = " ".join(word + RLM for word in result.split(" "))
    return result


def _padding(length: int) -> str:
    """`length` characters of padding, as words of at most six dots: room a line may break
    in, as in a real translation that is longer, not one word too wide for any column."""
    words = []
    while length >= 2:
        dots = min(CHUNK, length - 1)
        words.append(PAD * dots)
        length -= dots + 1
    padding = "".join(" " + word for word in words)
    return padding + PAD * length


def pseudo_node(english: Node, lang: str) -> Node:
    """The English file's node tree as the pseudo-locale `lang`: its strings transformed,
    its `language:` section replaced, its translation record dropped."""
    assert isinstance(english, yaml.MappingNode)
    rtl = PSEUDO_LOCALES[lang] == "rtl"
    pairs = []
    for key_node, value in english.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if name == "language":
            pairs.append((key_node, _language(value, lang)))
        elif name in _TRANSLATED:
            pairs.append((key_node, _transformed(value, rtl)))
        elif name != "translation":
            pairs.append((key_node, value))
    return yaml.MappingNode(english.tag, pairs, english.start_mark, english.end_mark)


def _transformed(node: Node, rtl: bool) -> Node:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        text = pseudo_text(str(node.value), rtl)
        return yaml.ScalarNode("tag:yaml.org,2002:str", text, node.start_mark, node.end_mark, style='"')
    if isinstance(node, yaml.SequenceNode):
        items = [_transformed(item, rtl) for item in node.value]
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark)
    if isinstance(node, yaml.MappingNode):
        pairs = [(k, _transformed(v, rtl)) for k, v in node.value]
        return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark)
    return node


def _language(node: Node, lang: str) -> Node:
    """The `language:` section of a pseudo-locale: its code, names and direction."""
    name, kind = NAMES[lang]
    values = {
        "code": lang,
        "name": f"{name} ({kind})",
        "english_name": f"{name}, {kind}",
        "script": "Latn",
        "direction": PSEUDO_LOCALES[lang],
    }
    mark = node.start_mark
    pairs = [
        (
            yaml.ScalarNode("tag:yaml.org,2002:str", key, mark, mark),
            yaml.ScalarNode("tag:yaml.org,2002:str", value, mark, mark, style='"'),
        )
        for key, value in values.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, mark, node.end_mark)
