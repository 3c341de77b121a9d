# Subject access is prepared by a worker (issue 15): the request becomes an
# export with a status, and the ZIPs prepared before are marked ready.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, Q


def earlier_zips_are_ready(apps, schema_editor):
    Export = apps.get_model("governance", "SubjectAccessExport")
    Export.objects.exclude(file="").update(status="ready", finished=F("created"))
    Export.objects.filter(file="").update(
        status="failed", finished=F("created"), error="No file was stored."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("SubjectAccessRequest", "SubjectAccessExport"),
        migrations.RenameField("subjectaccessexport", "requested_at", "created"),
        migrations.AlterModelOptions(
            name="subjectaccessexport",
            options={"ordering": ["-created", "-pk"], "verbose_name": "subject access export"},
        ),
        migrations.AlterField(
            model_name="subjectaccessexport",
            name="created",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="asked for"),
        ),
        migrations.AlterField(
            model_name="subjectaccessexport",
            name="child",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="subject_access_exports",
                to="ehc.child",
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessexport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to be prepared"),
                    ("building", "Being prepared"),
                    ("ready", "Ready to download"),
                    ("failed", "Could not be prepared"),
                    ("deleted", "File deleted"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessexport",
            name="finished",
            field=models.DateTimeField(
                blank=True,
                help_text="When the ZIP was ready, or the preparation failed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessexport",
            name="error",
            field=models.CharField(
                blank=True,
                help_text="Why the preparation failed, in words for the user (never the "
                "child's data).",
                max_length=200,
            ),
        ),
        migrations.RunPython(earlier_zips_are_ready, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="subjectaccessexport",
            index=models.Index(fields=["status", "finished"], name="sae_status_finished"),
        ),
        migrations.AddConstraint(
            model_name="subjectaccessexport",
            constraint=models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(finished__isnull=False)),
                name="sae_ready_has_file",
                violation_error_message="A ready export has its file and the time it was ready.",
            ),
        ),
    ]
