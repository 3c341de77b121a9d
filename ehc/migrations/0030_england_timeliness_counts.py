"""England's timeliness rows fold their verdicts and flags into counts (issue
18; docs/reports.md, "England's month rows"): one row per month, service,
provider and process holding the six counts the timeliness figures read
(ehc.summary.TIMELINESS_COUNTS), instead of a row per combination of
verdict and flags (174,920 rows for two years at national scale, about a
third as many after). The table is made again and filled from the due month
rows (ehc.summary.fill_england, which writes every England table again);
migrating back makes and fills the old table the same way. (Today's
fill_england leaves the timeliness and quality tables to 0032 and 0034,
which reshape and fill them.)"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum

PROCESSES = [
    ("needs_assessment", "New EHC needs assessment"),
    ("reassessment", "Reassessment"),
    ("annual_review", "Annual review"),
    ("phase_transfer", "Phase transfer review"),
    ("mediation", "Mediation"),
    ("tribunal", "Tribunal"),
]

def fill(apps, schema_editor):
    from ehc.summary import fill_england

    fill_england(apps=apps)


def fill_by_verdict(apps, schema_editor):
    """Migrating back: the old rows, one per key of verdict and flags, from
    the due month rows (what 0029 wrote)."""
    england = apps.get_model("ehc", "ContributionDueEngland")
    months = apps.get_model("ehc", "ContributionDueMonth")
    keys = (
        "month",
        "service_id",
        "provider_id",
        "process",
        "verdict",
        "excepted",
        "withdrawn",
        "review_recorded",
    )
    rows = months._default_manager.order_by().values_list(*keys).annotate(total=Sum("count"))
    england._default_manager.bulk_create(
        (england(**dict(zip(keys, key, strict=True)), count=n) for *key, n in rows.iterator()),
        batch_size=2000,
    )


def _count(help_text: str) -> models.IntegerField:
    return models.IntegerField(help_text=help_text)


class Migration(migrations.Migration):

    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0029_england_month_rows"),
    ]

    operations = [
        # Migrating back, this runs last: the old table is back, empty.
        migrations.RunPython(migrations.RunPython.noop, fill_by_verdict),
        migrations.DeleteModel(name="ContributionDueEngland"),
        migrations.CreateModel(
            name="ContributionDueEngland",
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
                ("process", models.CharField(choices=PROCESSES, max_length=20)),
                ("withdrawn", _count("Left out, unreturned, when the LA withdrew the request.")),
                ("counted", _count("Not withdrawn: judged once due (the timeliness figures).")),
                ("on_time", _count("Not withdrawn, returned on time.")),
                ("excepted", _count("Not withdrawn, a reg 8(2) exception recorded.")),
                (
                    "excepted_on_time",
                    _count("Not withdrawn, an exception recorded, returned on time."),
                ),
                ("unrecorded", _count("Not withdrawn, not linked to a review meeting.")),
                (
                    "provider",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.provider",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.service",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["month"], name="england_due_month")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
