"""Import organisations from CSV, all or nothing.

    python manage.py import_organisations KIND FILE.csv [--dry-run]

KIND is one of commissioning-bodies, local-authorities, links, populations,
providers, services. The layouts are in docs/organisations-import.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from commissioning import services
from commissioning.importers import KINDS


class Command(BaseCommand):
    help = "Import organisations from a CSV file; nothing is saved if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("path", help="CSV file, UTF-8, with a header row.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )

    def handle(self, *args, kind: str, path: str, dry_run: bool, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text. Save it as 'CSV UTF-8'.") from None

        result = services.import_organisations(kind=kind, text=text, dry_run=dry_run)

        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(result.errors)} problem(s) in {path}.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {kind}: {result.created} new, {result.updated} updated.")
        )
