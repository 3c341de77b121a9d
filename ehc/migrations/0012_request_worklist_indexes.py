"""The worklist's earliest date owed becomes required, and the indexes the
worklist picks its pages from, the children's names included
(docs/performance.md, "The worklist")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ehc", "0011_request_worklist_keys"),
    ]

    operations = [
        migrations.AlterField(

            model_name="healthadvicerequest",
            name="working_due_on",
            field=models.DateField(
                editable=False,
                help_text="The earliest working date (return by, else due) of the services "
                "still owed, else the advice due date: what the worklist's Due column sorts by.",
                verbose_name="earliest working date owed",
            ),
        ),
        migrations.AddIndex(
            model_name="healthadvicerequest",
            index=models.Index(
                fields=["local_authority", "urgency", "id"], name="request_la_urgency"
            ),
        ),
        migrations.AddIndex(
            model_name="healthadvicerequest",
            index=models.Index(
                fields=["local_authority", "working_due_on", "id"], name="request_la_working_due"
            ),
        ),
        migrations.AddIndex(
            model_name="healthadvicerequest",
            index=models.Index(fields=["urgency", "id"], name="request_urgency"),
        ),
        # Generated from ehc.models.choices.PROCESS_BY_LABEL; a new process or
        # label changes it (makemigrations notices).
        migrations.AddIndex(
            model_name="healthadvicerequest",
            index=models.Index(
                models.F("local_authority"),
                models.Case(
                    models.When(process="annual_review", then=models.Value(0)),
                    models.When(process="mediation", then=models.Value(1)),
                    models.When(process="needs_assessment", then=models.Value(2)),
                    models.When(process="phase_transfer", then=models.Value(3)),
                    models.When(process="reassessment", then=models.Value(4)),
                    models.When(process="tribunal", then=models.Value(5)),
                    default=models.Value(6),
                    output_field=models.IntegerField(),
                ),
                models.F("id"),
                name="request_la_process_label",
            ),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(fields=["family_name", "given_name", "id"], name="child_name"),
        ),
    ]
