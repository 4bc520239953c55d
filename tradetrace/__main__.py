"""``python -m tradetrace`` runs the command line."""

from tradetrace.cli import main

main()
