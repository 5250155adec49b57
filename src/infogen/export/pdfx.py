"""PDF/X-4: what a print file needs beyond what reportlab writes by itself.

A print shop's preflight wants: an output intent carrying the ICC profile of the
printing condition, the GTS_PDFXVersion key in the document info and in XMP
metadata, the Trapped key, TrimBox and BleedBox (written by the painter), every
font embedded, no RGB (the painter writes DeviceCMYK only), a document ID, no
encryption and no transparency (none is ever drawn). Deterministic like the rest:
no clock is read; ids derive from the painted content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from .tags import add_key

if TYPE_CHECKING:
    from .pdf import OutputIntent

PDFX_VERSION = "PDF/X-4"


def add_pdfx(doc: PDFDocument, intent: OutputIntent, digest: str, xmp: dict[str, Any]) -> None:
    """Make reportlab's document PDF/X-4 for `intent`: the output intent in the catalog,
    the version in the info dictionary, and into `xmp` the keys PDF/X asks of it, with
    ids derived from `digest` (hex, of the painted content)."""
    profile = PDFStream(PDFDictionary({"N": 4}), intent.profile, [PDFZCompress])  # CMYK
    output_intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": PDFString(intent.identifier),
            "OutputCondition": PDFString(intent.condition),
            "RegistryName": PDFString(intent.registry),
            "Info": PDFString(intent.condition),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    add_key(doc.Catalog, "OutputIntents", PDFArray([output_intent]))
    info = PdfxInfo()  # the same info, with the version key added
    info.__dict__.update(doc.info.__dict__)
    doc.info = info
    xmp["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
    xmp["pdf:Trapped"] = "False"  # reportlab's info dictionary says /Trapped /False
    xmp["xmpMM:DocumentID"] = f"uuid:{_uuid(digest)}"
    xmp["xmpMM:InstanceID"] = f"uuid:{_uuid(digest[::-1])}"
    xmp["xmp:MetadataDate"] = xmp["xmp:ModifyDate"]


class PdfxInfo(PDFInfo):
    """reportlab's document info dictionary plus the GTS_PDFXVersion key, which it has
    no setting for: its dictionary is written, then the key added before its end."""

    def format(self, document: Any) -> bytes:
        written: bytes = super().format(document)
        assert written.endswith(b"\n>>"), written[-8:]
        version = PDFString(PDFX_VERSION).format(document)
        return written[:-3] + b" /GTS_PDFXVersion " + version + written[-3:]


def _uuid(hex_digest: str) -> str:
    h = hex_digest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
