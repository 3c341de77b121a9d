"""England's rows of services asked and providers asked (issue 18;
docs/reports.md, "England's month rows"): the month tables by receipt
month, area and service (or provider) summed across areas, so that a
report for England reads a row per month and service instead of one per
area as well. Filled here from the month tables under every area's lock
(ehc.summary.fill_england), kept by the writer from then on."""

import django.db.models.deletion
from django.db import migrations, models


def lock(apps, schema_editor):
    """Every area's lock and England's before the tables are made: no writer
    recounts an area's month rows until the fill below has written
    England's rows of them."""
    from ehc.summary import _lock_everything

    _lock_everything(apps)


def fill(apps, schema_editor):
    from ehc.summary import fill_england

    fill_england(apps=apps, names=["ContributionAskedMonth", "ProviderAskMonth"])


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0002_gss_upper_tier'),
        ('ehc', '0034_england_quality_rating_counts'),
    ]

    operations = [
        migrations.RunPython(lock, migrations.RunPython.noop),
        migrations.CreateModel(
            name='ContributionAskedEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('service', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.service')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_asked_month')],
            },
        ),
        migrations.CreateModel(
            name='ProviderAskEngland',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="The first day of the month of the figure's date.")),
                ('count', models.IntegerField(help_text="A change to the key's count; the rows sum to it.")),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commissioning.provider')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], name='england_ask_month')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
