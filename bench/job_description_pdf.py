"""How long a full job description PDF takes to render (aim: under 0.5 s).

    make bench-roles                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-roles
    BENCH_RUNS=50 make bench-roles

Builds a throwaway test database, loads the small demo data (which holds
the two national templates and a post on each), adds local changes to one
post so every part of the document is exercised, then requests the PDF of
the demo DMO's post (BACCH/BACD template) and of the demo DCO's post (the
larger CDC template, with its full person specification) through Django's
test client. Prints the median and 95th percentile, the page count and the
size. Figures are printed, not asserted.
"""

from __future__ import annotations

import io
import os
import statistics
import time

from _bench import throwaway_database  # first: it sets Django up
from django.core.management import call_command
from django.db import connection
from django.test import Client

RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def main() -> None:
    from pypdf import PdfReader

    from accounts.models import User
    from roles.models import DutyChangeKind, Post, PostDutyChange, SectionArea

    with throwaway_database():
        call_command("seed_demo", size="small", force=True, stdout=open(os.devnull, "w"))
        admin = User.objects.get(email="admin@example.org")
        client = Client()
        client.force_login(admin)
        print(f"{connection.vendor}; {RUNS} runs per document")
        print(f"{'document':<58}{'median s':>9}{'p95 s':>8}{'pages':>6}{'KB':>6}")
        for email in ("dmo@example.org", "dco@example.org"):
            post = Post.objects.filter(holder__email=email).first()
            if post is None:
                print(f"no demo post held by {email}")
                continue
            duty = post.template.sections.first().duties.first()
            PostDutyChange.objects.get_or_create(
                post=post, duty=duty, defaults={"kind": DutyChangeKind.REWORDED, "text": duty.text}
            )
            PostDutyChange.objects.get_or_create(
                post=post,
                kind=DutyChangeKind.ADDED,
                section_area=SectionArea.TRAINING,
                defaults={"text": "Lead the area's annual health SEND training day."},
            )
            url = f"/roles/posts/{post.pk}/job-description.pdf"
            client.get(url)  # warm up fonts and templates
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            times.sort()
            pages = len(PdfReader(io.BytesIO(response.content)).pages)
            label = f"{post.role.upper()} post, template {post.template.family}"
            print(
                f"{label:<58}{statistics.median(times):>9.3f}"
                f"{times[max(int(len(times) * 0.95) - 1, 0)]:>8.3f}{pages:>6}"
                f"{len(response.content) // 1024:>6}"
            )


if __name__ == "__main__":
    main()
