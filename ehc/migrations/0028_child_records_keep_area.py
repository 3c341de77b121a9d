"""Records about a child (Section 23 notices, review input, mediation and
tribunal cases, personal health budgets) keep a copy of the child's area,
indexed with their date, so a report for a commissioning body reads its
areas' records by index instead of joining every child of the areas
(issue 18; docs/reports.md, "At scale").

The column is added empty, filled from each record's child in one UPDATE
per table, then made required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

MODELS = ("section23notice", "reviewinput", "mediationcase", "tribunalcase", "personalhealthbudget")
INDEXES = {
    "section23notice": ("parent_told_on", "section23_area_told"),
    "reviewinput": ("meeting_on", "reviewinput_area_meeting"),
    "mediationcase": ("requested_on", "mediation_area_requested"),
    "tribunalcase": ("registered_on", "tribunal_area_registered"),
    "personalhealthbudget": ("considered_on", "budget_area_considered"),
}


def copy_areas(apps, schema_editor):
    Child = apps.get_model("ehc", "Child")
    area = Child.objects.filter(pk=OuterRef("child_id")).values("local_authority_id")[:1]
    for name in MODELS:
        apps.get_model("ehc", name).objects.update(local_authority_id=Subquery(area))


def field(null: bool):
    return models.ForeignKey(
        db_index=False,
        editable=False,
        help_text="The child's local authority, copied from the child.",
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="commissioning.localauthority",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0027_month_rows_by_receipt"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=name, name="local_authority", field=field(null=True))
            for name in MODELS
        ),
        migrations.RunPython(copy_areas, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name="local_authority", field=field(null=False))
            for name in MODELS
        ),
        *(
            migrations.AddIndex(
                model_name=name,
                index=models.Index(fields=["local_authority", date], name=index),
            )
            for name, (date, index) in INDEXES.items()
        ),
    ]
