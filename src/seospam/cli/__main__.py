"""`python -m seospam.cli` runs the command line, as `python -m seospam` does."""

from . import main

main()
