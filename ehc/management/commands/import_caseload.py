"""Import a designated officer's tracker from the command line
(docs/caseload-import.md, "From the command line").

    python manage.py import_caseload FILE --as EMAIL [--dry-run] [--update-conflicts]

The same plan and the same services as the upload page: all or nothing,
audited with EMAIL's user as the actor, scoped to what that user may see.
Prints the counts, the conflicts and every problem with its line and
column; exits with status 1 when anything is wrong (nothing is saved).
--dry-run checks everything and saves nothing. --update-conflicts changes
what the portal holds where the file disagrees (otherwise it is kept).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from ehc.caseload_import import apply, reading
from ehc.caseload_import.plan import build_plan


class Command(BaseCommand):
    help = "Import a caseload tracker (CSV or .xlsx), all or nothing, as the user named by --as."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The tracker: a .csv or .xlsx file.")
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            help="The email of the designated officer (or administrator) importing it.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        parser.add_argument(
            "--update-conflicts",
            action="store_true",
            help="Where the file disagrees with the portal, take the file's values.",
        )

    def handle(self, *args, file, email, dry_run, update_conflicts, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.has_perm("portal.manage_caseload"):
            raise CommandError(f"{email} is not an active designated officer or administrator")
        path = Path(file)
        try:
            sheet = reading.read(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except reading.FileProblem as error:
            raise CommandError(str(error)) from None
        plan = build_plan(sheet, user=user, today=timezone.localdate())
        chosen = [conflict.key for conflict in plan.conflicts] if update_conflicts else []
        problems = apply.run(plan, by=user, chosen=chosen, dry_run=dry_run)
        for conflict in plan.conflicts:
            action = "updated" if update_conflicts else "kept"
            self.stdout.write(f"Line {conflict.line}: {conflict.record} differs ({action}):")
            for column, held, new in conflict.differences:
                self.stdout.write(f"  {column}: the portal holds {held!r}, the file says {new!r}")
        if plan.unknown_columns:
            self.stdout.write(f"Columns left out: {', '.join(plan.unknown_columns)}")
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path.name}: "
                "nothing was imported"
            )
        verb = "would" if dry_run else "did"
        for label, tally in apply.counts(plan, chosen).items():
            self.stdout.write(
                f"{label}: {verb} add {tally['create']}, update {tally['update']}, "
                f"{tally['unchanged']} already held"
            )
        self.stdout.write("Checked: nothing saved (--dry-run)." if dry_run else "Imported.")
