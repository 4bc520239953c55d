"""The parties of an entry: importer, consignee, seller, buyer, shipper, manufacturer.

CBP Form 3461 names the importer, the consignee and the manufacturer or shipper (with its MID);
CBP Form 7501 adds the ultimate consignee, seller and buyer (blocks 25-26 and the invoice data).
A party may carry its DID so that rules can tie it to the issuers and subjects of credentials.
"""

from __future__ import annotations

from tradetrace.entries._wire import Country, DidText, Reference, Text, WireModel

__all__ = ["Address", "Party"]


class Address(WireModel):
    """A postal address; only the country is required (ISO 3166-1 alpha-2)."""

    street: Text | None = None
    city: Text | None = None
    region: Text | None = None
    postal_code: Reference | None = None
    country: Country


class Party(WireModel):
    """A trade party: its name and, where known, DID, identifier and address.

    ``identifier`` is the number the party is known by in the entry: an importer or consignee
    number (19 CFR 24.5), a MID for a manufacturer, a DUNS number for an FSVP importer
    (21 CFR 1.509(a)).
    """

    name: Text
    did: DidText | None = None
    identifier: Reference | None = None
    address: Address | None = None

    @property
    def country(self) -> str | None:
        """The country of the party's address, if it has one."""
        return self.address.country if self.address is not None else None
