"""Data versions: a counter per local authority that the database itself
moves on whenever a row the annual report reads is added, changed or
deleted, so a stored report can tell in one indexed read whether the data
in its scope has changed (docs/reports.md, "The stored PDF").

Why triggers, not signals: a stored report must never be served after the
data it shows changed, whichever way the change came: a form, the caseload
import (``bulk_create``), governance erasure (``QuerySet.update`` and
``delete``), Django admin, a data migration or SQL typed by hand. Django's
signals miss several of those; a trigger misses none. Each trigger bumps
the counter **in the writing transaction**, so the counter and the data
become visible together: a report keyed by version *v* was built from data
at least as new as *v*, and is served only while the version is still *v*.

Areas: each tracked table names the local authority its rows belong to
(:data:`AREA_OF`), the same path the report scopes them by; area 0 stands
for everything not tied to one authority (posts and officers' records,
commissioning links, services, Section 23 notices, which a body may
receive about a child of another area, the PA policy). Area 0 is in every report's
fingerprint. A row whose authority cannot be found counts as area 0.

The triggers are (re)installed after every ``migrate`` and dropped before
one (:func:`install`, :func:`uninstall`, wired in ``ReportsConfig``):
SQLite drops a table's triggers when a migration rebuilds the table, and a
migration may rename a column a trigger reads. A migration's own data
changes run without them, so :func:`install` moves area 0 on, which
changes every fingerprint.

PostgreSQL: one statement-level trigger per table and operation reading
the transition tables, so a bulk write bumps each area it touched once,
on one of the area's shards (:func:`_postgresql_bump`), so a long
transaction such as a caseload import never holds up the other writers of
its area. SQLite: row-level triggers on one row per area (SQLite has no
other kind, and one writer at a time, so there is no one to hold up).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.apps import apps
from django.db import connections
from django.db.models import Sum

from commissioning.models import CommissioningLink
from reports.indicators import Scope
from reports.models import DataVersion

EVERYWHERE = 0  # the area of rows not tied to one local authority

# Which local authority a row belongs to, as SQL over the row (``{row}``),
# by model label. Paths follow reports.metrics' scoping (ADVICE_LA,
# CHILD_LA: the copy of the child's area a record about a child keeps,
# request__local_authority). ``None``: area 0.
_REQUEST_LA = "(SELECT q.{request_la} FROM {request} q WHERE q.{request_pk} = {row}.{fk})"
_CHILD_LA = "(SELECT ch.{child_la} FROM {child} ch WHERE ch.{child_pk} = {row}.{fk})"
_CONTRIBUTION_LA = (
    "(SELECT q.{request_la} FROM {contribution} c JOIN {request} q "
    "ON q.{request_pk} = c.{contribution_request} WHERE c.{contribution_pk} = {row}.{fk})"
)
_ADVICE_LA = (
    "(SELECT q.{request_la} FROM {advice} a JOIN {contribution} c "
    "ON c.{contribution_pk} = a.{advice_contribution} JOIN {request} q "
    "ON q.{request_pk} = c.{contribution_request} WHERE a.{advice_pk} = {row}.{fk})"
)
_PLAN_LA = (
    "(SELECT ch.{child_la} FROM {plan} p JOIN {child} ch ON ch.{child_pk} = p.{plan_child} "
    "WHERE p.{plan_pk} = {row}.{fk})"
)
_IMPROVEMENT_PLAN_LA = (
    "(SELECT p.{improvement_plan_la} FROM {improvement_plan} p "
    "WHERE p.{improvement_plan_pk} = {row}.{fk})"
)
AREA_OF: dict[str, tuple[str, str] | None] = {
    # label: (template, the row's foreign key field) or None
    "ehc.Child": ("{row}.{fk}", "local_authority"),
    "ehc.HealthAdviceRequest": ("{row}.{fk}", "local_authority"),
    "ehc.Contribution": (_REQUEST_LA, "request"),
    "ehc.Advice": (_CONTRIBUTION_LA, "contribution"),
    "ehc.ProvisionItem": (_ADVICE_LA, "advice"),
    "ehc.QualityReview": (_ADVICE_LA, "advice"),
    "ehc.ReviewInput": ("{row}.{fk}", "local_authority"),  # the child's, copied
    "ehc.MediationCase": ("{row}.{fk}", "local_authority"),  # the child's, copied
    "ehc.TribunalCase": ("{row}.{fk}", "local_authority"),  # the child's, copied
    "ehc.PersonalHealthBudget": ("{row}.{fk}", "local_authority"),  # the child's, copied
    "commissioning.ChildPopulation": ("{row}.{fk}", "local_authority"),
    # The enquiries table of the quarterly and annual reports.
    "enquiries.Enquiry": ("{row}.{fk}", "local_authority"),
    # Plan audits and section G provision (reports/plan_metrics.py); a plan's
    # date attributes them to a body.
    "ehc.EHCPlan": (_CHILD_LA, "child"),
    "ehc.PlanAudit": (_PLAN_LA, "plan"),
    "ehc.PlanProvision": (_PLAN_LA, "plan"),
    # The improvement plan progress of the annual report (docs/improvement.md).
    "improvement.ImprovementPlan": ("{row}.{fk}", "local_authority"),
    "improvement.ImprovementAction": (_IMPROVEMENT_PLAN_LA, "plan"),
    # The summary store the reports read (a rebuild that repairs it moves
    # its areas on too).
    "ehc.RequestCount": ("{row}.{fk}", "local_authority"),
    "ehc.ContributionCount": ("{row}.{fk}", "local_authority"),
    "ehc.ReturnCount": ("{row}.{fk}", "local_authority"),
    "ehc.ProviderAskCount": ("{row}.{fk}", "local_authority"),
    "ehc.QualityReviewCount": ("{row}.{fk}", "local_authority"),
    "ehc.ProvisionGapCount": ("{row}.{fk}", "local_authority"),
    "ehc.LateCount": ("{row}.{fk}", "local_authority"),
    # (The month tables are rewritten with the day tables above, by the
    # same writer in the same transaction: their triggers would add cost
    # to every write and nothing to what the versions see.)
    "ehc.Section23Notice": None,
    "commissioning.CommissioningLink": None,
    # Which provider a service belongs to decides the by-provider figures.
    "commissioning.Service": None,
    # Services' waiting times (the service gaps section): a service spans areas.
    "ehc.ServiceWait": None,
    "roles.Post": None,
    "roles.PostDutyChange": None,
    "roles.Membership": None,
    "roles.TrainingSession": None,
    "roles.CPDEntry": None,
    "roles.PAPolicySettings": None,
}
# Many-to-many tables the report reads (which authorities and bodies a post covers).
M2M = (
    ("roles.Post", "local_authorities"),
    ("roles.Post", "commissioning_bodies"),
    ("commissioning.Service", "local_authorities"),  # the services covering an area
)

_PREFIX = "reports_dv_"
_SQLITE_TRIGGERS = (
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'"
)
_LIKE = _PREFIX.replace("_", r"\_") + "%"  # LIKE pattern: underscores taken literally


def tracked_tables() -> list[tuple[str, str]]:
    """(table, SQL giving a row's area over ``{row}``) for every table the
    annual report reads."""
    qn = connections["default"].ops.quote_name

    def meta(label):
        return apps.get_model(label)._meta

    request, contribution = meta("ehc.HealthAdviceRequest"), meta("ehc.Contribution")
    advice, child = meta("ehc.Advice"), meta("ehc.Child")
    plan = meta("ehc.EHCPlan")
    improvement_plan = meta("improvement.ImprovementPlan")
    names = {
        "request": qn(request.db_table),
        "request_pk": qn(request.pk.column),
        "request_la": qn(request.get_field("local_authority").column),
        "contribution": qn(contribution.db_table),
        "contribution_pk": qn(contribution.pk.column),
        "contribution_request": qn(contribution.get_field("request").column),
        "advice": qn(advice.db_table),
        "advice_pk": qn(advice.pk.column),
        "advice_contribution": qn(advice.get_field("contribution").column),
        "child": qn(child.db_table),
        "child_pk": qn(child.pk.column),
        "child_la": qn(child.get_field("local_authority").column),
        "plan": qn(plan.db_table),
        "plan_pk": qn(plan.pk.column),
        "plan_child": qn(plan.get_field("child").column),
        "improvement_plan": qn(improvement_plan.db_table),
        "improvement_plan_pk": qn(improvement_plan.pk.column),
        "improvement_plan_la": qn(improvement_plan.get_field("local_authority").column),
    }
    out = []
    for label, area in AREA_OF.items():
        opts = meta(label)
        if area is None:
            out.append((opts.db_table, str(EVERYWHERE)))
            continue
        template, fk = area
        column = qn(opts.get_field(fk).column)
        out.append((opts.db_table, template.format(**names, fk=column, row="{row}")))
    for label, field in M2M:
        out.append((meta(label).get_field(field).remote_field.through._meta.db_table, "0"))
    return out


def _trigger_name(table: str, operation: str = "") -> str:
    return f"{_PREFIX}{table}{'_' + operation if operation else ''}"[:63]


SHARDS = 8  # counter rows per area on PostgreSQL


def _upsert_sql(area_rows: str) -> str:
    """SQLite: one more for each area in ``area_rows`` (a SELECT of
    ``area``), on its one row (shard 0). SQLite has one writer at a time,
    so there is nobody to hold up."""
    table = DataVersion._meta.db_table
    return (
        f"INSERT INTO {table} (area, shard, version) SELECT area, 0, 1 FROM ({area_rows}) s "
        f"WHERE true ON CONFLICT (area, shard) DO UPDATE SET version = {table}.version + 1"
    )


def _area(expression: str, row: str) -> str:
    return f"COALESCE({expression.format(row=row)}, {EVERYWHERE})"


_BUMP = _PREFIX + "bump"


def _postgresql_bump() -> str:
    """PostgreSQL: ``reports_dv_bump(area)`` moves one of the area's shards
    on: the first one this transaction already holds or nobody holds
    (``SKIP LOCKED`` never skips a row locked by the transaction itself),
    so a long transaction keeps to one shard and the others stay free for
    everyone else; only with every shard busy does it wait for one."""
    table = DataVersion._meta.db_table
    pick = (
        f"SELECT shard INTO s FROM {table} WHERE area = a "
        "ORDER BY shard LIMIT 1 FOR UPDATE SKIP LOCKED;"
    )
    return f"""CREATE OR REPLACE FUNCTION {_BUMP}(a bigint) RETURNS void LANGUAGE plpgsql
AS $body$
DECLARE s integer;
BEGIN
  {pick}
  IF NOT FOUND THEN
    INSERT INTO {table} (area, shard, version)
      SELECT a, g, 0 FROM generate_series(0, {SHARDS - 1}) g ON CONFLICT DO NOTHING;
    {pick}
    IF NOT FOUND THEN
      s := (txid_current() % {SHARDS})::integer;
    END IF;
  END IF;
  UPDATE {table} SET version = version + 1 WHERE area = a AND shard = s;
END;
$body$"""


def _postgresql(table: str, expression: str) -> list[str]:
    function = _trigger_name(table)
    new = f"SELECT {_area(expression, 'n')} AS area FROM new_rows n"
    old = f"SELECT {_area(expression, 'o')} AS area FROM old_rows o"

    def bump(rows: str) -> str:
        # Each area once per statement, in area order (two writers take
        # the areas they share in the same order).
        return (
            f"FOR a IN SELECT DISTINCT area FROM ({rows}) s ORDER BY area LOOP "
            f"PERFORM {_BUMP}(a); END LOOP"
        )

    body = (
        "DECLARE a bigint;\nBEGIN\n"
        f"IF TG_OP = 'INSERT' THEN {bump(new)};\n"
        f"ELSIF TG_OP = 'DELETE' THEN {bump(old)};\n"
        f"ELSE {bump(f'{new} UNION ALL {old}')};\n"
        "END IF;\nRETURN NULL;\nEND;"
    )
    statements = [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $body$\n{body}\n$body$"
    ]
    tables = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    for operation, transition in tables.items():
        name = _trigger_name(table, operation.lower())
        statements += [
            f'DROP TRIGGER IF EXISTS {name} ON "{table}"',
            f'CREATE TRIGGER {name} AFTER {operation} ON "{table}" REFERENCING {transition} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite(table: str, expression: str) -> list[str]:
    statements = []
    rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
    for operation, which in rows.items():
        name = _trigger_name(table, operation)
        bumps = " ".join(
            _upsert_sql(f"SELECT {_area(expression, row)} AS area") + ";" for row in which
        )
        statements += [
            f'DROP TRIGGER IF EXISTS "{name}"',
            f'CREATE TRIGGER "{name}" AFTER {operation.upper()} ON "{table}" BEGIN {bumps} END',
        ]
    return statements


def trigger_sql(vendor: str, existing: set[str] | None = None) -> list[str]:
    """The statements that (re)create every trigger on ``vendor``; with
    ``existing`` (table names), only on the tables among them."""
    build = {"postgresql": _postgresql, "sqlite": _sqlite}[vendor]
    first = [_postgresql_bump()] if vendor == "postgresql" else []
    return first + [
        sql
        for table, expression in tracked_tables()
        if existing is None or table in existing
        for sql in build(table, expression)
    ]


def install(using: str = "default") -> None:
    """Create (or replace) the triggers on every tracked table that exists
    (``migrate`` of one app, or back to before another app's tables, leaves
    some out: the next full ``migrate`` adds them), give every local
    authority its
    counter rows (PostgreSQL: so that a long transaction writing first in
    an area never holds up that area's other writers while it creates
    them), and move area 0 on (changes made while the triggers were
    absent, by a migration, are then caught)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if DataVersion._meta.db_table not in existing:
        return  # migrated back to before the table existed
    with connection.cursor() as cursor:
        for sql in trigger_sql(connection.vendor, existing):
            cursor.execute(sql)
        authorities = apps.get_model("commissioning.LocalAuthority")._meta
        if connection.vendor == "postgresql" and authorities.db_table in existing:
            cursor.execute(
                f"INSERT INTO {DataVersion._meta.db_table} (area, shard, version) "
                f"SELECT la.{authorities.pk.column}, g, 0 FROM {authorities.db_table} la "
                f"CROSS JOIN generate_series(0, {SHARDS - 1}) g ON CONFLICT DO NOTHING"
            )
    bump(EVERYWHERE, using=using)


def uninstall(using: str = "default") -> None:
    """Drop every trigger and function this module made (before a migration)."""
    connection = connections[using]
    if DataVersion._meta.db_table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(_SQLITE_TRIGGERS, [_LIKE])
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        else:
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [_LIKE])
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")


