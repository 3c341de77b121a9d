"""Contribution.local_authority: the request's area copied onto each of its
contributions, so the reports select a scope's contributions by area and
date from one index (docs/performance.md). Added empty, filled from the
requests in one UPDATE ... FROM (PostgreSQL, and SQLite 3.33 and later),
then required and indexed (indexes after the fill: one build each)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

FILL = (
    "UPDATE ehc_contribution SET local_authority_id = r.local_authority_id "
    "FROM ehc_healthadvicerequest AS r WHERE r.id = ehc_contribution.request_id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0001_initial"),
        ("ehc", "0015_service_waits"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="commissioning.localauthority",
            ),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="contribution",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="commissioning.localauthority",
            ),
        ),
        migrations.AddIndex(
            model_name="contribution",
            index=models.Index(fields=["local_authority", "due_on"], name="contribution_la_due"),
        ),
        migrations.AddIndex(
            model_name="contribution",
            index=models.Index(
                fields=["local_authority", "returned_on"], name="contribution_la_returned"
            ),
        ),
        migrations.AddIndex(
            model_name="contribution",
            index=models.Index(
                condition=Q(returned_on__isnull=True),
                fields=["local_authority", "due_on"],
                name="contribution_la_unreturned",
            ),
        ),
    ]
