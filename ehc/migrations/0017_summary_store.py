"""The summary store (decision 0010): its tables, filled from the casework
already recorded (ehc.summary.rebuild_summary with the historical models)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import rebuild_summary

    # The tables this migration creates (later ones fill their own).
    rebuild_summary(apps=apps, tables=("request", "contribution", "return", "ask"))


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0016_contribution_local_authority"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContributionCount",
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
                (
                    "process",
                    models.CharField(
                        choices=[
                            ("needs_assessment", "New EHC needs assessment"),
                            ("reassessment", "Reassessment"),
                            ("annual_review", "Annual review"),
                            ("phase_transfer", "Phase transfer review"),
                            ("mediation", "Mediation"),
                            ("tribunal", "Tribunal"),
                        ],
                        max_length=20,
                    ),
                ),
                ("due_on", models.DateField()),
                (
                    "verdict",
                    models.CharField(
                        choices=[
                            ("on_time", "Returned on time"),
                            ("late", "Returned late"),
                            ("out", "Not returned"),
                        ],
                        max_length=8,
                    ),
                ),
                ("excepted", models.BooleanField()),
                ("withdrawn", models.BooleanField()),
                ("review_recorded", models.BooleanField()),
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
                    models.Index(
                        fields=["local_authority", "received_on"], name="sum_contribution_day"
                    ),
                    models.Index(fields=["local_authority", "due_on"], name="sum_contribution_due"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ProviderAskCount",
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
            ],
            options={
                "indexes": [
                    models.Index(fields=["local_authority", "received_on"], name="sum_ask_day")
                ],
            },
        ),
        migrations.CreateModel(
            name="RequestCount",
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
                (
                    "process",
                    models.CharField(
                        choices=[
                            ("needs_assessment", "New EHC needs assessment"),
                            ("reassessment", "Reassessment"),
                            ("annual_review", "Annual review"),
                            ("phase_transfer", "Phase transfer review"),
                            ("mediation", "Mediation"),
                            ("tribunal", "Tribunal"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "primary_need",
                    models.CharField(
                        choices=[
                            ("ASD", "Autistic spectrum disorder (ASD)"),
                            ("SLCN", "Speech, language and communication needs (SLCN)"),
                            ("SEMH", "Social, emotional and mental health (SEMH)"),
                            ("MLD", "Moderate learning difficulty (MLD)"),
                            ("SLD", "Severe learning difficulty (SLD)"),
                            ("PMLD", "Profound and multiple learning difficulty (PMLD)"),
                            ("SPLD", "Specific learning difficulty (SPLD)"),
                            ("PD", "Physical disability (PD)"),
                            ("HI", "Hearing impairment (HI)"),
                            ("VI", "Vision impairment (VI)"),
                            ("MSI", "Multi-sensory impairment (MSI)"),
                            ("DS", "Down syndrome (DS)"),
                            ("OTH", "Other difficulty or disability (OTH)"),
                            ("NK", "Not known yet"),
                        ],
                        max_length=4,
                    ),
                ),
                ("age", models.SmallIntegerField()),
                ("year_group", models.SmallIntegerField()),
                ("looked_after", models.BooleanField()),
                ("electively_home_educated", models.BooleanField()),
                ("known_to_youth_justice", models.BooleanField()),
                ("continuing_care", models.BooleanField()),
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
                    models.Index(fields=["local_authority", "received_on"], name="sum_request_day")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReturnCount",
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
                ("returned_on", models.DateField()),
                ("days", models.IntegerField()),
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
                    models.Index(fields=["local_authority", "received_on"], name="sum_return_day"),
                    models.Index(
                        fields=["local_authority", "returned_on"], name="sum_return_returned"
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
