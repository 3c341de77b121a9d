"""England's overdue on month ends (issue 18; docs/reports.md, "England's
month rows"): contributions overdue on each month's last day, summed across
areas by service, exception, late reason and band, filled here for every
month end before today from the late rows (ehc.summary.refill_overdue), and
kept up to date by the writer from then on. The late rows are not touched."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from ehc.summary import refill_overdue

    refill_overdue(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0002_gss_upper_tier'),
        ('ehc', '0030_england_timeliness_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='OverdueEnglandFilled',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', unique=True)),
                ('filled_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='OverdueEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('month', models.DateField(help_text='The first day of the month whose last day it counts.')),
                ('excepted', models.BooleanField()),
                ('late_reason', models.CharField(blank=True, choices=[('waiting_list', 'Waiting list for assessment'), ('staffing', 'Staff shortage or absence'), ('request_incomplete', 'LA request incomplete or without consent'), ('forwarded_late', 'Request reached the service late'), ('appointment_capacity', 'No appointment available in time'), ('administrative', 'Administrative delay'), ('other', 'Other (say why in the note)')], max_length=24)),
                ('band', models.CharField(max_length=4)),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_overdue_month')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
