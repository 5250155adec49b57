"""infogen: renders data into print-ready infographics (PDF and SVG)."""

from infogen import precompiled

__version__ = "0.1.0"

# Before any of infogen's dataclasses is defined: their generated methods' bytecode, as
# set-up compiled it (see precompiled.py).
precompiled.install()
