"""The month tables by a date other than receipt (contributions by due
month, returns, quality reviews, provision not available) keep the month
health received the counted requests as well (``received_month``), so a
commissioning body whose dated links begin and end with whole months can
read them: its links attribute each request by its day of receipt
(docs/reports.md, "The summary store"). The four tables are filled again
from their day rows (ehc.summary.roll_up_months); the day tables are not
touched. Undone, the column goes and the rows stay: they add up to the
same months, a month's rows only split by receipt."""

from django.db import migrations, models

TABLES = ("contributionduemonth", "returnmonth", "qualityreviewmonth", "provisiongapmonth")


def fill(apps, schema_editor):
    from ehc.summary import roll_up_months

    roll_up_months(apps=apps, tables=["contribution", "return", "quality", "gap"])


class Migration(migrations.Migration):

    dependencies = [
        ("ehc", "0026_reminder_covering_indexes"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="received_month",
                # Every row is written again below; the default never stays.
                field=models.DateField(
                    default="2000-01-01",
                    help_text="The first day of the month health received the counted requests.",
                ),
                preserve_default=False,
            )
            for name in TABLES
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
