"""The requests' month rows by each breakdown apart (``breakdown``, ``key``)
instead of by the product of their breakdowns, which held nearly one row
per request (docs/reports.md, "The summary store"). The table is made
again and filled from the request day rows (ehc.summary.roll_up_months);
nothing else changes."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import roll_up_months

    roll_up_months(apps=apps, tables=["request"])


def fill_before(apps, schema_editor):
    """Undoing: the month rows of the earlier shape (by every breakdown at
    once) again, from the request day rows, so code from before this
    migration reads whole months right."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from ehc.summary import REQUEST_DIMENSIONS

    day = apps.get_model("ehc", "RequestCount")._default_manager
    month = apps.get_model("ehc", "RequestMonth")
    month._default_manager.all().delete()
    rows = (
        day.annotate(month=TruncMonth("received_on"))
        .order_by()
        .values_list("local_authority_id", "month", *REQUEST_DIMENSIONS)
        .annotate(total=Sum("count"))
    )
    month._default_manager.bulk_create(
        (
            month(
                local_authority_id=la_id,
                month=first,
                count=total,
                **dict(zip(REQUEST_DIMENSIONS, values, strict=True)),
            )
            for la_id, first, *values, total in rows.iterator()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0024_summary_unjudged_index"),
    ]

    operations = [
        # Runs last when undone: the earlier shape's rows again.
        migrations.RunPython(migrations.RunPython.noop, fill_before),
        migrations.DeleteModel(name="RequestMonth"),
        migrations.CreateModel(
            name="RequestMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.DateField(help_text="The first day of the month of the figure's date."),
                ),
                ("count", models.PositiveIntegerField()),
                ("breakdown", models.CharField(max_length=8)),
                ("key", models.CharField(max_length=24)),
                (
                    "local_authority",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.localauthority",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["local_authority", "month"], name="sum_request_month")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
