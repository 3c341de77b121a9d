"""Indexes for the API's lists by last change (children, advice): LA systems
poll them ``since`` their last call (docs/api.md, "Lists")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0002_gss_upper_tier'),
        ('ehc', '0021_summary_months'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='advice',
            index=models.Index(fields=['updated_at', 'id'], name='advice_updated'),
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['updated_at', 'id'], name='child_updated'),
        ),
    ]
