"""Generated multi-party supply chains for the five domains, with faults to inject.

Each chain names its parties (each becomes an organisation with its own did:web and keys and a
GLN), the EPCIS events each party captures, and the finished item to trace back. GTINs and
GLNs are GS1 example numbers with computed check digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.workflows.epcis_support import document, gln, gtin

START = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
TRACE = "urn:tradetrace:trace:"
FSMA = "urn:tradetrace:fsma:kde:"
NAMESPACES = {"trace": TRACE, "fsma": FSMA}


def at(hours: float) -> str:
    return (START + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def loc(party_gln: str) -> str:
    return f"https://id.gs1.org/414/{party_gln}"


def party(party_gln: str) -> str:
    return f"https://id.gs1.org/417/{party_gln}"


def lot(product: str, code: str) -> str:
    return f"https://id.gs1.org/01/{product}/10/{code}"


def q(identifier: str, amount: float, uom: str) -> dict[str, Any]:
    return {"epcClass": identifier, "quantity": amount, "uom": uom}


def _base(kind: str, hours: float, where: str, step: str, **fields: Any) -> dict[str, Any]:
    event = {
        "type": kind,
        "eventTime": at(hours),
        "eventTimeZoneOffset": "+00:00",
        "bizStep": step,
        "readPoint": {"id": where},
        "bizLocation": {"id": where},
    }
    event.update(fields)
    return event


def commission(hours: float, g: str, items: list, step: str = "commissioning", **extra: Any):
    return _base("ObjectEvent", hours, loc(g), step, action="ADD", quantityList=items, **extra)


def commission_epcs(hours: float, g: str, epcs: list[str], **extra: Any):
    return _base("ObjectEvent", hours, loc(g), "commissioning", action="ADD", epcList=epcs, **extra)


def transform(hours: float, g: str, inputs: list, outputs: list, **extra: Any):
    return _base(
        "TransformationEvent",
        hours,
        loc(g),
        "commissioning",
        inputQuantityList=inputs,
        outputQuantityList=outputs,
        **extra,
    )


def _transfer(step: str, hours: float, source: str, target: str, items: list, refs, **extra):
    where = loc(source) if step == "shipping" else loc(target)
    what = {"quantityList": items} if isinstance(items[0], dict) else {"epcList": items}
    return _base(
        "ObjectEvent",
        hours,
        where,
        step,
        action="OBSERVE",
        disposition="in_transit" if step == "shipping" else "in_progress",
        sourceList=[
            {"type": "owning_party", "source": party(source)},
            {"type": "location", "source": loc(source)},
        ],
        destinationList=[
            {"type": "owning_party", "destination": party(target)},
            {"type": "location", "destination": loc(target)},
        ],
        bizTransactionList=[{"type": kind, "bizTransaction": ref} for kind, ref in refs],
        **what,
        **extra,
    )


def ship(hours, source, target, items, refs=(), **extra):
    return _transfer("shipping", hours, source, target, items, refs, **extra)


def receive(hours, source, target, items, refs=(), **extra):
    return _transfer("receiving", hours, source, target, items, refs, **extra)


def pack(hours: float, g: str, parent: str, children: list[str], action: str = "ADD"):
    return _base(
        "AggregationEvent",
        hours,
        loc(g),
        "packing" if action == "ADD" else "unpacking",
        action=action,
        parentID=parent,
        childEPCs=children,
    )


@dataclass
class Chain:
    """A supply chain: parties (slug, name, country, GLN), events per party, the item."""

    domain: str
    parties: list[tuple[str, str, str, str]]
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    finished: str = ""

    def gln(self, slug: str) -> str:
        return next(g for name, _, _, g in self.parties if name == slug)

    def documents(self) -> list[tuple[str, dict[str, Any]]]:
        return [(slug, document(events, NAMESPACES)) for slug, events in self.events.items()]


def steel(fault: str | None = None) -> Chain:
    """Heat -> slabs (caster, Canada) -> coil (rolling mill, US) -> service center."""
    mill, roller, center = gln("075400000001"), gln("075400000002"), gln("075400000003")
    chain = Chain(
        "steel",
        [
            ("hamilton-melt", "Hamilton Melt Shop Ltd.", "CA", mill),
            ("ohio-rolling", "Ohio Rolling Mill Inc.", "US", roller),
            ("lakes-service", "Great Lakes Steel Service", "US", center),
        ],
    )
    heat_gtin, slab_gtin, coil_gtin = (
        gtin("0754000001001"),
        gtin("0754000001002"),
        gtin("0754000001003"),
    )
    heat = lot(heat_gtin, "H24-0917")
    slabs = [lot(slab_gtin, f"S24-0917-{n}") for n in (1, 2, 3)]
    coil = lot(coil_gtin, "C24-5501")
    slab_weight = 70.0 if fault == "mass_balance" else 65.0
    origin = {"trace:meltCountry": "CA", "trace:meltLocation": loc(mill)}
    chain.events["hamilton-melt"] = [
        commission(0, mill, [q(heat, 200.0, "TNE")], ilmd=origin),
        transform(
            3,
            mill,
            [q(heat, 200.0, "TNE")],
            [q(slab, slab_weight, "TNE") for slab in slabs],
            ilmd={"trace:pourCountry": "CA", "trace:pourLocation": loc(mill)},
        ),
        ship(10, mill, roller, [q(slabs[0], slab_weight, "TNE")], [("bol", "urn:bol:HM-1")]),
    ]
    chain.events["ohio-rolling"] = [
        receive(40, mill, roller, [q(slabs[0], slab_weight, "TNE")], [("bol", "urn:bol:HM-1")]),
        transform(50, roller, [q(slabs[0], slab_weight, "TNE")], [q(coil, 64.0, "TNE")]),
        ship(60, roller, center, [q(coil, 64.0, "TNE")], [("bol", "urn:bol:OR-7")]),
    ]
    chain.events["lakes-service"] = [
        receive(70, roller, center, [q(coil, 64.0, "TNE")], [("bol", "urn:bol:OR-7")]),
    ]
    chain.finished = coil
    return chain


def _pipeline(domain: str, uom: str, fault: str | None) -> Chain:
    producer, carrier, buyer = (gln(f"06141410{n}00{n}") for n in (1, 2, 3))
    names = {
        "oil": ("Permian Crude Producers", "Basin Gathering Pipeline", "Gulf Coast Refinery"),
        "gas": ("Marcellus Gas Producers", "Appalachia Interstate Pipeline", "Metro Gas Utility"),
    }[domain]
    chain = Chain(
        domain,
        [
            (f"{domain}-producer", names[0], "US", producer),
            (f"{domain}-pipeline", names[1], "US", carrier),
            (f"{domain}-buyer", names[2], "US", buyer),
        ],
    )
    product = gtin("0614141000" + ("111" if domain == "oil" else "222"))
    batch = lot(product, f"{domain.upper()}-2026-10-01")
    # gas in BTU: Rec 20 has no code for MMBtu (50,000 MMBtu = 5e10 BTU)
    amounts = (10_000.0, 9_990.0, 9_985.0) if domain == "oil" else (5e10, 4.99e10, 4.985e10)
    received = amounts[0] * 1.05 if fault == "transfer_balance" else amounts[1]

    def ticket(number: str) -> dict[str, Any]:
        return {"bizTransactionList": [{"type": f"{TRACE}meterTicket", "bizTransaction": number}]}

    chain.events[f"{domain}-producer"] = [
        commission(0, producer, [q(batch, amounts[0], uom)], ilmd={"trace:producingField": "F-7"}),
        {**ship(24, producer, carrier, [q(batch, amounts[0], uom)]), **ticket("urn:mt:LACT-1")},
    ]
    chain.events[f"{domain}-pipeline"] = [
        {**receive(24.5, producer, carrier, [q(batch, received, uom)]), **ticket("urn:mt:LACT-1")},
        {**ship(72, carrier, buyer, [q(batch, amounts[1], uom)]), **ticket("urn:mt:DEL-9")},
    ]
    chain.events[f"{domain}-buyer"] = [
        {**receive(72.5, carrier, buyer, [q(batch, amounts[2], uom)]), **ticket("urn:mt:DEL-9")},
    ]
    if fault == "missing_custody":
        chain.events[f"{domain}-pipeline"].pop(1)  # the carrier's shipment to the buyer
    chain.finished = batch
    return chain


def oil(fault: str | None = None) -> Chain:
    """Crude batch: producer (field F-7) -> gathering pipeline -> refinery, in barrels."""
    return _pipeline("oil", "BLL", fault)


def gas(fault: str | None = None) -> Chain:
    """Natural gas: producer -> interstate pipeline -> utility, in BTU (MMBtu x 10^6)."""
    return _pipeline("gas", "BTU", fault)


def ecommerce(fault: str | None = None) -> Chain:
    """Item made by a manufacturer, packed in a case, sold by a seller, shipped to a buyer."""
    maker, seller, buyer = gln("095211000001"), gln("095211000002"), gln("095211000003")
    chain = Chain(
        "ecommerce",
        [
            ("shenzhen-maker", "Shenzhen Gadget Works", "CN", maker),
            ("web-seller", "Web Seller LLC", "US", seller),
            ("buyer-home", "Buyer Delivery Point", "US", buyer),
        ],
    )
    product = gtin("0952110000100")
    item = f"https://id.gs1.org/01/{product}/21/SN-1001"
    other = f"https://id.gs1.org/01/{product}/21/SN-1002"
    case = "https://id.gs1.org/00/" + _sscc("09521100000000001")
    chain.events["shenzhen-maker"] = [
        commission_epcs(0, maker, [item, other]),
        pack(1, maker, case, [item, other]),
        ship(5, maker, seller, [case], [("po", "urn:po:WS-88")]),
    ]
    chain.events["web-seller"] = [
        receive(200, maker, seller, [case], [("po", "urn:po:WS-88")]),
        pack(201, seller, case, [item, other], action="DELETE"),
        ship(220, seller, buyer, [item], [("po", "urn:order:A-5"), ("desadv", "urn:asn:7")]),
    ]
    chain.events["buyer-home"] = [
        receive(260, seller, buyer, [item], [("po", "urn:order:A-5")]),
    ]
    chain.finished = item
    return chain


def _sscc(body17: str) -> str:
    return gtin(body17)  # the GS1 mod-10 check digit is the same for an SSCC


def food(fault: str | None = None) -> Chain:
    """Romaine: harvest (grower) -> initial packing (packer) -> distributor -> salad maker."""
    grower, packer, maker = gln("061414100021"), gln("061414100022"), gln("061414100023")
    chain = Chain(
        "food",
        [
            ("valley-farms", "Valley Farms", "US", grower),
            ("coastal-packing", "Coastal Packing Co.", "US", packer),
            ("fresh-salads", "Fresh Salads Inc.", "US", maker),
        ],
    )
    field_lot = lot(gtin("0614141002100"), "FIELD-7-1001")
    packed = lot(gtin("0614141002101"), "ROM-1001")
    salad = lot(gtin("0614141002102"), "SAL-2001")
    kde = {
        "fsma:commodity": "romaine lettuce",
        "fsma:growingArea": "Field 7",
        "fsma:productDescription": "romaine, whole head",
    }
    chain.events["valley-farms"] = [
        commission(
            0,
            grower,
            [q(field_lot, 1200.0, "KGM")],
            step=f"{FSMA[:-4]}cte:harvesting",
            destinationList=[{"type": "owning_party", "destination": party(packer)}],
            bizTransactionList=[{"type": "inv", "bizTransaction": "urn:ticket:H-1"}],
            **kde,
        ),
    ]
    shipped = {"fsma:tlcSourceReference": loc(grower), **kde}
    chain.events["valley-farms"].append(
        ship(2, grower, packer, [q(field_lot, 1200.0, "KGM")], [("bol", "urn:bol:VF-1")], **shipped)
    )
    chain.events["coastal-packing"] = [
        receive(
            4, grower, packer, [q(field_lot, 1200.0, "KGM")], [("bol", "urn:bol:VF-1")], **shipped
        ),
        transform(
            6,
            packer,
            [q(field_lot, 1200.0, "KGM")],
            [q(packed, 1150.0, "KGM")],
            bizStep=f"{FSMA[:-4]}cte:initial_packing",
            ilmd={
                **kde,
                "fsma:receiveDate": "2026-10-01",
                "fsma:harvestFarmLocation": loc(grower),
                "fsma:harvester": "Valley Farms, +1 555 0100",
                "fsma:harvestDate": "2026-10-01",
            },
            bizTransactionList=[{"type": "prodorder", "bizTransaction": "urn:po:P-1"}],
        ),
        ship(
            10,
            packer,
            maker,
            [q(packed, 1150.0, "KGM")],
            [("bol", "urn:bol:CP-1")],
            **{"fsma:tlcSourceReference": loc(packer), **kde},
        ),
    ]
    chain.events["fresh-salads"] = [
        receive(
            20,
            packer,
            maker,
            [q(packed, 1150.0, "KGM")],
            [("bol", "urn:bol:CP-1")],
            **{"fsma:tlcSourceReference": loc(packer), **kde},
        ),
        transform(
            30,
            maker,
            [q(packed, 1150.0, "KGM")],
            [q(salad, 1000.0, "KGM")],
            bizTransactionList=[{"type": "prodorder", "bizTransaction": "urn:wo:FS-3"}],
            **{"fsma:productDescription": "chopped romaine salad"},
        ),
        ship(
            40,
            maker,
            maker,
            [q(salad, 1000.0, "KGM")],
            [("bol", "urn:bol:FS-9")],
            **{"fsma:tlcSourceReference": loc(maker)},
        ),
        receive(
            44,
            maker,
            maker,
            [q(salad, 1000.0, "KGM")],
            [("bol", "urn:bol:FS-9")],
            **{"fsma:tlcSourceReference": loc(maker), "fsma:productDescription": "salad"},
        ),
    ]
    chain.finished = salad
    return chain


CHAINS = {"steel": steel, "oil": oil, "gas": gas, "ecommerce": ecommerce, "food": food}