def installed(using: str = "default") -> set[str]:
    """Names of the triggers present (compared with :func:`expected_triggers`
    by the tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(_SQLITE_TRIGGERS, [_LIKE])
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE %s",
                [_LIKE],
            )
        return {name for (name,) in cursor.fetchall()}


def expected_triggers() -> set[str]:
    return {
        _trigger_name(table, operation)
        for table, _ in tracked_tables()
        for operation in ("insert", "update", "delete")
    }


def bump(area: int, *, using: str = "default") -> None:
    """Move one area on by hand (after the triggers are installed)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {_BUMP}(%s)", [area])
        else:
            cursor.execute(_upsert_sql("SELECT %s AS area"), [area])


def versions(areas: Iterable[int] | None) -> dict[int, int]:
    """{area: version} for ``areas`` and area 0 (None: every area): the sum
    of each area's shards. One read of a table holding a few rows per local
    authority, by its (area, shard) index."""
    rows = DataVersion.objects.order_by()
    if areas is not None:
        rows = rows.filter(area__in={EVERYWHERE, *areas})
    return dict(rows.values("area").annotate(total=Sum("version")).values_list("area", "total"))


def scope_areas(scope: Scope) -> set[int] | None:
    """The local authorities whose data a report of ``scope`` can read
    (None: every one). A body's are every authority ever linked to it
    (records are attributed through dated links; a link changed moves
    area 0, which every fingerprint reads). Chosen authorities narrow it.
    A provider's report reads within these, so it needs no more."""
    if scope.la_ids is not None:
        return set(scope.la_ids)
    if scope.body_id is not None:
        return set(
            CommissioningLink.objects.filter(commissioning_body_id=scope.body_id).values_list(
                "local_authority_id", flat=True
            )
        )
    return None


def fingerprint(scope: Scope | None = None) -> str:
    """A digest (64 hex characters) that changes whenever the data a report
    of ``scope`` reads does (every report's data when None): the versions of
    its local authorities and of area 0, moved on by the triggers above
    whatever wrote the rows. Two indexed reads at most (a body's
    authorities, then the versions), whatever the history's size. Names of
    authorities, providers and services are not included: renaming one
    does not rebuild old PDFs."""
    areas = scope_areas(scope) if scope is not None else None
    found = versions(areas)
    return hashlib.sha256(json.dumps(sorted(found.items())).encode()).hexdigest()
