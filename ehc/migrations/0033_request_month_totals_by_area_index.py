"""An index of the request month rows by process, by month and area with
their counts (issue 18): England's requests by area are read from it alone,
not from every breakdown's rows of the months read (about 20,000 entries
rather than a scan of 391,000 rows at national scale; under a second to
build there)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_gss_upper_tier"),
        ("ehc", "0032_england_timeliness_by_service_for_reg8_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="requestmonth",
            index=models.Index(
                condition=models.Q(("breakdown", "process")),
                fields=["month", "local_authority", "count"],
                name="sum_request_month_process",
            ),
        ),
    ]
