"""`python -m infogen` runs the command-line tool."""

from .cli import main

main()
