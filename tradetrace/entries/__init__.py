"""Customs entries: the data of CBP Form 3461 and 7501, parsed once and validated field by field.

- :mod:`.numbers`: entry numbers with their check digit (CATAIR Appendix E), filer and port codes.
- :mod:`.codes`: entry types and modes of transport.
- :mod:`.parties`, :mod:`.lines`, :mod:`.model`: the entry itself (:class:`Entry`).
- :mod:`.credentials`: entries expressed as W3C CCG Traceability Vocabulary credentials.
"""

from tradetrace.entries.codes import EntryType, TransportCode
from tradetrace.entries.lines import EntryLine, Quantity
from tradetrace.entries.model import MAX_LINES, Entry
from tradetrace.entries.numbers import (
    entry_check_digit,
    parse_entry_number,
    parse_filer_code,
    parse_port_code,
)
from tradetrace.entries.parties import Address, Party

__all__ = [
    "MAX_LINES",
    "Address",
    "Entry",
    "EntryLine",
    "EntryType",
    "Party",
    "Quantity",
    "TransportCode",
    "entry_check_digit",
    "parse_entry_number",
    "parse_filer_code",
    "parse_port_code",
]
