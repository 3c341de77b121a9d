"""Staff and superuser status follow the role (User.save): put right any
account saved before that rule, such as an administrator whose role was
changed but who kept Django admin."""

from django.db import migrations


def staff_follows_role(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.exclude(role="administrator").filter(is_staff=True).update(is_staff=False)
    User.objects.exclude(role="administrator").filter(is_superuser=True).update(is_superuser=False)
    User.objects.filter(role="administrator", is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reminders"),
    ]

    operations = [
        migrations.RunPython(staff_follows_role, migrations.RunPython.noop),
    ]
