"""Casework at scale in seconds, with SQL (PostgreSQL only): the shape the
national-scale issue describes, for the reminder and stored-report benches.

``add_casework(requests, today)`` adds ``requests`` requests spread over
the authorities already loaded (by ``seed_demo``), received over the last
four years, four contributions each:

- 86 in 100 closed long ago (every contribution returned);
- 4 in 100 withdrawn with two contributions left outstanding (marked, so
  outside the partial indexes of outstanding work);
- 8 in 100 still awaiting and long overdue (two contributions outstanding);
- the rest received in the last 90 days and awaiting (two outstanding, one
  with an earlier return-by date).

Every row is dated as saved two days ago, so nothing counts as edited since
yesterday's run. Bypasses the services on purpose: it is a load, not a
use of the portal.
"""

from __future__ import annotations

import datetime

from django.db import connection

_SQL = """
WITH las AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM commissioning_localauthority
), services AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM commissioning_service
), officer AS (
    SELECT min(id) AS id FROM accounts_user WHERE role = 'designated_officer'
), kids AS (
    INSERT INTO ehc_child (version, created_at, updated_at, nhs_number, la_reference,
        given_name, family_name, date_of_birth, primary_need, looked_after,
        electively_home_educated, known_to_youth_justice, continuing_care, local_authority_id)
    SELECT 1, %(saved)s, %(saved)s, '', '', 'Scale', 'Child ' || g,
        DATE '2012-01-01' + (g %% 4000), 'asd', false, false, false, false,
        las.ids[1 + g %% array_length(las.ids, 1)]
    FROM generate_series(1, %(children)s) g, las
    RETURNING id, local_authority_id
), numbered AS (
    SELECT id, local_authority_id, row_number() OVER (ORDER BY id) AS n FROM kids
), requests AS (
    INSERT INTO ehc_healthadvicerequest (version, created_at, updated_at, la_reference,
        process, sent_on, received_on, due_on, status, closed_on, notes, child_id,
        local_authority_id, owner_id)
    SELECT 1, %(saved)s, %(saved)s, '', 'needs_assessment', r.received, r.received,
        r.received + 42,
        CASE WHEN r.kind = 'closed' THEN 'closed' WHEN r.kind = 'withdrawn' THEN 'withdrawn'
             ELSE 'awaiting' END,
        CASE WHEN r.kind IN ('closed', 'withdrawn') THEN r.received + 60 END,
        '', c.id, c.local_authority_id,
        CASE WHEN r.kind IN ('overdue', 'recent') THEN officer.id END
    FROM (
        SELECT g,
            CASE WHEN g %% 100 < 86 THEN 'closed' WHEN g %% 100 < 90 THEN 'withdrawn'
                 WHEN g %% 100 < 98 THEN 'overdue' ELSE 'recent' END AS kind,
            CASE WHEN g %% 100 >= 98 THEN %(today)s::date - (g %% 90)
                 ELSE %(today)s::date - 91 - (g %% 1400) END AS received
        FROM generate_series(1, %(requests)s) g
    ) r
    JOIN numbered c ON c.n = 1 + r.g %% %(children)s, officer
    RETURNING id, received_on, due_on, status, owner_id
)
INSERT INTO ehc_contribution (version, created_at, updated_at, asked_on, due_on, returned_on,
    outcome, declined_reason, late_reason, late_note, exception, exception_evidence,
    service_id, request_id, left_outstanding, return_by, working_due_on)
SELECT 1, %(saved)s, %(saved)s, q.received_on, q.due_on,
    CASE WHEN q.status = 'closed' OR k < 2 THEN q.received_on + 30 END,
    CASE WHEN q.status = 'closed' OR k < 2 THEN 'advice_given' ELSE '' END,
    '', '', '', '', '',
    services.ids[1 + (q.id * 4 + k) %% array_length(services.ids, 1)], q.id,
    CASE WHEN q.status = 'withdrawn' AND k >= 2 THEN 'withdrawn' ELSE '' END,
    CASE WHEN q.status = 'awaiting' AND k = 3 THEN q.due_on - 7 END,
    CASE WHEN q.status = 'awaiting' AND k = 3 THEN q.due_on - 7 ELSE q.due_on END
FROM requests q, generate_series(0, 3) k, services
WHERE q.status <> 'withdrawn' OR k >= 1
"""


def add_casework(requests: int, today: datetime.date) -> None:
    """Add ``requests`` requests and their contributions (see the module)."""
    if connection.vendor != "postgresql":
        raise SystemExit("The scale data set is built with PostgreSQL's generate_series.")
    saved = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            {
                "saved": saved,
                "today": today,
                "requests": requests,
                "children": max(requests // 2, 1),
            },
        )
        cursor.execute("ANALYZE")
