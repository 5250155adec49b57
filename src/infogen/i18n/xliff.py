"""XLIFF 1.2 files (memoQ, Trados, Crowdin, Weblate, Poedit), written and read with lxml.

XLIFF 1.2 rather than 2.0: it is the version every CAT tool reads and writes. One
`<trans-unit>` per string: its `id` (and `resname`) is the key path, `<source>` the English,
`<target>` the translation (left out while there is none; `state="needs-review-translation"`
when the English changed since), the length budget as `maxwidth` with `size-unit="char"`,
the places in the YAML files as `<context-group purpose="location">`, and the context as
`<note>`s. Files are parsed without DTDs, entities or network access: they come from outside.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .catalog import Catalog, Entry, Meta, State, Unit, refuse
from .strings import SOURCE_LANG

NS = "urn:oasis:names:tc:xliff:document:1.2"
VERSION = "1.2"
_REVIEW = {
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
    "needs-adaptation",
    "needs-l10n",
}
_UNTRANSLATED = {"new", "needs-translation"}


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def write(units: Sequence[Unit], meta: Meta) -> bytes:
    """The XLIFF 1.2 file of one language."""
    root = etree.Element(_q("xliff"), nsmap={None: NS})
    root.set("version", VERSION)
    file = etree.SubElement(root, _q("file"))
    file.set("original", meta.file)
    file.set("source-language", SOURCE_LANG)
    file.set("target-language", meta.lang)
    file.set("datatype", "plaintext")
    file.set("product-name", meta.project)
    header = etree.SubElement(file, _q("header"))
    tool = etree.SubElement(header, _q("tool"))
    name, _, version = meta.generator.partition(" ")
    tool.set("tool-id", name)
    tool.set("tool-name", name)
    tool.set("tool-version", version)
    etree.SubElement(header, _q("note")).text = (
        f"{meta.language} translation of {meta.project}: the strings of {meta.file}. Each unit's id "
        "is the key path of a string in the language file. Keep the placeholders in braces; write "
        "the translations back with `infogen i18n import FILE`."
    )
    body = etree.SubElement(file, _q("body"))
    for unit in units:
        _unit(body, unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit(body: etree._Element, unit: Unit) -> None:
    element = etree.SubElement(body, _q("trans-unit"))
    element.set("id", unit.key)
    element.set("resname", unit.key)
    if unit.limit is not None:
        element.set("maxwidth", str(unit.limit))
        element.set("size-unit", "char")
    etree.SubElement(element, _q("source")).text = unit.source
    if unit.target:
        target = etree.SubElement(element, _q("target"))
        target.set("state", "needs-review-translation" if unit.state == "needs-review" else "translated")
        target.text = unit.target
    for name, ref in (("english", unit.source_ref), ("translation", unit.target_ref)):
        if ref is None or not ref.line:
            continue
        group = etree.SubElement(element, _q("context-group"))
        group.set("name", name)
        group.set("purpose", "location")
        for kind, value in (("sourcefile", ref.file), ("linenumber", str(ref.line))):
            context = etree.SubElement(group, _q("context"))
            context.set("context-type", kind)
            context.text = value
    for text in unit.notes:
        note = etree.SubElement(element, _q("note"))
        note.set("from", "infogen")
        note.text = text


def read(data: bytes, shown: str) -> Catalog:
    """An XLIFF 1.2 file's units; anything else is refused, located."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise refuse(f"not well-formed XML: {exc.msg}", shown, exc.lineno or None) from None
    if root.getroottree().docinfo.doctype or any(
        isinstance(node, etree._Entity) for node in root.iter()
    ):  # entities are neither expanded nor taken as text: the file is refused
        raise refuse(
            "a DOCTYPE or entity declaration is not accepted in an XLIFF file",
            shown,
            1,
            hint="remove the <!DOCTYPE …> and write the characters themselves (XLIFF needs no DTD)",
        )
    if root.tag != _q("xliff") or root.get("version") != VERSION:
        version = root.get("version") or "?"
        raise refuse(
            f"not an XLIFF 1.2 file (root <{etree.QName(root).localname}>, version {version})",
            shown,
            root.sourceline,
            hint="infogen reads XLIFF 1.2: export one with `infogen i18n export --format xliff`, "
            "and have the translation tool save XLIFF 1.2",
        )
    files = root.findall(_q("file"))
    langs = {f.get("target-language") for f in files} - {None}
    if len(langs) > 1:
        raise refuse(
            f"the file holds several target languages ({', '.join(sorted(langs))})", shown, root.sourceline
        )
    entries = []
    for element in root.iter(_q("trans-unit")):
        source = element.find(_q("source"))
        target = element.find(_q("target"))
        text = "".join(target.itertext()) if target is not None else ""
        state = target.get("state") if target is not None else None
        kind: State = (
            "needs-review"
            if state in _REVIEW
            else "untranslated"
            if state in _UNTRANSLATED or not text.strip()
            else "translated"
        )
        source_text = "".join(source.itertext()) if source is not None else ""
        entries.append(Entry(element.get("id"), source_text, text, kind, element.sourceline or 0))
    source_lang = files[0].get("source-language") if files else None
    return Catalog(shown, "xliff", langs.pop() if langs else None, source_lang, tuple(entries))
