"""How long a 10,000-row tracker takes to import (docs/caseload-import.md).

    make bench-import                                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-import
    BENCH_ROWS=2000 make bench-import                      # a smaller file

Builds a throwaway database (never your own), one local authority with
three services and a designated officer, and a tracker of BENCH_ROWS rows
(children with one or two requests, each asking one to three services,
half of them returned), then times: the preview (the whole check, rolled
back), the import (all or nothing, audited), and the same file imported
again (which must change nothing), each with reading and planning the
file. Figures are printed, and whether the import keeps to the target of
10,000 rows in under a minute.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import random
import time

from _bench import throwaway_database  # first: it sets Django up

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
TODAY = datetime.date(2026, 6, 15)
HEADERS = [
    "NHS number",
    "LA reference",
    "First name",
    "Last name",
    "DOB",
    "Primary need",
    "Process",
    "Date LA sent request",
    "Date health received request",
    "Service",
    "Date returned",
    "Outcome",
]


def nhs_numbers():
    """Valid NHS numbers, in order (modulus 11 check digit)."""
    for base in range(400_000_000, 999_999_999):
        digits = str(base)
        check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            yield digits + str(check)


def tracker(services: list[str]) -> bytes:
    rng = random.Random(17)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    numbers = nhs_numbers()
    written, child = 0, 0
    while written < ROWS:
        child += 1
        nhs = next(numbers)
        born = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(5000))
        need = rng.choice(["ASD", "SLCN", "SEMH", "MLD"])
        first = datetime.date(2025, 1, 6) + datetime.timedelta(days=rng.randrange(250))
        for request in range(rng.choice((1, 1, 2))):
            received = first + datetime.timedelta(days=200 * request)
            sent = received - datetime.timedelta(days=rng.randrange(4))
            for service in rng.sample(services, rng.choice((1, 2, 3))):
                returned = received + datetime.timedelta(days=rng.randrange(5, 40))
                done = returned <= TODAY and rng.random() < 0.5
                writer.writerow(
                    [
                        f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
                        f"LA{child:06d}",
                        f"Child{child}",
                        "Benchmark",
                        born.strftime("%d/%m/%Y"),
                        need,
                        "New EHC needs assessment",
                        sent.strftime("%d/%m/%Y"),
                        received.strftime("%d/%m/%y"),
                        service,
                        returned.strftime("%d/%m/%Y") if done else "",
                        "Advice given" if done else "",
                    ]
                )
                written += 1
                if written == ROWS:
                    return out.getvalue().encode()
    return out.getvalue().encode()


def main() -> None:
    with throwaway_database():
        from unittest import mock

        from django.conf import settings
        from django.db import connection

        from accounts.models import User
        from accounts.roles import OfficerKind, Role
        from commissioning.models import LocalAuthority, Provider, Service
        from ehc.caseload_import import apply, reading
        from ehc.caseload_import.plan import build_plan
        from ehc.models import Child, Contribution, HealthAdviceRequest

        settings.DEBUG = False  # no query log: time the import, not the logging
        la = LocalAuthority.objects.create(gss_code="E06000099", name="Benchmark Borough")
        provider = Provider.objects.create(ods_code="RBM", name="Benchmark Community Trust")
        names = ["Community paediatrics", "Speech and language therapy", "CAMHS"]
        for name in names:
            Service.objects.create(
                provider=provider, name=name, service_type="community_paediatrics"
            ).local_authorities.set([la])
        officer = User.objects.create(
            email="bench@example.org",
            full_name="Bench Officer",
            role=Role.DESIGNATED_OFFICER,
            officer_kind=OfficerKind.DCO,
        )
        officer.local_authorities.set([la])
        data = tracker(names)
        print(f"{connection.vendor}: {ROWS:,} rows ({len(data) / 1e6:.1f} MB)")
        taken = {}
        with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
            for attempt, dry_run in (
                ("preview", True),
                ("first import", False),
                ("same file again", False),
            ):
                began = time.perf_counter()
                sheet = reading.read(data, "bench.csv")
                plan = build_plan(sheet, user=officer, today=TODAY)
                planned = time.perf_counter()
                problems = apply.run(plan, by=officer, dry_run=dry_run)
                ended = time.perf_counter()
                taken[attempt] = ended - began
                if problems:
                    print(f"  {len(problems)} problems, nothing kept: {problems[:3]}")
                counts = apply.counts(plan)
                print(
                    f"  {attempt}: {ended - began:.1f} s in all (read and plan "
                    f"{planned - began:.1f} s, write {ended - planned:.1f} s); "
                    + ", ".join(f"{k} {v}" for k, v in counts.items())
                )
        rate = ROWS / taken["first import"]
        verdict = "met" if taken["first import"] * 10_000 / ROWS < 60 else "NOT met"
        print(
            f"  {rate:,.0f} rows a second: 10,000 rows in under a minute is {verdict} "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
        print(
            f"  held: {Child.objects.count():,} children, "
            f"{HealthAdviceRequest.objects.count():,} requests, "
            f"{Contribution.objects.count():,} services asked"
        )


if __name__ == "__main__":
    main()
