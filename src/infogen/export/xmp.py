"""XMP metadata: the packet a tagged or print PDF carries beside its info dictionary.

PDF/UA-1 wants the title and its own identification in XMP, PDF/X-4 its version, the
trapping state and document ids, and both want the XMP to agree with the info
dictionary. The packet is small and its shape fixed, so it is written here as text, with
the properties in the order given: no XML library is imported to write a few lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .xmltext import escape_text

NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}

# Properties whose value is an RDF container rather than a plain text (XMP part 2).
LANGUAGE_ALTERNATIVES = {"dc:title", "dc:description", "dc:rights"}
ORDERED = {"dc:creator"}  # rdf:Seq
UNORDERED = {"dc:language", "dc:subject"}  # rdf:Bag

Value = str | Sequence[str]


def packet(properties: Mapping[str, Value]) -> bytes:
    """The XMP packet holding `properties` ("prefix:name" -> text, or a list of texts for
    the container properties), UTF-8 encoded."""
    prefixes = dict.fromkeys(key.partition(":")[0] for key in properties)
    unknown = [prefix for prefix in prefixes if prefix not in NAMESPACES]
    if unknown:
        raise ValueError(f"XMP properties with no known namespace: {', '.join(unknown)}")
    declarations = "".join(f' xmlns:{prefix}="{NAMESPACES[prefix]}"' for prefix in prefixes)
    body = "\n".join(f"<{key}>{_value(key, value)}</{key}>" for key, value in properties.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about=""{declarations}>\n{body}\n</rdf:Description>\n'
        "</rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>\n'
    ).encode()


def date(ymdhms: Sequence[int], tz_hours: int, tz_minutes: int) -> str:
    """An XMP date (ISO 8601 with the offset), from the parts a PDF date is made of."""
    year, month, day, hour, minute, second = ymdhms
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{tz_hours:+03d}:{tz_minutes:02d}"


def _value(key: str, value: Value) -> str:
    if isinstance(value, str):
        if key in LANGUAGE_ALTERNATIVES:
            return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape_text(value)}</rdf:li></rdf:Alt>'
        if key in ORDERED or key in UNORDERED:
            value = [value]
        else:
            return escape_text(value)
    container = "rdf:Seq" if key in ORDERED else "rdf:Bag"
    items = "".join(f"<rdf:li>{escape_text(item)}</rdf:li>" for item in value)
    return f"<{container}>{items}</{container}>"
