"""Load deterministic synthetic data for demonstrations, tests and benchmarks.

    python manage.py seed_demo --size small|medium|large|national [--seed N] [--force]

Safe to run again: records are matched on their codes and email addresses
and updated, never duplicated. Synthetic EHC casework (children, requests,
advice...) is replaced on each run, dated relative to today (portal/demo/casework.py).
Refuses to run with DEBUG off (a production database) unless --force is given.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo.api import seed_api
from portal.demo.casework import seed_casework
from portal.demo.enquiries import delete_demo_enquiries, seed_enquiries
from portal.demo.improvement import seed_improvement
from portal.demo.organisations import SIZES, seed_organisations
from portal.demo.plans import delete_demo_plans, plans_summary, seed_plans
from portal.demo.posts import seed_posts
from portal.demo.reviews import review_summary, seed_reviews
from portal.demo.users import DEMO_USERS, seed_users
from portal.demo.waits import seed_waits_and_flags


class Command(BaseCommand):
    help = (
        "Create or refresh synthetic demo organisations, one demo user per role and "
        "synthetic EHC casework."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. Never use on a live database.",
        )

    def handle(self, *args, size: str, seed: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo adds demo users with a known password, so it refuses to run "
                "with DEBUG off. Set DEBUG=1 for a development database, or pass --force "
                "if you are sure this is not a live system."
            )
        with transaction.atomic():
            organisations = seed_organisations(size, seed)
            seed_users(organisations, password=settings.DEMO_PASSWORD)
            posts = seed_posts(organisations, seed=seed)
            # Enquiries may name demo children: gone before the casework is replaced.
            delete_demo_enquiries(organisations.local_authorities)
            delete_demo_plans()  # a plan protects its child: gone before the casework
            casework = seed_casework(organisations, seed=seed, size=size)
            enquiries = seed_enquiries(organisations, seed=seed)
            # Audited plans first; the reviews give a plan to the children still without one.
            plans = seed_plans(organisations, seed=seed)
            reviews = seed_reviews(seed=seed)
            waits = seed_waits_and_flags(organisations, seed=seed)
            actions = seed_improvement(organisations)
            api = seed_api(organisations)
        counts = ", ".join(
            _count(n, one, many)
            for n, one, many in (
                (len(organisations.bodies), "commissioning body", "commissioning bodies"),
                (len(organisations.local_authorities), "local authority", "local authorities"),
                (len(organisations.providers), "provider", "providers"),
                (len(organisations.services), "service", "services"),
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ({size}, seed {seed}): {counts}."))
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(casework["by_status"].items()))
        self.stdout.write(
            self.style.SUCCESS(
                "Demo casework: "
                + ", ".join(
                    _count(n, one, many)
                    for n, one, many in (
                        (casework["children"], "child", "children"),
                        (casework["requests"], "request", "requests"),
                        (casework["contributions"], "contribution", "contributions"),
                        (casework["advice"], "piece of advice", "pieces of advice"),
                        (casework["quality_reviews"], "quality review", "quality reviews"),
                    )
                )
                + f" (requests: {statuses})."
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Demo enquiries: {enquiries} (3 open in each area)."))
        self.stdout.write(self.style.SUCCESS(plans_summary(plans)))
        self.stdout.write(self.style.SUCCESS(review_summary(reviews)))
        self.stdout.write(self.style.SUCCESS(waits))
        self.stdout.write(self.style.SUCCESS(f"Demo improvement plan actions: {actions}."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo designated officer posts: {posts['posts']} "
                f"({posts['vacant']} vacant, {posts.get('under_minimum', 0)} DMO posts under "
                f"the 2 PA minimum, {posts.get('agreed', 0)} with a local agreement on time)."
            )
        )
        self.stdout.write(f"Demo API token of {api['account'].email} (docs/api.md): {api['token']}")
        self.stdout.write("Demo sign-ins (password from DEMO_PASSWORD):")
        for email, _full_name, label, *_ in DEMO_USERS:
            self.stdout.write(f"  {label:<34} {email}")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
