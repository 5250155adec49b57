"""Source hashes: the fingerprint of the English text a translation was made from.

Stored in the language file (`translation.source_hashes`), beside the strings they are
about, so a copied file or a branch carries them along. When the English changes, its
hash no longer matches and `infogen i18n status` reports the translation as stale. Eight
hex digits of SHA-256: a change goes unnoticed once in four billion, and a line of the
file stays short enough to read in a diff.
"""

from __future__ import annotations

import hashlib

from ..model.resolve import clean

HASH_LENGTH = 8


def source_hash(english: str) -> str:
    """The hash of an English text as written (folding collapsed, placeholders kept), so
    re-wrapping a folded YAML paragraph changes no hash."""
    return hashlib.sha256(clean(english).encode("utf-8")).hexdigest()[:HASH_LENGTH]
