"""The summary store's month roll-ups (decision 0010): per area and month,
what the day rows count, filled from the day tables already written
(ehc.summary.roll_up_months; the day tables are not recomputed)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import COLUMNS, roll_up_months

    # Not the requests' month rows: 0025 gave them another shape (a row per
    # breakdown) and fills them.
    roll_up_months(apps=apps, tables=[name for name in COLUMNS if name != "request"])


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0002_gss_upper_tier'),
        ('ehc', '0020_summary_reviews_gaps_late'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContributionAskedMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_asked_month')],
            },
        ),
        migrations.CreateModel(
            name='ContributionDueMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('process', models.CharField(choices=[('needs_assessment', 'New EHC needs assessment'), ('reassessment', 'Reassessment'), ('annual_review', 'Annual review'), ('phase_transfer', 'Phase transfer review'), ('mediation', 'Mediation'), ('tribunal', 'Tribunal')], max_length=20)),
                ('verdict', models.CharField(choices=[('on_time', 'Returned on time'), ('late', 'Returned late'), ('out', 'Not returned')], max_length=8)),
                ('excepted', models.BooleanField()),
                ('withdrawn', models.BooleanField()),
                ('review_recorded', models.BooleanField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_due_month')],
            },
        ),
        migrations.CreateModel(
            name='ProviderAskMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_ask_month')],
            },
        ),
        migrations.CreateModel(
            name='ProvisionGapMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_gap_month')],
            },
        ),
        migrations.CreateModel(
            name='QualityReviewMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('rating', models.CharField(choices=[('red', 'Red'), ('amber', 'Amber'), ('green', 'Green')], max_length=5)),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_quality_month')],
            },
        ),
        migrations.CreateModel(
            name='RequestMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('process', models.CharField(choices=[('needs_assessment', 'New EHC needs assessment'), ('reassessment', 'Reassessment'), ('annual_review', 'Annual review'), ('phase_transfer', 'Phase transfer review'), ('mediation', 'Mediation'), ('tribunal', 'Tribunal')], max_length=20)),
                ('primary_need', models.CharField(choices=[('ASD', 'Autistic spectrum disorder (ASD)'), ('SLCN', 'Speech, language and communication needs (SLCN)'), ('SEMH', 'Social, emotional and mental health (SEMH)'), ('MLD', 'Moderate learning difficulty (MLD)'), ('SLD', 'Severe learning difficulty (SLD)'), ('PMLD', 'Profound and multiple learning difficulty (PMLD)'), ('SPLD', 'Specific learning difficulty (SPLD)'), ('PD', 'Physical disability (PD)'), ('HI', 'Hearing impairment (HI)'), ('VI', 'Vision impairment (VI)'), ('MSI', 'Multi-sensory impairment (MSI)'), ('DS', 'Down syndrome (DS)'), ('OTH', 'Other difficulty or disability (OTH)'), ('NK', 'Not known yet')], max_length=4)),
                ('age', models.SmallIntegerField()),
                ('year_group', models.SmallIntegerField()),
                ('looked_after', models.BooleanField()),
                ('electively_home_educated', models.BooleanField()),
                ('known_to_youth_justice', models.BooleanField()),
                ('continuing_care', models.BooleanField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_request_month')],
            },
        ),
        migrations.CreateModel(
            name='ReturnMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.PositiveIntegerField()),
                ('days', models.IntegerField()),
                ('local_authority', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.localauthority')),
            ],
            options={
                'indexes': [models.Index(fields=['local_authority', 'month'], name='sum_return_month')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
