"""England's quality review rows fold their ratings into counts (issue 18;
docs/reports.md, "England's month rows"): one row per month, service and
provider holding the reviews rated green, amber and red
(ehc.summary.QUALITY_COUNTS), instead of a row per rating (about 31,600
rows for the two years a year's dashboard reads at national scale, about
a third as many after). The table is made again and filled from the
quality month rows (ehc.summary.fill_england, with every area's lock
held); migrating back makes and fills the old table the same way."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum


def lock(apps, schema_editor):
    """Every area's lock and England's, before any step takes a lock on
    England's tables, either way: a writer holding an area's lock may be
    about to append to them, and would otherwise wait on this migration
    while it waits on the writer."""
    from ehc.summary import _lock_everything

    _lock_everything(apps)


def fill(apps, schema_editor):
    from ehc.summary import fill_england

    fill_england(apps=apps, names=["QualityReviewMonth"])


def fill_by_rating(apps, schema_editor):
    """Migrating back: the old rows, one per rating, from the quality month
    rows (what 0029 wrote)."""
    england = apps.get_model("ehc", "QualityReviewEngland")
    months = apps.get_model("ehc", "QualityReviewMonth")
    keys = ("month", "service_id", "provider_id", "rating")
    rows = months._default_manager.order_by().values_list(*keys).annotate(total=Sum("count"))
    england._default_manager.bulk_create(
        (england(**dict(zip(keys, key, strict=True)), count=n) for *key, n in rows.iterator()),
        batch_size=2000,
    )


def _counted_by(model: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=model,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0033_request_month_totals_by_area_index"),
    ]

    operations = [
        migrations.RunPython(lock, migrations.RunPython.noop),
        # Migrating back, this runs last: the old table is back, empty.
        migrations.RunPython(migrations.RunPython.noop, fill_by_rating),
        migrations.DeleteModel(name="QualityReviewEngland"),
        migrations.CreateModel(
            name="QualityReviewEngland",
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
                ("green", models.IntegerField(help_text="Reviews rated green.")),
                ("amber", models.IntegerField(help_text="Reviews rated amber.")),
                ("red", models.IntegerField(help_text="Reviews rated red.")),
                ("provider", _counted_by("commissioning.provider")),
                ("service", _counted_by("commissioning.service")),
            ],
            options={
                "indexes": [models.Index(fields=["month"], name="england_quality_month")],
            },
        ),
        # Migrating back, this runs first.
        migrations.RunPython(fill, lock),
    ]
