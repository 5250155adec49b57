"""PDF/X-4: what reportlab cannot write, added to its output with pikepdf.

A print shop's preflight wants: an output intent carrying the ICC profile of the
printing condition, the GTS_PDFXVersion key in the document info and in XMP
metadata, the Trapped key, TrimBox and BleedBox (written by the painter), every
font embedded, no RGB (the painter writes DeviceCMYK only), a document ID, no
encryption and no transparency (none is ever drawn). Deterministic like the rest:
no clock is read; ids derive from the file's own bytes.
"""

from __future__ import annotations

import hashlib
import warnings
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..scene import Scene

if TYPE_CHECKING:
    from .pdf import OutputIntent

PDFX_VERSION = "PDF/X-4"


def add_pdfx(pdf: pikepdf.Pdf, scene: Scene, intent: OutputIntent, painted: bytes) -> None:
    """Make the open document PDF/X-4 for `intent`; its ids derive from `painted`, the bytes
    reportlab wrote (the caller saves with min_version 1.6)."""
    digest = hashlib.sha256(painted).hexdigest()
    profile = pdf.make_stream(intent.profile)
    profile.N = 4  # CMYK
    pdf.Root.OutputIntents = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFX,
                OutputConditionIdentifier=String(intent.identifier),
                OutputCondition=String(intent.condition),
                RegistryName=String(intent.registry),
                Info=String(intent.condition),
                DestOutputProfile=profile,
            )
        ]
    )
    created = str(pdf.docinfo.get(Name.CreationDate, "D:20000101000000+00'00'"))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        with warnings.catch_warnings():  # reportlab's /Trapped has no XMP twin: set below
            warnings.simplefilter("ignore", UserWarning)
            meta.load_from_docinfo(pdf.docinfo)
        meta["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
        meta["pdf:Trapped"] = "False"
        meta["dc:language"] = [scene.lang]
        meta["xmpMM:DocumentID"] = f"uuid:{_uuid(digest)}"
        meta["xmpMM:InstanceID"] = f"uuid:{_uuid(digest[::-1])}"
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = _xmp_date(created)
    # Keys the XMP mapping does not know: written to the info dictionary afterwards.
    pdf.docinfo[Name.GTS_PDFXVersion] = String(PDFX_VERSION)
    pdf.docinfo[Name.Trapped] = Name("/False")


def _uuid(hex_digest: str) -> str:
    h = hex_digest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _xmp_date(pdf_date: str) -> str:
    """'D:20000101000000+00'00'' -> '2000-01-01T00:00:00+00:00'."""
    d = pdf_date.removeprefix("D:")
    tz = d[14:].replace("'", "") or "Z"
    tz = "+00:00" if tz in ("Z", "+0000") else f"{tz[:3]}:{tz[3:5]}"
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}{tz}"
