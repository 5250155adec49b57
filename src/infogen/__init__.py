"""infogen: renders data into print-ready infographics (PDF and SVG)."""

__version__ = "0.1.0"
