from django.core.management.base import BaseCommand

from integrations.workspace.services import fill_missing_checklists


class Command(BaseCommand):
    help = (
        "Keep the tier checklist summary on every integration's shown version that has none (versions "
        "from before the summaries were kept, or bulk-inserted ones), so the dashboard reads it "
        "instead of evaluating the rules on each visit. Safe to run again; changes no tier."
    )

    def handle(self, *args, **options):
        filled = fill_missing_checklists()
        self.stdout.write(self.style.SUCCESS(f"{filled} version{'' if filled == 1 else 's'} given a checklist summary"))
