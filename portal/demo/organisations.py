"""Synthetic organisations for demonstrations and benchmarks.

Deterministic for a seed: the same size and seed give the same names, codes
and figures, so reruns update rather than duplicate. Codes are synthetic
(ODS codes start with "Z", GSS codes with E069) so they never collide with
real organisations imported later.

Proportions follow docs/domain.md, "National figures": 42 ICBs and 153 local authorities nationally
(about 3.6 authorities per ICB), England's 0-17 population of about 12
million spread unevenly (the largest county about 330,000, the smallest
under 10,000), and providers offering the services EHC advice comes from.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from commissioning.models import (
    ChildPopulation,
    CommissioningBody,
    CommissioningBodyKind,
    CommissioningLink,
    LocalAuthority,
    Provider,
    Service,
    ServiceType,
)


@dataclass(frozen=True)
class Size:
    bodies: int
    local_authorities: int
    providers_per_body: int


SIZES = {
    "small": Size(bodies=1, local_authorities=2, providers_per_body=3),
    "medium": Size(bodies=4, local_authorities=14, providers_per_body=3),
    "large": Size(bodies=12, local_authorities=44, providers_per_body=4),
    "national": Size(bodies=42, local_authorities=153, providers_per_body=4),
}

ICB_START = datetime.date(2022, 7, 1)
POPULATION_YEARS = (2023, 2024, 2025)

_PLACES = [
    "Ashvale",
    "Brackenford",
    "Caldermoor",
    "Dunmere",
    "Eastwick",
    "Fenhollow",
    "Glenbury",
    "Harrowfield",
    "Ironbridge Vale",
    "Juniper Coast",
    "Kestrel Downs",
    "Larkspur",
    "Marshgate",
    "Northholt Ridge",
    "Oakhampton",
    "Pennineside",
    "Quarry Hill",
    "Ravensmoor",
    "Saltmarsh",
    "Thornbury Weald",
    "Upperdale",
    "Vennford",
    "Westmere",
    "Yarrowby",
    "Alderbrook",
    "Birchcombe",
    "Cresthaven",
    "Deepwater",
    "Elmstead",
    "Foxley",
    "Greystone",
    "Hollinsworth",
    "Ivybridge Heath",
    "Kingsmead",
    "Longmarsh",
    "Millbeck",
    "Netherfield",
    "Orchardleigh",
    "Pebblecombe",
    "Redcliffe Moor",
    "Stonecross",
    "Tidewater",
    "Underhill",
    "Wolds End",
    "Amberley Chase",
    "Beechgrove",
    "Copperfield",
]
_REGIONS = [
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Coast",
    "Valley",
    "Moors",
    "Forest",
    "Lakes",
    "Downs",
    "Marches",
]
_SERVICE_PLAN = [
    (ServiceType.COMMUNITY_PAEDIATRICS, "Community paediatrics"),
    (ServiceType.SPEECH_AND_LANGUAGE, "Children's speech and language therapy"),
    (ServiceType.OCCUPATIONAL_THERAPY, "Children's occupational therapy"),
    (ServiceType.PHYSIOTHERAPY, "Children's physiotherapy"),
    (ServiceType.CAMHS, "CAMHS"),
    (ServiceType.HEALTH_VISITING, "Health visiting"),
    (ServiceType.SCHOOL_NURSING, "School nursing"),
    (ServiceType.AUDIOLOGY, "Paediatric audiology"),
    (ServiceType.CONTINUING_CARE, "Children's continuing care"),
    (ServiceType.LEARNING_DISABILITY, "Learning disability team"),
    (ServiceType.PALLIATIVE_CARE, "Children's palliative care"),
]


def _place(index: int) -> str:
    base = _PLACES[index % len(_PLACES)]
    cycle = index // len(_PLACES)
    return base if cycle == 0 else f"{base} {_REGIONS[cycle % len(_REGIONS)]}"


def _lognormal_population(rng: random.Random) -> int:
    # Median about 65,000 children aged 0-17, long right tail, clamped to the
    # range seen in England.
    value = int(rng.lognormvariate(11.08, 0.6))
    return max(8_000, min(value, 330_000))


@dataclass
class DemoOrganisations:
    bodies: list[CommissioningBody]
    local_authorities: list[LocalAuthority]
    providers: list[Provider]
    services: list[Service]


def seed_organisations(size: str, seed: int) -> DemoOrganisations:
    """Create or update the demo organisations for ``size``."""
    spec = SIZES[size]
    rng = random.Random(f"organisations:{size}:{seed}")

    bodies = []
    for i in range(spec.bodies):
        body, _ = CommissioningBody.objects.update_or_create(
            ods_code=f"Z{i + 1:02d}",
            defaults={
                "name": f"NHS {_place(i * 3)} and {_place(i * 3 + 1)} Integrated Care Board",
                "kind": CommissioningBodyKind.ICB,
                "active_from": ICB_START,
                "active_to": None,
            },
        )
        bodies.append(body)

    # Spread authorities over bodies: each body gets at least one.
    local_authorities = []
    for j in range(spec.local_authorities):
        body = bodies[j % len(bodies)] if j < len(bodies) else rng.choice(bodies)
        la, _ = LocalAuthority.objects.update_or_create(
            gss_code=f"E069{j + 1:05d}",
            defaults={"name": f"{_place(j + 5)} Council"},
        )
        CommissioningLink.objects.update_or_create(
            commissioning_body=body,
            local_authority=la,
            valid_from=ICB_START,
            defaults={"valid_to": None},
        )
        population = _lognormal_population(rng)
        for offset, year in enumerate(POPULATION_YEARS):
            aged_0_17 = int(population * (0.985 + 0.01 * offset))
            ChildPopulation.objects.update_or_create(
                local_authority=la,
                year=year,
                defaults={"aged_0_17": aged_0_17, "aged_0_25": int(aged_0_17 * 1.44)},
            )
        la.demo_body = body
        local_authorities.append(la)

    providers = []
    services = []
    for b_index, body in enumerate(bodies):
        body_las = [la for la in local_authorities if la.demo_body == body]
        for p in range(spec.providers_per_body):
            code = f"Z{b_index + 1:02d}{p + 1:02d}"
            kind = "NHS Foundation Trust" if p % 2 == 0 else "Community Health NHS Trust"
            provider, _ = Provider.objects.update_or_create(
                ods_code=code,
                defaults={"name": f"{_place(b_index * 5 + p + 2)} {kind}", "is_active": True},
            )
            providers.append(provider)
            # Each provider runs a share of the service types.
            share = _SERVICE_PLAN[p :: spec.providers_per_body] or _SERVICE_PLAN[:1]
            for service_type, label in share:
                service, _ = Service.objects.update_or_create(
                    provider=provider,
                    name=label,
                    defaults={
                        "service_type": service_type,
                        "contact_email": f"{service_type.replace('_', '-')}.{code.lower()}"
                        "@example.org",
                        "is_active": True,
                    },
                )
                service.local_authorities.set(body_las)
                services.append(service)
    return DemoOrganisations(bodies, local_authorities, providers, services)
