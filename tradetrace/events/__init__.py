"""GS1 EPCIS 2.0 supply-chain events and the GS1 identifiers they carry."""

__all__: list[str] = []
