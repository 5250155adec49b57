"""Fonts, shaping and line breaking: everything that measures text lives here."""
