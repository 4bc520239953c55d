"""Demo data: a realistic cast of trade parties across the five tracked domains.

Every party is fictional; identifiers are well-formed (valid GS1 and ISO 7064 check digits) but
not registered anywhere. Loading is idempotent: parties already present are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.errors import Conflict, NotFound
from tradetrace.organisations.model import Organisation, parse_identifiers
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows import facilitation_demo, identity

__all__ = ["DEMO_ORGANISATIONS", "DemoParty", "DemoSummary", "load_demo"]


@dataclass(frozen=True, slots=True)
class DemoParty:
    """One demo organisation."""

    slug: str
    name: str
    country: str
    roles: tuple[str, ...]
    identifiers: dict[str, str] = field(default_factory=dict)


DEMO_ORGANISATIONS: tuple[DemoParty, ...] = (
    DemoParty(
        slug="cbp",
        name="U.S. Customs and Border Protection",
        country="US",
        roles=("customs_authority",),
        identifiers={},
    ),
    DemoParty(
        slug="hamilton-steelworks",
        name="Hamilton Steelworks Ltd.",
        country="CA",
        roles=("steel_mill", "exporter"),
        identifiers={
            "gln": "0754000000019",
            "lei": "549300XYZSTEEL000154",
            "mid": "XOHAMSTE1330HAM",
        },
    ),
    DemoParty(
        slug="ruhrstahl",
        name="Ruhrstahl Hütte GmbH",
        country="DE",
        roles=("steel_mill", "exporter"),
        identifiers={"eori": "DE4711081512345", "mid": "DERUHHUT12ESS"},
    ),
    DemoParty(
        slug="great-lakes-steel",
        name="Great Lakes Steel Imports Inc.",
        country="US",
        roles=("importer",),
        identifiers={"cbp_importer": "36-4123456", "gln": "0614141000012"},
    ),
    DemoParty(
        slug="commerce-sima",
        name="U.S. Department of Commerce, Steel Import Monitoring and Analysis",
        country="US",
        roles=(),
        identifiers={},
    ),
    DemoParty(
        slug="athabasca-midstream",
        name="Athabasca Midstream Partners",
        country="CA",
        roles=("producer", "pipeline_operator", "exporter"),
        identifiers={"lei": "254900ABCPIPELINE116", "gln": "7540000000103"},
    ),
    DemoParty(
        slug="prairie-gas",
        name="Prairie Gas Transmission Ltd.",
        country="CA",
        roles=("pipeline_operator", "exporter"),
        identifiers={"gln": "0888200000019"},
    ),
    DemoParty(
        slug="gulf-refining",
        name="Gulf Coast Refining LLC",
        country="US",
        roles=("importer",),
        identifiers={"cbp_importer": "74-2156789", "gln": "0614141000043"},
    ),
    DemoParty(
        slug="borealis-pipeline",
        name="Borealis Pipe Line LP",
        country="CA",
        roles=("pipeline_operator", "carrier"),
        identifiers={"gln": "7540000000127"},
    ),
    DemoParty(
        slug="montney-ridge",
        name="Montney Ridge Resources Ltd.",
        country="CA",
        roles=("producer", "exporter"),
        identifiers={"gln": "7540000000134"},
    ),
    DemoParty(
        slug="cascade-gas",
        name="Cascade Gas Marketing LLC",
        country="US",
        roles=("importer",),
        identifiers={"cbp_importer": "91-2765431", "gln": "0614141000319"},
    ),
    DemoParty(
        slug="monterrey-autopartes",
        name="Monterrey Autopartes S.A. de C.V.",
        country="MX",
        roles=("manufacturer", "exporter", "certifier"),
        identifiers={"lei": "98450000MEXEXP000129", "mid": "MXMONAUT450MON"},
    ),
    DemoParty(
        slug="lone-star-assembly",
        name="Lone Star Vehicle Assembly LLC",
        country="US",
        roles=("importer",),
        identifiers={"cbp_importer": "74-3318820"},
    ),
    DemoParty(
        slug="valle-de-sula-textiles",
        name="Textiles del Valle de Sula S.A.",
        country="HN",
        roles=("manufacturer", "exporter", "certifier"),
        identifiers={"lei": "5493000CAFTAHN000155", "mid": "HNTEXDEL88SAN"},
    ),
    DemoParty(
        slug="northwind-apparel",
        name="Northwind Apparel Brands LLC",
        country="US",
        roles=("rights_holder", "importer"),
        identifiers={"cbp_importer": "27-3344556", "lei": "549300BRANDCO0000137"},
    ),
    DemoParty(
        slug="lianhe-footwear",
        name="Lianhe Footwear Manufacturing Co., Ltd.",
        country="VN",
        roles=("manufacturer", "licensee", "exporter"),
        identifiers={"mid": "VNLIAFOO120HAI"},
    ),
    DemoParty(
        slug="haiphong-star-footwear",
        name="Hai Phong Star Footwear Co., Ltd.",
        country="VN",
        roles=("manufacturer", "exporter"),
        identifiers={"mid": "VNHAISTA45HAI"},
    ),
    DemoParty(
        slug="parcelbridge",
        name="ParcelBridge Marketplace Inc.",
        country="US",
        roles=("ecommerce_platform", "importer"),
        identifiers={
            "cbp_importer": "83-1029384",
            "gln": "0614141000050",
            "lei": "635400ECOMMERCE00106",
        },
    ),
    DemoParty(
        slug="shenzhen-soundwave",
        name="Shenzhen Soundwave Electronics Co., Ltd.",
        country="CN",
        roles=("manufacturer", "exporter"),
        identifiers={"gln": "6901234000009", "mid": "CNSHESOU88SHE"},
    ),
    DemoParty(
        slug="san-quintin-growers",
        name="Agrícola San Quintín S.P.R.",
        country="MX",
        roles=("grower", "exporter"),
        identifiers={"gln": "0787420000017", "mid": "MXAGRSAN190SAN"},
    ),
    DemoParty(
        slug="fresh-harbor",
        name="Fresh Harbor Produce Imports Inc.",
        country="US",
        roles=("importer",),
        identifiers={
            "cbp_importer": "95-4433221",
            "gln": "0860000123457",
            "lei": "529900TRACEFOOD00163",
        },
    ),
    DemoParty(
        slug="meridian-brokerage",
        name="Meridian Customs Brokerage Co.",
        country="US",
        roles=("broker",),
        identifiers={},
    ),
    DemoParty(
        slug="atlantic-ocean-freight",
        name="Atlantic Ocean Freight Forwarding",
        country="US",
        roles=("forwarder", "carrier"),
        identifiers={"gln": "0490000000016"},
    ),
    DemoParty(
        slug="gulf-testing-lab",
        name="Gulf Coast Materials Testing Laboratory",
        country="US",
        roles=("laboratory",),
        identifiers={"gln": "0840000000095"},
    ),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What :func:`load_demo` did."""

    organisations_created: int
    organisations_present: int
    identifiers_added: int = 0


