"""The ``tradetrace`` command line: one Click group, subcommands grouped by domain.

Exit codes: 0 success, 1 verification failed or a domain error, 2 usage or configuration error.
"""

from tradetrace.cli import (  # noqa: F401 - register the commands
    cases,
    clients,
    credentials,
    customs,
    entries,
    events,
    guidance,
    interop,
    keys,
    ledger,
    node,
    organisations,
    recordations,
    relief,
    trace,
    trust,
    witness,
)
from tradetrace.cli._root import cli, main

__all__ = ["cli", "main"]
