"""The summary store's quality reviews, unavailable provision and late
contributions (decision 0010), filled from the casework already recorded
(ehc.summary.rebuild_summary of these three tables only)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import rebuild_summary

    rebuild_summary(apps=apps, tables=("quality", "gap", "late"))


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0019_record_date_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="LateCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("received_on", models.DateField()),
                (
                    "kept",
                    models.BooleanField(
                        default=False, help_text="Counts of erased children's records."
                    ),
                ),
                ("count", models.PositiveIntegerField()),
                ("due_on", models.DateField()),
                ("returned_on", models.DateField(null=True)),
                ("closed_on", models.DateField(null=True)),
                ("excepted", models.BooleanField()),
                (
                    "late_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("waiting_list", "Waiting list for assessment"),
                            ("staffing", "Staff shortage or absence"),
                            ("request_incomplete", "LA request incomplete or without consent"),
                            ("forwarded_late", "Request reached the service late"),
                            ("appointment_capacity", "No appointment available in time"),
                            ("administrative", "Administrative delay"),
                            ("other", "Other (say why in the note)"),
                        ],
                        max_length=24,
                    ),
                ),
                (
                    "local_authority",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.localauthority",
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
                "indexes": [
                    models.Index(fields=["local_authority", "received_on"], name="sum_late_day"),
                    models.Index(
                        fields=["local_authority", "returned_on"], name="sum_late_returned"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ProvisionGapCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("received_on", models.DateField()),
                (
                    "kept",
                    models.BooleanField(
                        default=False, help_text="Counts of erased children's records."
                    ),
                ),
                ("count", models.PositiveIntegerField()),
                ("written_on", models.DateField()),
                (
                    "local_authority",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.localauthority",
                    ),
                ),
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
                "indexes": [
                    models.Index(fields=["local_authority", "received_on"], name="sum_gap_day"),
                    models.Index(fields=["local_authority", "written_on"], name="sum_gap_written"),
                ],
            },
        ),
        migrations.CreateModel(
            name="QualityReviewCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("received_on", models.DateField()),
                (
                    "kept",
                    models.BooleanField(
                        default=False, help_text="Counts of erased children's records."
                    ),
                ),
                ("count", models.PositiveIntegerField()),
                ("reviewed_on", models.DateField()),
                (
                    "rating",
                    models.CharField(
                        choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
                        max_length=5,
                    ),
                ),
                (
                    "local_authority",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="commissioning.localauthority",
                    ),
                ),
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
                "indexes": [
                    models.Index(fields=["local_authority", "received_on"], name="sum_quality_day"),
                    models.Index(
                        fields=["local_authority", "reviewed_on"], name="sum_quality_reviewed"
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
