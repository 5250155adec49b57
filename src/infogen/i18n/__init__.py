"""Translators' tools: completeness and staleness (`status`), PO and XLIFF round trips
(`catalog`, `po`, `xliff`, `importer`, `yamledit`), pseudo-locales (`pseudo`) and the
contact sheet (`sheet`).

Everything here names strings by the key paths of the content model's one list of
strings (`Content.strings`), so a translator's catalog, a status report, a fit message
and the language file all speak of `themes.harnessing-data.bullets[1]` alike. Nothing
here writes files: the CLI does, atomically.
"""
