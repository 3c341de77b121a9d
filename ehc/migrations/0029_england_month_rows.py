"""England's month rows (issue 18; docs/reports.md, "England's month
rows"): the request, timeliness, return, quality-review and provision-gap
month rows summed across areas (and months of receipt), so a report for
England reads a few rows per month instead of every area's. Filled from the
month tables (ehc.summary.fill_england); the day and month tables are not
touched."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import fill_england

    fill_england(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0002_gss_upper_tier'),
        ('ehc', '0028_child_records_keep_area'),
    ]

    operations = [
        migrations.CreateModel(
            name='RequestEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('breakdown', models.CharField(max_length=8)),
                ('key', models.CharField(max_length=24)),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_request_month')],
            },
        ),
        migrations.CreateModel(
            name='ReturnEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('days', models.IntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_return_month')],
            },
        ),
        migrations.CreateModel(
            name='ContributionDueEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('process', models.CharField(choices=[('needs_assessment', 'New EHC needs assessment'), ('reassessment', 'Reassessment'), ('annual_review', 'Annual review'), ('phase_transfer', 'Phase transfer review'), ('mediation', 'Mediation'), ('tribunal', 'Tribunal')], max_length=20)),
                ('verdict', models.CharField(choices=[('on_time', 'Returned on time'), ('late', 'Returned late'), ('out', 'Not returned')], max_length=8)),
                ('excepted', models.BooleanField()),
                ('withdrawn', models.BooleanField()),
                ('review_recorded', models.BooleanField()),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_due_month')],
            },
        ),
        migrations.CreateModel(
            name='ProvisionGapEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_gap_month')],
            },
        ),
        migrations.CreateModel(
            name='QualityReviewEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('rating', models.CharField(choices=[('red', 'Red'), ('amber', 'Amber'), ('green', 'Green')], max_length=5)),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_quality_month')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
