# The child's date of death (issue 15): optional, feeds the retention schedule.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ehc", "0007_reminder_fencing"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="date_of_death",
            field=models.DateField(
                blank=True,
                help_text="Only if the child or young person has died. The records are then "
                "kept 8 years after the death (NHS Records Management Code of Practice).",
                null=True,
                verbose_name="date of death",
            ),
        ),
    ]
