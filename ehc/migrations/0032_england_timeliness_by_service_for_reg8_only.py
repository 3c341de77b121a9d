"""England's timeliness rows keep the service and provider for reg 8 advice
only (issue 18; docs/reports.md, "England's month rows"): the other
processes are never shown by service, so their rows become one per month
and process (at national scale about 62,600 rows for the two years a
year's dashboard reads, a third as many after). England's timeliness rows
are written again from the month rows (ehc.summary.fill_england) with
every area's lock held; migrating back writes the timeliness rows again with a
service and provider on each, as 0030 left them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q, Sum


def lock(apps, schema_editor):
    """Every area's lock and England's, before any step takes a lock on
    England's tables: a writer holding an area's lock may be about to
    append to them, and would otherwise wait on this migration while it
    waits on the writer."""
    from ehc.summary import _lock_everything

    _lock_everything(apps)


def fill(apps, schema_editor):
    from ehc.summary import fill_england

    if schema_editor.connection.vendor == "postgresql":
        # Emptied whole: a new file, not two thirds of the old one left dead.
        schema_editor.execute("TRUNCATE ehc_contributiondueengland")
    fill_england(apps=apps, names=["ContributionDueMonth"])


def fill_by_service(apps, schema_editor):
    """Migrating back: every process's rows by service and provider, the
    six counts of each (what 0030 wrote). The first step back: it takes
    the locks (:func:`lock`)."""
    lock(apps, schema_editor)
    england = apps.get_model("ehc", "ContributionDueEngland")
    months = apps.get_model("ehc", "ContributionDueMonth")
    counted = Q(withdrawn=False)
    counts = {
        "withdrawn": Q(withdrawn=True),
        "counted": counted,
        "on_time": counted & Q(verdict="on_time"),
        "excepted": counted & Q(excepted=True),
        "excepted_on_time": counted & Q(excepted=True, verdict="on_time"),
        "unrecorded": counted & Q(review_recorded=False),
    }
    keys = ("month", "service_id", "provider_id", "process")
    rows = (
        months._default_manager.order_by()
        .values_list(*keys)
        .annotate(**{f"sum_{c}": Sum("count", filter=q, default=0) for c, q in counts.items()})
    )
    england._default_manager.all().delete()
    england._default_manager.bulk_create(
        (
            england(
                **dict(zip(keys, row[:4], strict=True)), **dict(zip(counts, row[4:], strict=True))
            )
            for row in rows.iterator()
        ),
        batch_size=2000,
    )
    # The columns are made required next, in this transaction: PostgreSQL
    # will not alter a table with foreign key checks still pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0031_england_overdue_month_ends"),
    ]

    operations = [
        migrations.RunPython(lock, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contributiondueengland",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                help_text="Reg 8 advice only.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="commissioning.provider",
            ),
        ),
        migrations.AlterField(
            model_name="contributiondueengland",
            name="service",
            field=models.ForeignKey(
                db_index=False,
                help_text="Reg 8 advice only.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="commissioning.service",
            ),
        ),
        migrations.RunPython(fill, fill_by_service),
    ]