def load_demo(session: Session, settings: Settings, *, now: datetime) -> DemoSummary:
    """Load the demo parties that are not yet present, each with a did:web and keys.

    A party already present gets the demo identifiers in schemes it has none of (a demo
    database made by an earlier version lacks those added since); its other data is left alone,
    and an identifier another organisation holds is skipped.
    """
    created = present = added = 0
    repository = OrganisationRepository(session)
    for spec in DEMO_ORGANISATIONS:
        try:
            found = repository.get(spec.slug)
        except NotFound:
            identity.create_organisation(
                session,
                settings,
                slug=spec.slug,
                name=spec.name,
                country=spec.country,
                roles=spec.roles,
                identifiers=spec.identifiers,
                now=now,
            )
            created += 1
        else:
            present += 1
            added += _add_missing_identifiers(repository, found, spec)
    facilitation_demo.load_demo_facilitation(session, now=now)
    return DemoSummary(
        organisations_created=created, organisations_present=present, identifiers_added=added
    )


def _add_missing_identifiers(
    repository: OrganisationRepository, found: Organisation, spec: DemoParty
) -> int:
    """Add the party's demo identifiers in schemes ``found`` has none of; how many were."""
    held = {item.scheme.value for item in found.identifiers}
    missing = {scheme: value for scheme, value in spec.identifiers.items() if scheme not in held}
    count = 0
    for scheme, value in missing.items():  # one at a time: one held elsewhere skips only itself
        try:
            count += repository.add_identifiers(found.slug, parse_identifiers({scheme: value}))[1]
        except Conflict:
            continue
    return count
