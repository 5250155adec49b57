"""Tagged PDF (PDF/UA-1): the structure tree a screen reader reads, and the marked
content that ties every painted glyph run to one element of it.

The Scene's group roles map one to one onto standard structure types (no RoleMap is
needed): `block` → Div, `section` → Sect, `heading` → H1–H6, `paragraph` → P, `list` → L,
`list-item` → LI (its text in an LBody, its marker an artifact), `figure` → Figure with
its label as /Alt; `artifact` and `marks` become Artifact marked content, outside the
tree. While the painter paints, a `Tagger` opens and closes elements in reading order
(the Scene's order, which stays logical on a mirrored right-to-left page) and hands out
MCIDs; once the pages are painted, `write_structure` adds the tree to reportlab's
document as plain PDF objects, before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)

from ..scene import Group

# Scene role -> structure type (heading levels are added to H).
STRUCTURE_TYPES = {
    "block": "Div",
    "section": "Sect",
    "heading": "H",
    "paragraph": "P",
    "list": "L",
    "list-item": "LI",
    "figure": "Figure",
}
TEXT_TYPES = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "LBody"}
PDFUA_PART = "1"


@dataclass
class Element:
    """One structure element: its type, its kids (elements, or MCIDs on its page) in
    reading order, and what assistive technology reads instead of or beside them."""

    type: str
    kids: list[Element | int] = field(default_factory=list)
    page: int = 0
    alt: str = ""  # Figure: the alternative text
    actual_text: str = ""  # the text in logical order (written where `rtl`)
    rtl: bool = False  # some of its text is right-to-left: painted order differs from reading order
    lang: str = ""  # where it differs from the document's


@dataclass
class Tagger:
    """Follows the painter through the Scene: which element is open, whether painting
    is inside an artifact, and the next MCID of each page."""

    lang: str
    root: Element = field(default_factory=lambda: Element("Document"))
    page: int = 0
    _open: list[Element] = field(default_factory=list)
    _artifact_depth: int = 0
    _mcids: list[list[Element]] = field(default_factory=list)  # per page: MCID -> element

    def __post_init__(self) -> None:
        self._open = [self.root]

    def start_page(self, index: int) -> None:
        self.page = index
        while len(self._mcids) <= index:
            self._mcids.append([])

    @property
    def in_artifact(self) -> bool:
        return self._artifact_depth > 0

    def enter(self, group: Group) -> str | None:
        """Open the group's element; return the marked-content operator to write before
        its contents (an artifact's, or a figure's with its MCID), or None."""
        if self.in_artifact or group.role in ("artifact", "marks"):
            self._artifact_depth += 1
            if self._artifact_depth > 1:
                return None
            # Printer's marks are page artifacts (ISO 32000-1, 14.8.2.2); the rest decoration.
            return "/Artifact <</Type /Page>> BDC" if group.role == "marks" else "/Artifact BMC"
        kind = STRUCTURE_TYPES[group.role]
        if kind == "H":
            kind = f"H{min(6, max(1, group.level or 1))}"
        element = Element(kind, page=self.page)
        if kind == "Figure":
            element.alt = group.label
        elif kind in TEXT_TYPES or kind == "LI":
            element.actual_text = group.label  # kept only where the painted order differs
        self._open[-1].kids.append(element)
        self._open.append(element)
        if kind == "Figure":  # one marked-content sequence holds the whole drawing
            return f"/Figure <</MCID {self._mcid(element)}>> BDC"
        return None

    def leave(self, group: Group) -> str | None:
        """Close what `enter` opened; return the operator that ends its marked content."""
        if self.in_artifact:
            self._artifact_depth -= 1
            return "EMC" if self._artifact_depth == 0 else None
        element = self._open.pop()
        if element.type == "LI":  # the item's text lives in its LBody
            body = next((k for k in element.kids if isinstance(k, Element) and k.type == "LBody"), None)
            if body is not None:
                body.actual_text, element.actual_text = element.actual_text, ""
        return "EMC" if element.type == "Figure" else None

    def text(self, rtl: bool, lang: str) -> tuple[str, str] | None:
        """The marked-content operators around a glyph run: the run becomes a kid of the
        open text element (an LI's LBody; a P made for text outside any text element)."""
        if self.in_artifact or self._open[-1].type == "Figure":
            return None
        element = self._open[-1]
        if element.type == "LI":
            element = self._child(element, "LBody")
        elif element.type not in TEXT_TYPES:
            element = self._child(element, "P")
        element.rtl = element.rtl or rtl
        if lang != self.lang:
            element.lang = lang
        return f"/{element.type} <</MCID {self._mcid(element)}>> BDC", "EMC"

    def decoration(self) -> tuple[str, str] | None:
        """A path outside any figure or artifact is decoration: an artifact of its own."""
        if self.in_artifact or self._open[-1].type == "Figure":
            return None
        return "/Artifact BMC", "EMC"

    def _child(self, parent: Element, kind: str) -> Element:
        last = parent.kids[-1] if parent.kids else None
        if isinstance(last, Element) and last.type == kind:
            return last
        child = Element(kind, page=self.page)
        parent.kids.append(child)
        return child

    def _mcid(self, element: Element) -> int:
        marks = self._mcids[self.page]
        marks.append(element)
        element.kids.append(len(marks) - 1)
        return len(marks) - 1

    def parent_tree(self) -> list[list[Element]]:
        """Per page, the element that owns each MCID (the PDF's ParentTree)."""
        return self._mcids


def write_structure(doc: PDFDocument, tagger: Tagger, xmp: dict[str, Any]) -> None:
    """Add the structure tree, the parent tree and what PDF/UA-1 asks of the document
    (MarkInfo, DisplayDocTitle, the language; the PDF/UA identification into `xmp`) to
    reportlab's document, whose pages are all painted."""
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    refs: dict[int, PDFObjectReference] = {}
    # reportlab names its page objects Page1, Page2, ... as it adds them.
    page_refs = [PDFObjectReference(f"Page{n + 1}") for n in range(len(doc.Pages.pages))]

    def build(element: Element, parent: PDFObjectReference) -> PDFObjectReference:
        # /Type is optional for a structure element, and /Pg needed only beside MCIDs
        # (which belong to a page): a hundred elements, a couple of kilobytes saved.
        node = StructElement({"S": element.type.encode("ascii"), "P": parent})
        ref = refs[id(element)] = doc.Reference(node)
        if any(isinstance(kid, int) for kid in element.kids):
            node.entries["Pg"] = page_refs[element.page]
        if element.alt:
            node.entries["Alt"] = PDFString(element.alt)
        if element.actual_text and element.rtl:
            node.entries["ActualText"] = PDFString(element.actual_text)
        if element.lang:
            node.entries["Lang"] = PDFString(element.lang)
        node.entries["K"] = [kid if isinstance(kid, int) else build(kid, ref) for kid in element.kids]
        return ref

    root["K"] = PDFArray([build(tagger.root, root_ref)])
    nums: list[Any] = []
    for index, owners in enumerate(tagger.parent_tree()):
        nums += [index, doc.Reference(PDFArray([refs[id(owner)] for owner in owners]))]
        page = doc.Pages.pages[index]
        add_key(page, "StructParents", index)
        add_key(page, "Tabs", PDFName("S"))  # tab order follows the structure
    root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    root["ParentTreeNextKey"] = len(tagger.parent_tree())
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
    catalog.Lang = PDFString(tagger.lang)
    xmp["pdfuaid:part"] = PDFUA_PART


def add_key(obj: Any, name: str, value: Any) -> None:
    """Give one of reportlab's page or catalog objects a key it has no setting for: they
    write the attributes their class lists in __NoDefault__, so the name joins that list."""
    setattr(obj, name, value)
    if name not in obj.__NoDefault__:
        obj.__NoDefault__ = [*obj.__NoDefault__, name]


class StructElement(PDFObject):
    """A structure element's dictionary, written as reportlab writes a PDFDictionary of the
    same keys (sorted, a line break after every sixth; K as a PDFArray, a line break after
    every tenth item), in one call. A page has ~100 of them, and as reportlab's own objects
    (a PDFName for every key and type, a PDFArray, a format call for each value) writing
    them was a fifth of a PDF export.

    `entries`: the type's name as bytes (S), references, PDFStrings, and K's list of MCIDs
    (int) and references."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self.entries = entries

    def format(self, document: PDFDocument) -> bytes:
        parts = [
            b"/" + key.encode("ascii") + b" " + _value(self.entries[key], document)
            for key in sorted(self.entries)
        ]
        for i in reversed(range(6, len(parts), 6)):
            parts.insert(i, b"\n ")
        return b"<<\n" + b" ".join(parts) + b"\n>>"


def _value(value: Any, document: PDFDocument) -> bytes:
    if isinstance(value, bytes):  # a name
        return b"/" + value
    if isinstance(value, list):  # K
        items = [
            str(item).encode("ascii") if isinstance(item, int) else item.format(document) for item in value
        ]
        for i in reversed(range(10, len(items), 10)):
            items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"
    return value.format(document)  # a reference or a string
