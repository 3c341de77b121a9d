"""The worklist's stored sort keys: a request's urgency and the earliest date
owed, added and filled for every existing request (docs/performance.md,
"The worklist"). The next migration makes the date required and adds the
indexes: PostgreSQL cannot alter a table in the transaction that has just
updated its rows."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    # The keys are computed by the same code the services use
    # (ehc.services.urgency over ehc.selectors.with_worklist_keys), on the
    # historical model: one UPDATE ... FROM an aggregate over every request.
    # If the rule ever reads a field added after this migration, migrating a
    # new database fails here (the test suite's database is built this way,
    # so it shows at once): then freeze a copy of today's rule in this file.
    from ehc.services.urgency import refresh_all

    refresh_all(model=apps.get_model("ehc", "HealthAdviceRequest"))


class Migration(migrations.Migration):
    dependencies = [
        ("ehc", "0010_reminders_read_changes_since_last_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="healthadvicerequest",
            name="urgency",
            field=models.IntegerField(
                default=0,
                editable=False,
                help_text="The worklist's 'most urgent first' key (ehc.selectors.with_urgency), "
                "stored so that the order is indexable.",
            ),
        ),
        # Added null (no table rewrite), filled below, required from 0011.
        migrations.AddField(
            model_name="healthadvicerequest",
            name="working_due_on",
            field=models.DateField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="healthadvicerequest",
            name="due_owed_on",
            field=models.DateField(
                editable=False,
                help_text="The earliest statutory due date of the services still owed.",
                null=True,
                verbose_name="earliest due date owed",
            ),
        ),
        migrations.AddField(
            model_name="healthadvicerequest",
            name="due_unexcused_on",
            field=models.DateField(
                editable=False,
                help_text="The earliest statutory due date of the services still owed that "
                "have no reg 8(2) exception: past it, an awaiting request is overdue.",
                null=True,
                verbose_name="earliest due date owed without an exception",
            ),
        ),
        migrations.AddField(
            model_name="healthadvicerequest",
            name="has_lawful_exception",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="A service with a reg 8(2) exception still owes its advice, or "
                "returned it late (ehc.selectors.lawful_exception).",
                verbose_name="lawful exception",
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
