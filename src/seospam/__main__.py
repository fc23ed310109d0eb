"""`python -m seospam` runs the command line."""

from .cli import main

main()
