"""Load the two national job templates (roles/template_content.py) as
version 1 of each, published.

Keys are derived from the family and the item's position, so every
database gets the same keys for the same item and later versions copy them
(see roles.models: keys let two versions be compared item by item).

This migration reads the content module as it is when the migration runs.
Once a database has migrated, later edits to that module do not reach it: a
change of national content needs a new template version or a new migration.
"""

import datetime
import hashlib

from django.db import migrations

from roles.template_content import TEMPLATES

FAMILIES = [template["family"] for template in TEMPLATES]
ORDER_STEP = 10


def item_key(family: str, kind: str, index: int) -> str:
    """A 12-character key, stable for the same family, kind of item and position."""
    return hashlib.sha1(f"{family}:{kind}:{index}".encode()).hexdigest()[:12]


def load_templates(apps, schema_editor):
    JobTemplate = apps.get_model("roles", "JobTemplate")
    TemplateSection = apps.get_model("roles", "TemplateSection")
    Duty = apps.get_model("roles", "Duty")
    Criterion = apps.get_model("roles", "Criterion")
    db = schema_editor.connection.alias

    for data in TEMPLATES:
        family = data["family"]
        if JobTemplate.objects.using(db).filter(family=family).exists():
            continue  # already loaded; never load a family twice
        published_at = datetime.datetime(data["year"], 1, 1, tzinfo=datetime.UTC)
        template = JobTemplate.objects.using(db).create(
            family=family,
            version=1,
            kind=data["kind"],
            name=data["name"],
            source=data["source"],
            summary=data["summary"],
            change_note="First version: the national model, in the portal's own words.",
            status="published",
            created_at=published_at,
            published_at=published_at,
        )

        duty_number = 0
        for section_number, section_data in enumerate(data["sections"], start=1):
            section = TemplateSection.objects.using(db).create(
                template=template,
                area=section_data["area"],
                heading=section_data.get("heading", ""),
                introduction=section_data.get("introduction", ""),
                order=section_number * ORDER_STEP,
                key=item_key(family, "section", section_number),
            )
            duties = []
            for position, (text, applies_to) in enumerate(section_data["duties"], start=1):
                duty_number += 1
                duties.append(
                    Duty(
                        section=section,
                        text=text,
                        applies_to=applies_to,
                        order=position * ORDER_STEP,
                        key=item_key(family, "duty", duty_number),
                    )
                )
            Duty.objects.using(db).bulk_create(duties)

        Criterion.objects.using(db).bulk_create(
            Criterion(
                template=template,
                category=category,
                text=text,
                applies_to=applies_to,
                requirement=requirement,
                order=number * ORDER_STEP,
                key=item_key(family, "criterion", number),
            )
            for number, (category, text, applies_to, requirement) in enumerate(
                data["criteria"], start=1
            )
        )


def unload_templates(apps, schema_editor):
    """Delete every version of the two national families. Posts protect the
    template they adapt, so this fails loudly while any post uses one."""
    JobTemplate = apps.get_model("roles", "JobTemplate")
    db = schema_editor.connection.alias
    JobTemplate.objects.using(db).filter(family__in=FAMILIES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0001_schema"),
    ]

    operations = [
        migrations.RunPython(load_templates, unload_templates),
    ]
