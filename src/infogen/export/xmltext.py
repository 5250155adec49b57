"""XML text written by hand, for the two places that write XML: the SVG page (ElementTree
elements, written in one pass) and a PDF's XMP packet (a few lines of text). Escaping as
ElementTree escapes; no XML library is imported to write them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as etree


def write_xml(node: etree.Element, write: Callable[[str], object]) -> None:
    """`node` as ElementTree's `tostring` writes it, character for character, for the trees
    the SVG exporter builds: no namespaces (the root declares its prefixes as attributes), no
    comments, processing instructions or CDATA. ElementTree's own serialiser is pure Python
    with a namespace pass over the whole tree first: half of an SVG export's time."""
    attributes = "".join(
        f' {name}="{escape_attribute(value) if _ATTRIBUTE_SPECIAL.search(value) else value}"'
        for name, value in node.items()
    )
    text = node.text
    if text or len(node):
        write(f"<{node.tag}{attributes}>")
        if text:
            write(escape_text(text) if _TEXT_SPECIAL.search(text) else text)
        for child in node:
            write_xml(child, write)
        write(f"</{node.tag}>")
    else:
        write(f"<{node.tag}{attributes} />")
    if node.tail:
        write(escape_text(node.tail))


_TEXT_SPECIAL = re.compile(r"[&<>]")
_ATTRIBUTE_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_ATTRIBUTE_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\r": "&#13;",
    "\n": "&#10;",
    "\t": "&#09;",
}


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return _ATTRIBUTE_SPECIAL.sub(lambda match: _ATTRIBUTE_ESCAPES[match.group()], value)
